import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, IsNull, LessThan, Raw } from 'typeorm';
import { textDigestEquals } from '../database/long-text';
import type { ImageKind } from '../events/dto/history-event.dto';
import { HistoryEventImageEntity } from '../events/entities/history-event-image.entity';
import type { EventCursor } from '../admin/cursor';
import type { GalleryChangeListQueryDto, IdentityListQueryDto } from './dto/identity.dto';
import type { RegistrationChangeRow, RegistrationOutcome } from './dto/registration.dto';
import { GalleryChangeEntity, GalleryOutcome } from './entities/gallery-change.entity';
import { GalleryFaceEntity } from './entities/gallery-face.entity';
import { GalleryIdentityEntity } from './entities/gallery-identity.entity';

/** Advisory locks of the gallery's hook claims: (this space, hashtext(hook id)). Two hooks sharing a hash only take turns. */
const HOOK_CLAIM_LOCK_SPACE = 0x5e3_6a11;
/** The unique key of gallery_identity: the digests of (group_name, identity_id), see long-text.ts. */
const IDENTITY_KEY = '((text_digest("group_name")), (text_digest("identity_id")))';

/** Equal to `value`, through the digest index (see long-text.ts); `name` names the parameter. */
const digestEquals = (name: string, value: string) => Raw((column) => textDigestEquals(column, `:${name}`), { [name]: value });

const REGISTRATION_CONDITION: Record<RegistrationOutcome, string> = {
  registered: `EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration' AND c.outcome = 'registered')`,
  already_registered: `EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration' AND c.outcome = 'already_registered')`,
  rejected: `EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration' AND c.outcome = 'rejected')`,
  pending: `NOT EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration')`,
};

/** Who an identity is, as a hook names it. */
export interface IdentityKey {
  group: string;
  id: string;
}

/**
 * The gallery's tables (gallery_identity, gallery_face, gallery_change). Writes take the manager
 * of the transaction in which one hook is handled (`transaction`); reads are for the admin API.
 */
