import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { RetentionRepository } from './retention.repository';
import { RetentionScheduler } from './retention.scheduler';
import { RetentionService } from './retention.service';

@Module({
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {
  /** With the schedule, as the service runs it. */
  static scheduled(): DynamicModule {
    return {
      module: RetentionModule,
      imports: [ScheduleModule.forRoot()],
      providers: [RetentionRepository, RetentionService, RetentionScheduler],
      exports: [RetentionService],
    };
  }
}
