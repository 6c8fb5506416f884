import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { EnvironmentVariables } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';

@Module({})
export class AppModule {
  /**
   * @param settings the validated environment (`validateEnvironment`), with the embedded
   * database's URL filled in by main.ts, or a test's own database and policies.
   */
  static forRoot(settings: EnvironmentVariables): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          // The settings arrive validated; ConfigService reads them and nothing else.
          ignoreEnvFile: true,
          validatePredefined: false,
          skipProcessEnv: true,
          load: [() => ({ ...settings })],
        }),
        DatabaseModule,
        AuthModule,
        EventsModule,
        AdminModule,
      ],
    };
  }
}
