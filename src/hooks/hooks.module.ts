import { Module } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { HookSettings } from '../config/hook.settings';
import { HookDispatcher } from './hook-dispatcher.service';
import { HookMetrics } from './hook-metrics';
import { createHookSubscribers, HOOK_SUBSCRIBERS } from './hook-subscribers';
import { HookWakeUp } from './hook-wake-up';
import { HookRepository } from './hook.repository';
import { HooksAdminService } from './hooks-admin.service';
import { HooksController } from './hooks.controller';

@Module({
  controllers: [HooksController],
  providers: [
    {
      provide: HOOK_SUBSCRIBERS,
      inject: [HookSettings, EventEmitter2],
      useFactory: (settings: HookSettings, events: EventEmitter2) => createHookSubscribers(settings, events),
    },
    HookRepository,
    HookWakeUp,
    HookDispatcher,
    HookMetrics,
    HooksAdminService,
  ],
})
export class HooksModule {}
