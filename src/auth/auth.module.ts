import { Global, Module } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AdminAuthGuard } from './admin-api-key.guard';
import { AdminApiKeysService } from './admin-api-keys.service';
import { ADMIN_CREDENTIAL_SOURCES } from './admin-principal';
import { AdminRateLimits } from './admin-rate-limits';

@Global()
@Module({
  providers: [
    AdminApiKeysService,
    { provide: ADMIN_CREDENTIAL_SOURCES, useFactory: (keys: AdminApiKeysService) => [keys], inject: [AdminApiKeysService] },
    ThrottlerStorageService,
    AdminRateLimits,
    AdminAuthGuard,
  ],
  exports: [AdminApiKeysService, ADMIN_CREDENTIAL_SOURCES, AdminRateLimits, AdminAuthGuard],
})
export class AuthModule {}
