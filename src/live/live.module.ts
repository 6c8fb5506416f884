import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { LiveController } from './live.controller';
import { LiveEventsService } from './live-events.service';

/** The console's live feed: server-sent events of what every instance stores. */
@Module({
  imports: [AdminModule],
  controllers: [LiveController],
  providers: [LiveEventsService],
})
export class LiveModule {}
