import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EnvironmentVariables } from './environment';

/** ConfigService over the validated settings, and nothing else (no .env reading, no process.env). */
export function settingsModule(settings: EnvironmentVariables): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    validatePredefined: false,
    skipProcessEnv: true,
    load: [() => ({ ...settings })],
  });
}
