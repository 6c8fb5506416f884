import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventConflictEntity } from './entities/event-conflict.entity';
import { HistoryEventExtDataEntity } from './entities/history-event-ext-data.entity';
import { HistoryEventFiqaEntity } from './entities/history-event-fiqa.entity';
import { HistoryEventImageEntity } from './entities/history-event-image.entity';
import { HistoryEventEntity } from './entities/history-event.entity';
import { QuarantinedEventEntity } from './entities/quarantined-event.entity';
import { HistoryEventIngestService } from './history-event-ingest.service';
import { HistoryEventController } from './history-event.controller';
import { HistoryEventRepository } from './history-event.repository';
import { StoredEventsNotifier } from './stored-events.notifier';

export const EVENT_ENTITIES = [
  HistoryEventEntity,
  HistoryEventExtDataEntity,
  HistoryEventFiqaEntity,
  HistoryEventImageEntity,
  QuarantinedEventEntity,
  EventConflictEntity,
];

@Module({
  imports: [TypeOrmModule.forFeature(EVENT_ENTITIES)],
  controllers: [HistoryEventController],
  providers: [HistoryEventRepository, HistoryEventIngestService, StoredEventsNotifier],
  exports: [HistoryEventIngestService],
})
export class EventsModule {}
