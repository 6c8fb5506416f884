import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsoleSessionEntity } from './console-session.entity';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';

/** Console sign-in: the session cookie, a second way (besides the bearer key) into the admin API. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ConsoleSessionEntity])],
  controllers: [SessionController],
  providers: [SessionService],
  exports: [SessionService],
})
export class SessionModule {}
