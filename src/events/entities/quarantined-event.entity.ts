import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FieldError } from '../../common/error-response';

export type UploadFormat = 'json' | 'form';

/**
 * An uploaded event that failed validation, kept as it came with the reasons, so that the box
 * can move on and nothing is lost. It can be replayed once the cause is fixed.
 */
@Entity('quarantined_event')
@Check('quarantined_event_format', `"format" IN ('json', 'form')`)
export class QuarantinedEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** First 16 bytes of sha256 over `payload`: the same bad event sent again is kept once. */
  @Column({ name: 'payload_key', type: 'bytea', unique: true })
  payloadKey: Buffer;

  /**
   * The event as JSON text. Text rather than jsonb: jsonb refuses `\u0000` and lone surrogates,
   * which are among the reasons an event lands here.
   */
  @Column({ type: 'text' })
  payload: string;

  /**
   * The event's bytes as received, when they are not valid UTF-8: decoding put U+FFFD in the
   * place of some, so `payload` is not what the box sent. Null otherwise.
   */
  @Column({ name: 'raw_bytes', type: 'bytea', nullable: true })
  rawBytes: Buffer | null;

  @Column({ type: 'varchar', length: 8 })
  format: UploadFormat;

  @Column({ type: 'jsonb' })
  errors: FieldError[];

  /** `ext_data.dev_sno` when it could be read, to find a box's rejects. */
  @Column({ name: 'dev_sno', type: 'text', nullable: true })
  devSno: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'received_from', type: 'inet', nullable: true })
  receivedFrom: string | null;

  /** Set when a replay stored it as an event. */
  @Column({ name: 'replayed_event_id', type: 'bigint', nullable: true })
  replayedEventId: string | null;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt: Date | null;
}
