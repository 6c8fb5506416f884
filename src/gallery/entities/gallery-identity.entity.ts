import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A person in the platform's copy of the face gallery, known by the box's (group_name, identity_id). */
@Entity('gallery_identity')
// Unique (text_digest(group_name), text_digest(identity_id)): the texts can be longer than a
// btree entry. Created by the migration (src/database/long-text.ts).
@Index('gallery_identity_key', { synchronize: false })
export class GalleryIdentityEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'group_name', type: 'text' })
  groupName: string;

  /** The box's identity_id. */
  @Column({ name: 'identity_id', type: 'text' })
  identityId: string;

  @Column({ type: 'text' })
  name: string;

  /** 1 employee, 2 visitor, 3 blacklist, 4 stranger, 5 VIP, as the latest event said. */
  @Column({ name: 'person_type', type: 'smallint' })
  personType: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
