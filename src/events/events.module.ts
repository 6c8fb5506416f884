import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentVariables } from '../config/environment';
import { HistoryEventExtDataEntity } from './entities/history-event-ext-data.entity';
import { HistoryEventFiqaEntity } from './entities/history-event-fiqa.entity';
import { HistoryEventImageEntity } from './entities/history-event-image.entity';
import { HistoryEventEntity } from './entities/history-event.entity';
import { QuarantinedEventEntity } from './entities/quarantined-event.entity';
import { HistoryEventIngestService } from './history-event-ingest.service';
import { HistoryEventController } from './history-event.controller';

export const EVENT_ENTITIES = [
  HistoryEventEntity,
  HistoryEventExtDataEntity,
  HistoryEventFiqaEntity,
  HistoryEventImageEntity,
  QuarantinedEventEntity,
];

@Module({
  imports: [
    TypeOrmModule.forFeature(EVENT_ENTITIES),
    MulterModule.registerAsync({
      inject: [ConfigService],
      // Form uploads are kept in memory, like JSON bodies: one event, images in text fields or files.
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        limits: {
          fieldSize: config.get('BODY_LIMIT', { infer: true }),
          fileSize: config.get('IMAGE_MAX_BYTES', { infer: true }),
          files: 3,
          fields: 100,
        },
      }),
    }),
  ],
  controllers: [HistoryEventController],
  providers: [HistoryEventIngestService],
  exports: [HistoryEventIngestService],
})
export class EventsModule {}
