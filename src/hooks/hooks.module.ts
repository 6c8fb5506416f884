import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentVariables } from '../config/environment';
import { HookDeliveryEntity } from './entities/hook-delivery.entity';
import { HookEntity } from '../events/entities/hook.entity';
import { HookDispatcher } from './hook-dispatcher.service';
import { HookMetrics } from './hook-metrics';
import { createHookSubscribers, HOOK_SUBSCRIBERS } from './hook-subscribers';
import { HookWakeUp } from './hook-wake-up';
import { HookRepository } from './hook.repository';
import { HooksAdminService } from './hooks-admin.service';
import { HooksController } from './hooks.controller';

@Module({
  imports: [TypeOrmModule.forFeature([HookEntity, HookDeliveryEntity])],
  controllers: [HooksController],
  providers: [
    {
      provide: HOOK_SUBSCRIBERS,
      inject: [ConfigService, EventEmitter2],
      useFactory: (config: ConfigService<EnvironmentVariables, true>, events: EventEmitter2) =>
        createHookSubscribers(
          {
            webhookUrls: config.get('HOOK_WEBHOOK_URLS', { infer: true }),
            webhookSecret: config.get('HOOK_WEBHOOK_SECRET', { infer: true }),
            amqpUrl: config.get('HOOK_AMQP_URL', { infer: true }),
            amqpExchange: config.get('HOOK_AMQP_EXCHANGE', { infer: true }),
            timeoutMs: config.get('HOOK_DELIVERY_TIMEOUT', { infer: true }),
          },
          events,
        ),
    },
    HookRepository,
    HookWakeUp,
    HookDispatcher,
    HookMetrics,
    HooksAdminService,
  ],
})
export class HooksModule {}
