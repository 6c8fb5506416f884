import { Module } from '@nestjs/common';
import { HistoryEventIngestService } from './history-event-ingest.service';
import { HistoryEventController } from './history-event.controller';
import { HistoryEventRepository } from './history-event.repository';
import { StoredEventsNotifier } from './stored-events.notifier';

@Module({
  controllers: [HistoryEventController],
  providers: [HistoryEventRepository, HistoryEventIngestService, StoredEventsNotifier],
  exports: [HistoryEventIngestService],
})
export class EventsModule {}
