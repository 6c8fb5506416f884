import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

export type EventResult = 'stored' | 'duplicate' | 'conflict' | 'quarantined' | 'rejected';
export type RetentionKind = 'images' | 'stranger_images' | 'events' | 'quarantine' | 'conflicts';

/** device_type is free text from the box: only the documented values become label values. */
const KNOWN_DEVICE_TYPES = new Set(['0', '1', '2', '3', '4']);

/**
 * The service's Prometheus metrics, in a registry of its own (process metrics included).
 * Label values are bounded: nothing a client sends can grow the number of series.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly events = new Counter({
    name: 'se3_ingest_events_total',
    help: 'Uploaded events by result, device type and person type',
    labelNames: ['result', 'device_type', 'person_type'] as const,
    registers: [this.registry],
  });

  readonly ingestDuration = new Histogram({
    name: 'se3_ingest_request_duration_seconds',
    help: 'Time to answer an upload, by HTTP status class',
    labelNames: ['status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly ingestBodyBytes = new Histogram({
    name: 'se3_ingest_request_body_bytes',
    help: 'Size of upload bodies',
    buckets: [1024, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864],
    registers: [this.registry],
  });

  private readonly hookDeliveries = new Counter({
    name: 'se3_hook_delivery_attempts_total',
    help: 'Hook delivery attempts by outcome: delivered, to be retried, dead (no attempt left)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly retentionRemoved = new Counter({
    name: 'se3_retention_removed_total',
    help: "Rows removed by retention: images, strangers' images, events (with what belongs to them), quarantined events, conflicting copies",
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'se3_db_pool_connections',
      help: 'Database pool connections: in use, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = (dataSource.driver as unknown as { master?: Pool }).master;
        if (!pool) return;
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  countEvent(result: EventResult, deviceType?: string, personType?: number): void {
    this.events.inc({
      result,
      device_type: deviceType === undefined ? 'unknown' : KNOWN_DEVICE_TYPES.has(deviceType) ? deviceType : 'other',
      person_type: personType === undefined ? 'unknown' : String(personType),
    });
  }

  countHookAttempt(outcome: 'delivered' | 'retry' | 'dead'): void {
    this.hookDeliveries.inc({ outcome });
  }

  countRetention(kind: RetentionKind, rows: number): void {
    this.retentionRemoved.inc({ kind }, rows);
  }

  /** A gauge read from the database at each scrape, e.g. hooks by state. */
  gaugeFromDatabase(name: string, help: string, label: string, read: () => Promise<Record<string, number>>): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      async collect() {
        this.reset();
        // While the database is down the gauge is left empty rather than failing the scrape.
        const values = await read().catch(() => ({}));
        for (const [value, count] of Object.entries(values)) this.set({ [label]: value }, count);
      },
    });
  }
}
