import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { DevicesController } from './devices/devices.controller';
import { DevicesService } from './devices/devices.service';
import { EventQueryController } from './events/event-query.controller';
import { EventQueryService } from './events/event-query.service';
import { EventSummaryService } from './events/event-summary.service';
import { TimeZones } from './events/time-zones';
import { QuarantineController } from './quarantine/quarantine.controller';
import { QuarantineService } from './quarantine/quarantine.service';
import { EdgePointEntity } from './stats/entities/edge-point.entity';
import { EventCountSlotEntity } from './stats/entities/event-count-slot.entity';
import { EventStatsWatermarkEntity } from './stats/entities/event-stats-watermark.entity';
import { EventStatsFolder } from './stats/event-stats.folder';

/**
 * The admin API under /api (every controller with `@AdminApi()`): search over the event
 * history, images, summaries, devices and the quarantine; and the job that keeps the device
 * list and the summary counts folded.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([EdgePointEntity, EventCountSlotEntity, EventStatsWatermarkEntity]),
    EventsModule,
  ],
  controllers: [EventQueryController, DevicesController, QuarantineController],
  providers: [EventQueryService, EventSummaryService, TimeZones, DevicesService, QuarantineService, EventStatsFolder],
  exports: [EventStatsFolder, EventQueryService],
})
export class AdminModule {}
