import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDatabaseUnavailable } from '../common/database-errors';
import { formatDuration } from '../config/durations';
import { HookSettings } from '../config/hook.settings';
import { MetricsService } from '../metrics/metrics.service';
import type { DeliveryStatus } from './entities/hook-delivery.entity';
import { HookImageRow, HookMessage, toHookMessage } from './hook-message';
import { ClaimedDelivery, HookRepository } from './hook.repository';
import { HOOK_SUBSCRIBERS } from './hook-subscribers';
import { HookWakeUp } from './hook-wake-up';
import { DeliveryError, HookSubscriber } from './subscribers/hook-subscriber';

/** Hooks fanned out per transaction. */
const FAN_OUT_BATCH = 500;
/** Deliveries claimed (and attempted concurrently) per round. */
const CLAIM_BATCH = 100;
/** Rounds under way at once: the next claim need not wait for the slowest delivery of the last round. */
const ROUNDS_IN_FLIGHT = 3;
/**
 * A claim lasts the attempt's timeout plus as long again (1 s at least), for the claim's and the
 * settling writes: 20 s with the default HOOK_DELIVERY_TIMEOUT of 10 s. A lease that runs out
 * early costs a repeated delivery, never a lost one (the late settling is ignored, by its claim
 * token); a long one delays the retry after a crash by as much.
 */
export function leaseMs(deliveryTimeoutMs: number): number {
  return deliveryTimeoutMs + Math.max(deliveryTimeoutMs, 1_000);
}
/** PostgreSQL's undefined_table: the migrations have not created the tables yet. */
const UNDEFINED_TABLE = '42P01';

interface Outcome {
  delivery: ClaimedDelivery;
  status: DeliveryStatus;
  error: string | null;
  /** Wait before the next attempt, for a failure that is not the last. */
  retryInMs: number | null;
}

/**
 * Delivers the outbox. Each round, it (1) fans hooks not yet fanned out into one delivery row
 * per subscriber that takes their type, (2) claims due deliveries with FOR UPDATE SKIP LOCKED
 * (so that instances never attempt the same one at once), leaving out any whose subscriber has
 * an earlier delivery pending for the same ordering key, (3) attempts them concurrently, and
 * (4) records each outcome: delivered, pending with the next attempt by HOOK_RETRY_SCHEDULE, or
 * dead after the last. A claim is a lease: when its instance dies, the delivery is due again
 * once the lease ends. Idle, it waits for a NOTIFY from the hook table or HOOK_POLL_INTERVAL.
 */
