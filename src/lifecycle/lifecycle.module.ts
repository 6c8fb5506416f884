import { Global, Module } from '@nestjs/common';
import { HttpDrainService } from './http-drain.service';

@Global()
@Module({
  providers: [HttpDrainService],
  exports: [HttpDrainService],
})
export class LifecycleModule {}
