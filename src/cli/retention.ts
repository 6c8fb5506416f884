import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadSettingsOrExit } from '../config/settings';
import { SettingsModule } from '../config/settings.module';
import { DatabaseModule } from '../database/database.module';
import { startEmbeddedDatabaseIfNeeded } from '../database/embedded-postgres';
import { ENTITIES } from '../entities';
import { LoggingModule } from '../logging/logging.module';
import { createRootLogger } from '../logging/root-logger';
import { MetricsModule } from '../metrics/metrics.module';
import { RetentionModule } from '../retention/retention.module';
import { RetentionService } from '../retention/retention.service';

/**
 * `npm run retention [-- --dry-run]`: runs retention once, with the service's settings and
 * database (the embedded one in DATA_DIR when DATABASE_URL is empty), and prints what was
 * removed, or with --dry-run what would be.
 */
async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const settings = loadSettingsOrExit();
  const log = createRootLogger(settings.log, settings.server.nodeEnv);
  const embedded = await startEmbeddedDatabaseIfNeeded(settings.database, settings.server.dataDir, log);
  try {
    @Module({
      imports: [
        SettingsModule.forRoot(settings),
        LoggingModule.forRoot(log),
        DatabaseModule.forRoot(ENTITIES),
        MetricsModule,
        RetentionModule,
      ],
    })
    class RetentionCommandModule {}

    const app = await NestFactory.createApplicationContext(RetentionCommandModule, { bufferLogs: true });
    app.useLogger(app.get(Logger));
    try {
      const report = await app.get(RetentionService).run({ dryRun });
      if (!report) {
        console.log('retention is running in another instance: nothing done');
      } else {
        console.log(dryRun ? 'would remove (dry run):' : 'removed:');
        console.table(report);
      }
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}

void main().catch((error: Error) => {
  console.error(`retention failed: ${error.message}`);
  process.exit(1);
});
