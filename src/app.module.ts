import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import type { Settings } from './config/settings';
import { SettingsModule } from './config/settings.module';
import { DatabaseModule } from './database/database.module';
import { ENTITIES } from './entities';
import { EventsModule } from './events/events.module';
import { GalleryModule } from './gallery/gallery.module';
import { HealthModule } from './health/health.module';
import { HooksModule } from './hooks/hooks.module';
import { IntakeModule } from './intake/intake.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { ConsoleModule } from './console/console.module';
import { LiveModule } from './live/live.module';
import { ThumbnailsModule } from './thumbnails/thumbnails.module';

@Module({})
export class AppModule {
  /**
   * @param settings the validated environment (`validateSettings`), with the embedded
   * database's URL filled in by main.ts, or a test's own database and policies.
   * @param logger the process's pino logger (`createRootLogger`).
   */
  static forRoot(settings: Settings, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SettingsModule.forRoot(settings),
        LoggingModule.forRoot(logger),
        LifecycleModule,
        IntakeModule,
        DatabaseModule.forRoot(ENTITIES),
        MetricsModule,
        HealthModule,
        AuthModule,
        RetentionModule.scheduled(),
        EventsModule,
        EventEmitterModule.forRoot(),
        HooksModule,
        GalleryModule,
        AdminModule,
        ThumbnailsModule,
        LiveModule,
        ConsoleModule,
      ],
    };
  }
}
