import { Global, Module } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AdminAuthGuard } from './admin-api-key.guard';
import { AdminApiKeysService } from './admin-api-keys.service';
import { ADMIN_CREDENTIAL_SOURCES } from './admin-principal';
import { AdminRateLimits } from './admin-rate-limits';
import { SessionController } from './session/session.controller';
import { SessionRepository } from './session/session.repository';
import { SessionService } from './session/session.service';

/**
 * Who may use the admin API: admin API keys (bearer tokens) and the console's sessions opened
 * with one (a cookie), the guard that asks both, and the rate limits it applies.
 */
@Global()
@Module({
  controllers: [SessionController],
  providers: [
    AdminApiKeysService,
    SessionRepository,
    SessionService,
    {
      provide: ADMIN_CREDENTIAL_SOURCES,
      useFactory: (keys: AdminApiKeysService, sessions: SessionService) => [keys, sessions],
      inject: [AdminApiKeysService, SessionService],
    },
    ThrottlerStorageService,
    AdminRateLimits,
    AdminAuthGuard,
  ],
  exports: [AdminApiKeysService, SessionService, ADMIN_CREDENTIAL_SOURCES, AdminRateLimits, AdminAuthGuard],
})
export class AuthModule {}