@Injectable()
export class GalleryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Takes the hook's claim for the rest of the transaction (an overlapping attempt waits here
   * until the first one ends); true when the hook was handled already.
   */
  async claimHook(manager: EntityManager, hookId: string): Promise<boolean> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [HOOK_CLAIM_LOCK_SPACE, hookId]);
    return manager.existsBy(GalleryChangeEntity, { hookId });
  }

  async insertChange(manager: EntityManager, change: GalleryChangeEntity): Promise<void> {
    await manager.insert(GalleryChangeEntity, change);
  }

  /** The event's first non-empty image of `kinds`, in that order of preference. */
  async firstImage(manager: EntityManager, eventId: string, kinds: ImageKind[]): Promise<HistoryEventImageEntity | undefined> {
    const images = await manager
      .createQueryBuilder(HistoryEventImageEntity, 'image')
      .where('image.eventId = :eventId AND image.byteSize > 0 AND image.kind IN (:...kinds)', { eventId, kinds })
      .getMany();
    return kinds.map((kind) => images.find((image) => image.kind === kind)).find((image) => image !== undefined);
  }

  /** Inserts the identity unless it exists; true when it was inserted. */
  async insertIdentityIfNew(manager: EntityManager, key: IdentityKey, name: string, personType: number): Promise<boolean> {
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO "gallery_identity" ("group_name", "identity_id", "name", "person_type")
       VALUES ($1, $2, $3, $4) ON CONFLICT ${IDENTITY_KEY} DO NOTHING RETURNING "id"`,
      [key.group, key.id, name, personType],
    );
    return inserted.length > 0;
  }

  /** Inserts the identity, or updates its name and person type; true when it was inserted. */
  async upsertIdentity(manager: EntityManager, key: IdentityKey, name: string, personType: number): Promise<boolean> {
    const [{ created }]: { created: boolean }[] = await manager.query(
      `INSERT INTO "gallery_identity" ("group_name", "identity_id", "name", "person_type")
       VALUES ($1, $2, $3, $4)
       ON CONFLICT ${IDENTITY_KEY}
         DO UPDATE SET "name" = excluded."name", "person_type" = excluded."person_type", "updated_at" = now()
       RETURNING (xmax = 0) AS "created"`,
      [key.group, key.id, name, personType],
    );
    return created;
  }

  findIdentityByKey(manager: EntityManager, key: IdentityKey): Promise<GalleryIdentityEntity> {
    return manager
      .createQueryBuilder(GalleryIdentityEntity, 'i')
      .where(`${textDigestEquals('i.group_name', ':group')} AND ${textDigestEquals('i.identity_id', ':id')}`, {
        group: key.group,
        id: key.id,
      })
      .getOneOrFail();
  }

  /** Marks the identity's current face as replaced (now). */
  async retireCurrentFace(manager: EntityManager, galleryIdentityId: string): Promise<void> {
    await manager.update(GalleryFaceEntity, { galleryIdentityId, replacedAt: IsNull() }, { replacedAt: () => 'now()' });
  }

  async insertFace(manager: EntityManager, face: GalleryFaceEntity): Promise<void> {
    await manager.insert(GalleryFaceEntity, face);
  }

  /** Ids of want_action 1001 events, newest first, after `cursor`, with `outcome` when given; `limit` at most. */
  async registrationEventIds(limit: number, cursor: EventCursor | null, outcome?: RegistrationOutcome): Promise<string[]> {
    const params: unknown[] = [limit];
    const conditions = [`e.want_action = '1001'`];
    if (cursor) {
      params.push(new Date(cursor.eventTimeMs), cursor.id);
      conditions.push(`(e.event_time, e.id) < ($2::timestamptz, $3::bigint)`);
    }
    if (outcome) conditions.push(REGISTRATION_CONDITION[outcome]);
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT e.id FROM history_event e WHERE ${conditions.join(' AND ')} ORDER BY e.event_time DESC, e.id DESC LIMIT $1`,
      params,
    );
    return rows.map((row) => row.id);
  }

  /** What the gallery did with the registrations of these events. */
  registrationChanges(eventIds: string[]): Promise<RegistrationChangeRow[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT event_id, outcome, reason, gallery_identity_id, created_at FROM gallery_change
        WHERE event_id = ANY($1::bigint[]) AND hook_type = 'stranger.registration'`,
      [eventIds],
    );
  }

  /** Hooks handled with each outcome in [from, to). */
  outcomeCounts(from: Date, to: Date): Promise<{ outcome: GalleryOutcome; n: string }[]> {
    return this.dataSource.query(
      `SELECT outcome, count(*)::text AS n FROM gallery_change WHERE created_at >= $1 AND created_at < $2 GROUP BY outcome`,
      [from, to],
    );
  }

  /** Newest first, one more than the limit when a next page follows. */
  identitiesPage(query: IdentityListQueryDto): Promise<GalleryIdentityEntity[]> {
    const where: FindOptionsWhere<GalleryIdentityEntity> = {};
    const before = query.decodedCursor();
    if (before) where.id = LessThan(before);
    if (query.group_name !== undefined) where.groupName = digestEquals('group_name', query.group_name);
    if (query.identity_id !== undefined) where.identityId = digestEquals('identity_id', query.identity_id);
    return this.dataSource.getRepository(GalleryIdentityEntity).find({ where, order: { id: 'DESC' }, take: query.limit + 1 });
  }

  findIdentity(id: string): Promise<GalleryIdentityEntity | null> {
    return this.dataSource.getRepository(GalleryIdentityEntity).findOneBy({ id });
  }

  identityExists(id: string): Promise<boolean> {
    return this.dataSource.getRepository(GalleryIdentityEntity).existsBy({ id });
  }

  /** Every face of the identity, oldest first, without the bytes. */
  facesOf(galleryIdentityId: string): Promise<GalleryFaceEntity[]> {
    return this.dataSource.getRepository(GalleryFaceEntity).find({
      select: {
        id: true,
        imageKind: true,
        contentType: true,
        byteSize: true,
        sha256: true,
        eventId: true,
        hookId: true,
        createdAt: true,
        replacedAt: true,
      },
      where: { galleryIdentityId },
      order: { id: 'ASC' },
    });
  }

  historyOf(galleryIdentityId: string): Promise<GalleryChangeEntity[]> {
    return this.dataSource.getRepository(GalleryChangeEntity).find({ where: { galleryIdentityId }, order: { id: 'ASC' } });
  }

  currentFace(galleryIdentityId: string): Promise<GalleryFaceEntity | null> {
    return this.dataSource.getRepository(GalleryFaceEntity).findOneBy({ galleryIdentityId, replacedAt: IsNull() });
  }

  /** Newest first, one more than the limit when a next page follows. */
  changesPage(query: GalleryChangeListQueryDto): Promise<GalleryChangeEntity[]> {
    const where: FindOptionsWhere<GalleryChangeEntity> = {};
    const before = query.decodedCursor();
    if (before) where.id = LessThan(before);
    if (query.outcome) where.outcome = query.outcome;
    if (query.hook_type) where.hookType = query.hook_type;
    if (query.event_id) where.eventId = query.event_id;
    return this.dataSource.getRepository(GalleryChangeEntity).find({ where, order: { id: 'DESC' }, take: query.limit + 1 });
  }
}
