import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ConflictsController } from './conflicts/conflicts.controller';
import { ConflictsRepository } from './conflicts/conflicts.repository';
import { ConflictsService } from './conflicts/conflicts.service';
import { AdminQueries } from './admin-queries';
import { DevicesController } from './devices/devices.controller';
import { DevicesRepository } from './devices/devices.repository';
import { DevicesService } from './devices/devices.service';
import { EventQueryController } from './events/event-query.controller';
import { EventQueryRepository } from './events/event-query.repository';
import { EventQueryService } from './events/event-query.service';
import { EventSummaryRepository } from './events/event-summary.repository';
import { EventSummaryService } from './events/event-summary.service';
import { TimeZones } from './events/time-zones';
import { QuarantineController } from './quarantine/quarantine.controller';
import { QuarantineRepository } from './quarantine/quarantine.repository';
import { QuarantineService } from './quarantine/quarantine.service';
import { EventStatsFolder } from './stats/event-stats.folder';

/**
 * The admin API under /api (every controller with `@AdminApi()`): search over the event
 * history, images, summaries, devices, the quarantine and the conflicting copies; and the job
 * that keeps the device list and the summary counts folded.
 */
@Module({
  imports: [EventsModule],
  controllers: [EventQueryController, DevicesController, QuarantineController, ConflictsController],
  providers: [
    AdminQueries,
    EventQueryRepository,
    EventQueryService,
    EventSummaryRepository,
    EventSummaryService,
    TimeZones,
    DevicesRepository,
    DevicesService,
    QuarantineRepository,
    QuarantineService,
    ConflictsRepository,
    ConflictsService,
    EventStatsFolder,
  ],
  exports: [EventStatsFolder, EventQueryService],
})
export class AdminModule {}
