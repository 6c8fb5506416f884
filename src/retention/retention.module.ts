import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { RetentionScheduler } from './retention.scheduler';
import { RetentionService } from './retention.service';

@Module({
  providers: [RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {
  /** With the schedule, as the service runs it. */
  static scheduled(): DynamicModule {
    return {
      module: RetentionModule,
      imports: [ScheduleModule.forRoot()],
      providers: [RetentionService, RetentionScheduler],
      exports: [RetentionService],
    };
  }
}
