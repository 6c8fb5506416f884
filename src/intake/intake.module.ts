import { Global, Module } from '@nestjs/common';
import { AdminJsonBodyInterceptor, UploadIntakeInterceptor } from './body-intake.decorators';
import { BodyIntake } from './body-intake.service';

/** Request bodies: read only by the routes that take one, after their guards, within bounds. */
@Global()
@Module({
  providers: [BodyIntake, UploadIntakeInterceptor, AdminJsonBodyInterceptor],
  exports: [BodyIntake, UploadIntakeInterceptor, AdminJsonBodyInterceptor],
})
export class IntakeModule {}
