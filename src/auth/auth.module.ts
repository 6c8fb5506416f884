import { Global, Module } from '@nestjs/common';
import { AdminApiKeyGuard } from './admin-api-key.guard';
import { AdminApiKeysService } from './admin-api-keys.service';

@Global()
@Module({
  providers: [AdminApiKeysService, AdminApiKeyGuard],
  exports: [AdminApiKeysService, AdminApiKeyGuard],
})
export class AuthModule {}