@Injectable()
export class HookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HookDispatcher');
  private readonly enabled: boolean;
  private readonly timeoutMs: number;
  private readonly schedule: number[];
  private readonly pollIntervalMs: number;
  private readonly inlineImages: boolean;
  private readonly linkBaseUrl: string;
  private readonly byName: Map<string, HookSubscriber>;
  private loop?: Promise<void>;
  private stopping = false;
  private paused = false;

  constructor(
    private readonly hooks: HookRepository,
    @Inject(HOOK_SUBSCRIBERS) private readonly subscribers: HookSubscriber[],
    private readonly wakeUp: HookWakeUp,
    private readonly metrics: MetricsService,
    settings: HookSettings,
  ) {
    this.enabled = settings.dispatcherEnabled;
    this.timeoutMs = settings.deliveryTimeoutMs;
    this.schedule = settings.retryScheduleMs;
    this.pollIntervalMs = settings.pollIntervalMs;
    this.inlineImages = settings.inlineImages;
    this.linkBaseUrl = settings.linkBaseUrl ?? '';
    this.byName = new Map(subscribers.map((subscriber) => [subscriber.name, subscriber]));
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.logger.log(`delivering hooks to ${this.subscribers.map((subscriber) => subscriber.name).join(', ')}`);
    this.wakeUp.start();
    this.loop = this.run();
  }

  /**
   * Stops claiming, lets the deliveries in flight finish and be recorded, then closes the
   * subscribers. Runs before any onApplicationShutdown hook, so the database is still there.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeUp.wake();
    await this.loop;
    await this.wakeUp.stop();
    await Promise.all(this.subscribers.map((subscriber) => subscriber.close?.() ?? Promise.resolve()));
  }

  /** Wakes the loop now, e.g. after an admin retried a hook. */
  nudge(): void {
    this.wakeUp.wake();
  }

  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!this.stopping) {
      let claimedAny = false;
      try {
        await this.fanOut();
        if (inFlight.size < ROUNDS_IN_FLIGHT) {
          const claimed = this.stopping ? [] : await this.claim();
          if (claimed.length > 0) {
            claimedAny = true;
            const round: Promise<void> = this.deliver(claimed)
              .catch((error: unknown) => this.pause(error))
              // Settling may make the next hook of an ordering key due.
              .finally(() => (inFlight.delete(round), this.wakeUp.wake()));
            inFlight.add(round);
          }
        }
        this.resumed();
      } catch (error) {
        this.pause(error);
      }
      if (this.stopping) break;
      if (inFlight.size >= ROUNDS_IN_FLIGHT) await Promise.race(inFlight);
      else if (!claimedAny) await this.wakeUp.wait(this.pollIntervalMs);
    }
    await Promise.all(inFlight);
  }

  /** Creates the delivery rows of hooks not yet fanned out, in hook order, and marks the hooks. */
  private async fanOut(): Promise<number> {
    if (!(await this.hooks.hasUnfannedHooks())) return 0;
    return this.hooks.fanOut(this.subscribers, FAN_OUT_BATCH);
  }

  /** Leases due deliveries of this instance's subscribers, at most one per subscriber and ordering key. */
  private claim(): Promise<ClaimedDelivery[]> {
    return this.hooks.claim([...this.byName.keys()], CLAIM_BATCH, leaseMs(this.timeoutMs), randomUUID());
  }

  /** Attempts every claimed delivery at once (each is for another subscriber or ordering key), then records the outcomes. */
  private async deliver(claimed: ClaimedDelivery[]): Promise<void> {
    const messages = await this.messagesFor(claimed);
    const outcomes = await Promise.all(
      claimed.map(async (delivery): Promise<Outcome> => {
        // Claimed again after its last attempt never settled (its instance died each time): give up rather than loop.
        if (delivery.attempts > this.schedule.length + 1) {
          return this.failed(delivery, new DeliveryError('the last attempt never finished (the instance attempting it stopped)'));
        }
        const subscriber = this.byName.get(delivery.subscriber)!;
        const { message, body } = messages.get(delivery.id)!;
        try {
          await subscriber.deliver(message, body, AbortSignal.timeout(this.timeoutMs));
          return { delivery, status: 'delivered', error: null, retryInMs: null };
        } catch (error) {
          return this.failed(delivery, error);
        }
      }),
    );
    await this.record(outcomes, claimed[0].claim_token);
  }

  private failed(delivery: ClaimedDelivery, error: unknown): Outcome {
    const reason = error instanceof DeliveryError ? error.message : `the subscriber failed: ${(error as Error)?.message ?? String(error)}`;
    const retryInMs = delivery.attempts <= this.schedule.length ? this.schedule[delivery.attempts - 1] : null;
    const what = `hook ${delivery.id} (${delivery.type}) to ${delivery.subscriber}, attempt ${delivery.attempts}`;
    if (retryInMs === null) this.logger.error(`${what} failed: ${reason}; no attempt left, the delivery is dead`);
    else this.logger.warn(`${what} failed: ${reason}; next attempt in ${formatDuration(retryInMs)}`);
    return { delivery, status: retryInMs === null ? 'dead' : 'pending', error: reason, retryInMs };
  }

  private async record(outcomes: Outcome[], claimToken: string): Promise<void> {
    for (const outcome of outcomes) {
      this.metrics.countHookAttempt(outcome.status === 'pending' ? 'retry' : outcome.status);
    }
    await this.hooks.record(
      outcomes.map(({ delivery, status, error, retryInMs }) => ({
        hookSeq: delivery.hook_seq,
        subscriber: delivery.subscriber,
        status,
        error,
        retryInMs,
      })),
      claimToken,
    );
  }

  /** One message (and its JSON body) per hook, with its image links (and bytes when HOOK_INLINE_IMAGES). */
  private async messagesFor(claimed: ClaimedDelivery[]): Promise<Map<string, { message: HookMessage; body: string }>> {
    const eventIds = [...new Set(claimed.map((delivery) => delivery.event_id))];
    const images = await this.hooks.imagesOf(eventIds, this.inlineImages);
    const imagesOf = new Map<string, HookImageRow[]>();
    for (const image of images) imagesOf.set(image.event_id, [...(imagesOf.get(image.event_id) ?? []), image]);
    const messages = new Map<string, { message: HookMessage; body: string }>();
    for (const delivery of claimed) {
      if (messages.has(delivery.id)) continue;
      const message = toHookMessage(
        { id: delivery.id, type: delivery.type, eventId: delivery.event_id, createdAt: delivery.created_at, payload: delivery.payload },
        imagesOf.get(delivery.event_id) ?? [],
        this.linkBaseUrl,
      );
      messages.set(delivery.id, { message, body: JSON.stringify(message) });
    }
    return messages;
  }

  private pause(error: unknown): void {
    const code = (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ?? (error as { code?: unknown }).code;
    if (code === UNDEFINED_TABLE) return; // the migrations are still running
    if (!this.paused) {
      const why = isDatabaseUnavailable(error) ? 'the database is unavailable' : (error as Error).message;
      this.logger.warn(`paused: ${why}; trying again every ${formatDuration(this.pollIntervalMs)}`);
    }
    this.paused = true;
  }

  private resumed(): void {
    if (this.paused) this.logger.log('resumed');
    this.paused = false;
  }
}
