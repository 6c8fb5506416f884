import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { EnvironmentVariables } from './config/environment';
import { settingsModule } from './config/settings.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { GalleryModule } from './gallery/gallery.module';
import { HealthModule } from './health/health.module';
import { HooksModule } from './hooks/hooks.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { ConsoleModule } from './console/console.module';
import { LiveModule } from './live/live.module';
import { SessionModule } from './session/session.module';
import { isImageRoute } from './thumbnails/image-rate-limit';
import { ThumbnailsModule } from './thumbnails/thumbnails.module';

@Module({})
export class AppModule {
  /**
   * @param settings the validated environment (`validateEnvironment`), with the embedded
   * database's URL filled in by main.ts, or a test's own database and policies.
   * @param logger the process's pino logger (`createRootLogger`).
   */
  static forRoot(settings: EnvironmentVariables, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        settingsModule(settings),
        LoggingModule.forRoot(logger),
        LifecycleModule,
        DatabaseModule,
        MetricsModule,
        HealthModule,
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'admin', ttl: 60_000, limit: settings.ADMIN_RATE_LIMIT_PER_MINUTE, skipIf: isImageRoute },
            { name: 'images', ttl: 60_000, limit: settings.ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE, skipIf: (context) => !isImageRoute(context) },
          ],
          errorMessage: 'too many requests to the admin API: retry in a minute',
        }),
        AuthModule,
        RetentionModule.scheduled(),
        EventsModule,
        EventEmitterModule.forRoot(),
        HooksModule,
        GalleryModule,
        AdminModule,
        SessionModule,
        ThumbnailsModule,
        LiveModule,
        ConsoleModule,
      ],
    };
  }
}
