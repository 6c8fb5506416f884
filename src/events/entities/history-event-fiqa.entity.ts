import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { JsonObject } from '../../common/json';
import { bigintAsNumber } from './column-transformers';
import { HistoryEventEntity } from './history-event.entity';

export const FIQA_SOURCES = ['grab', 'box'] as const;
export type FiqaSource = (typeof FIQA_SOURCES)[number];

/** The FIQA object as the box sent it. */
export type FiqaObject = JsonObject;

/**
 * Face-quality (FIQA) results of one event, one row per source: `grab` (the snapshot camera's
 * `grab_fiqa_info`) and `box` (the box's own `box_fiqa_info`). The documented fields have typed
 * columns, null where the source does not report them; `raw` keeps the whole object.
 */
@Entity('history_event_fiqa')
@Check('history_event_fiqa_source', `"source" IN ('grab', 'box')`)
export class HistoryEventFiqaEntity {
  @PrimaryColumn({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @PrimaryColumn({ type: 'varchar', length: 4 })
  source: FiqaSource;

  @ManyToOne(() => HistoryEventEntity, (event) => event.fiqa, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  @Column({ type: 'double precision', nullable: true })
  age: number | null;

  /** 0 male, 1 female. */
  @Column({ type: 'smallint', nullable: true })
  sex: number | null;

  // Reported by the snapshot camera (grab).
  @Column({ type: 'double precision', nullable: true })
  confidence: number | null;

  @Column({ name: 'face_id', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  faceId: number | null;

  @Column({ type: 'double precision', nullable: true })
  pitch: number | null;

  @Column({ type: 'double precision', nullable: true })
  yaw: number | null;

  @Column({ type: 'double precision', nullable: true })
  roll: number | null;

  @Column({ name: 'eye_dist', type: 'double precision', nullable: true })
  eyeDist: number | null;

  @Column({ name: 'rect_top', type: 'double precision', nullable: true })
  rectTop: number | null;

  @Column({ name: 'rect_bottom', type: 'double precision', nullable: true })
  rectBottom: number | null;

  @Column({ name: 'rect_left', type: 'double precision', nullable: true })
  rectLeft: number | null;

  @Column({ name: 'rect_right', type: 'double precision', nullable: true })
  rectRight: number | null;

  @Column({ name: 'rel_rect_top', type: 'double precision', nullable: true })
  relRectTop: number | null;

  @Column({ name: 'rel_rect_bottom', type: 'double precision', nullable: true })
  relRectBottom: number | null;

  @Column({ name: 'rel_rect_left', type: 'double precision', nullable: true })
  relRectLeft: number | null;

  @Column({ name: 'rel_rect_right', type: 'double precision', nullable: true })
  relRectRight: number | null;

  // Computed by the box (box).
  /** false: the image is too poor for a stranger to be registered. */
  @Column({ name: 'fiqa_result', type: 'boolean', nullable: true })
  fiqaResult: boolean | null;

  @Column({ name: 'face_size', type: 'double precision', nullable: true })
  faceSize: number | null;

  @Column({ type: 'double precision', nullable: true })
  clarity: number | null;

  @Column({ type: 'double precision', nullable: true })
  brightness: number | null;

  @Column({ type: 'boolean', nullable: true })
  partial: boolean | null;

  @Column({ name: 'roll_angle', type: 'double precision', nullable: true })
  rollAngle: number | null;

  @Column({ name: 'pitch_angle', type: 'double precision', nullable: true })
  pitchAngle: number | null;

  @Column({ name: 'yaw_angle', type: 'double precision', nullable: true })
  yawAngle: number | null;

  /** Checks that passed (`success`) and failed (`fails`). */
  @Column({ name: 'checks_passed', type: 'text', array: true, nullable: true })
  checksPassed: string[] | null;

  @Column({ name: 'checks_failed', type: 'text', array: true, nullable: true })
  checksFailed: string[] | null;

  @Column({ type: 'jsonb' })
  raw: FiqaObject;
}
