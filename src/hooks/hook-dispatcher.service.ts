import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../common/database-errors';
import { textPrefixEquals } from '../database/long-text';
import { formatDuration } from '../config/hook-settings';
import { EnvironmentVariables } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import type { DeliveryStatus } from './entities/hook-delivery.entity';
import type { HookType } from '../events/entities/hook.entity';
import { HookImageRow, HookMessage, HookPayload, toHookMessage } from './hook-message';
import { HOOK_SUBSCRIBERS } from './hook-subscribers';
import { HookWakeUp } from './hook-wake-up';
import { DeliveryError, HookSubscriber } from './subscribers/hook-subscriber';

/** Instances fan out one at a time, on this advisory lock, so that deliveries are created in hook order. */
const FAN_OUT_LOCK_ID = 0x5e3_400c;
/** Hooks fanned out per transaction. */
const FAN_OUT_BATCH = 500;
/** Deliveries claimed (and attempted concurrently) per round. */
const CLAIM_BATCH = 100;
/** Rounds under way at once: the next claim need not wait for the slowest delivery of the last round. */
const ROUNDS_IN_FLIGHT = 3;
/** How much longer than an attempt's timeout a claim lasts, for the claim and the settling writes. */
const LEASE_MARGIN_MS = 10_000;
/** PostgreSQL's undefined_table: the migrations have not created the tables yet. */
const UNDEFINED_TABLE = '42P01';

interface ClaimedDelivery {
  hook_seq: string;
  subscriber: string;
  attempts: number;
  claim_token: string;
  id: string;
  type: HookType;
  event_id: string;
  created_at: Date;
  payload: HookPayload;
}

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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(HOOK_SUBSCRIBERS) private readonly subscribers: HookSubscriber[],
    private readonly wakeUp: HookWakeUp,
    private readonly metrics: MetricsService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.enabled = config.get('HOOK_DISPATCHER_ENABLED', { infer: true });
    this.timeoutMs = config.get('HOOK_DELIVERY_TIMEOUT', { infer: true });
    this.schedule = config.get('HOOK_RETRY_SCHEDULE', { infer: true });
    this.pollIntervalMs = config.get('HOOK_POLL_INTERVAL', { infer: true });
    this.inlineImages = config.get('HOOK_INLINE_IMAGES', { infer: true });
    this.linkBaseUrl = config.get('HOOK_LINK_BASE_URL', { infer: true }) ?? '';
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
    await Promise.all(this.subscribers.map((subscriber) => subscriber.close?.()));
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
    const [waiting]: unknown[] = await this.dataSource.query(`SELECT 1 FROM "hook" WHERE NOT "fanned_out" LIMIT 1`);
    if (!waiting) return 0;
    const subscribers = JSON.stringify(this.subscribers.map(({ name, types }) => ({ name, types })));
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FAN_OUT_LOCK_ID]);
      const [, fannedOut]: [unknown[], number] = await manager.query(
        `WITH waiting AS (
           SELECT "seq", "type", "ordering_key" FROM "hook" WHERE NOT "fanned_out" ORDER BY "seq" LIMIT $2),
         deliveries AS (
           INSERT INTO "hook_delivery" ("hook_seq", "subscriber", "ordering_key")
           SELECT w."seq", s."name", w."ordering_key"
             FROM waiting w JOIN jsonb_to_recordset($1::jsonb) AS s("name" text, "types" text[]) ON w."type" = ANY(s."types")
            ORDER BY w."seq"
           ON CONFLICT DO NOTHING)
         UPDATE "hook" h SET "fanned_out" = true FROM waiting w WHERE h."seq" = w."seq" RETURNING h."seq"`,
        [subscribers, FAN_OUT_BATCH],
      );
      return fannedOut;
    });
  }

  /** Leases due deliveries of this instance's subscribers, at most one per subscriber and ordering key. */
  private async claim(): Promise<ClaimedDelivery[]> {
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `WITH due AS (
         SELECT d."hook_seq", d."subscriber" FROM "hook_delivery" d
          WHERE d."status" = 'pending' AND d."next_attempt_at" <= now() AND d."subscriber" = ANY($1::text[])
            AND (d."claimed_until" IS NULL OR d."claimed_until" <= now())
            AND NOT EXISTS (
              SELECT 1 FROM "hook_delivery" e
               WHERE e."status" = 'pending' AND e."subscriber" = d."subscriber"
                 AND ${textPrefixEquals('e."ordering_key"', 'd."ordering_key"')} AND e."hook_seq" < d."hook_seq")
          ORDER BY d."next_attempt_at", d."hook_seq"
          LIMIT $2
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE "hook_delivery" d
          SET "claimed_until" = now() + $3 * interval '1 millisecond', "claim_token" = $4,
              "attempts" = d."attempts" + 1, "last_attempt_at" = now()
         FROM due JOIN "hook" h ON h."seq" = due."hook_seq"
        WHERE d."hook_seq" = due."hook_seq" AND d."subscriber" = due."subscriber"
        RETURNING d."hook_seq", d."subscriber", d."attempts", d."claim_token", h."id", h."type", h."event_id", h."created_at", h."payload"`,
      [[...this.byName.keys()], CLAIM_BATCH, this.timeoutMs + LEASE_MARGIN_MS, randomUUID()],
    );
    return rows;
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
    const reason =
      error instanceof DeliveryError ? error.message : `the subscriber failed: ${(error as Error)?.message ?? String(error)}`;
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
    await this.dataSource.query(
      `UPDATE "hook_delivery" d
          SET "status" = o."status",
              "delivered_at" = CASE WHEN o."status" = 'delivered' THEN now() END,
              "next_attempt_at" = CASE WHEN o."retry_in_ms" IS NULL THEN d."next_attempt_at"
                                       ELSE now() + o."retry_in_ms" * interval '1 millisecond' END,
              "last_error" = coalesce(o."error", d."last_error"),
              "claimed_until" = NULL, "claim_token" = NULL
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::integer[])
              AS o("hook_seq", "subscriber", "status", "error", "retry_in_ms")
        WHERE d."hook_seq" = o."hook_seq" AND d."subscriber" = o."subscriber" AND d."claim_token" = $6`,
      [
        outcomes.map((outcome) => outcome.delivery.hook_seq),
        outcomes.map((outcome) => outcome.delivery.subscriber),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.error),
        outcomes.map((outcome) => outcome.retryInMs),
        claimToken,
      ],
    );
  }

  /** One message (and its JSON body) per hook, with its image links (and bytes when HOOK_INLINE_IMAGES). */
  private async messagesFor(claimed: ClaimedDelivery[]): Promise<Map<string, { message: HookMessage; body: string }>> {
    const eventIds = [...new Set(claimed.map((delivery) => delivery.event_id))];
    const images: (HookImageRow & { event_id: string })[] = await this.dataSource.query(
      `SELECT "event_id", "kind", "content_type", "byte_size"${this.inlineImages ? ', "data"' : ''}
         FROM "history_event_image" WHERE "event_id" = ANY($1::bigint[]) AND "byte_size" > 0`,
      [eventIds],
    );
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
