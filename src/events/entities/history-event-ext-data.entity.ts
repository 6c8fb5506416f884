import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, Relation } from 'typeorm';
import { HistoryEventEntity, type UnknownFields } from './history-event.entity';

/** The event's `ext_data`: where it was seen and who the box thinks it was. Images live apart. */
@Entity('history_event_ext_data')
export class HistoryEventExtDataEntity {
  @PrimaryColumn({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @OneToOne(() => HistoryEventEntity, (event) => event.extData, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  @Column({ name: 'device_ip', type: 'text' })
  deviceIp: string;

  @Column({ name: 'ep_id', type: 'text' })
  epId: string;

  /** The box's authorisation code; '' when the box is not in managed mode. */
  @Column({ name: 'dev_sno', type: 'text' })
  devSno: string;

  /** 1 employee, 2 visitor, 3 blacklist, 4 stranger, 5 VIP; 1 when the box left it out. */
  @Column({ name: 'person_type', type: 'smallint' })
  personType: number;

  /** false when the box left person_type out, so that the original can be rebuilt. */
  @Column({ name: 'person_type_sent', type: 'boolean' })
  personTypeSent: boolean;

  @Column({ name: 'device_type', type: 'text' })
  deviceType: string;

  /** ext_data keys the spec does not document. */
  @Column({ name: 'extra_fields', type: 'jsonb', nullable: true })
  extraFields: UnknownFields | null;
}
