import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { ImageKind } from '../events/dto/history-event.dto';
import { HistoryEventImageEntity } from '../events/entities/history-event-image.entity';
import { textDigestEquals } from '../database/long-text';
import type { HookMessage } from '../hooks/hook-message';
import { GalleryChangeEntity, GalleryOutcome } from './entities/gallery-change.entity';
import { GalleryFaceEntity } from './entities/gallery-face.entity';
import { GalleryIdentityEntity } from './entities/gallery-identity.entity';

const STRANGER = 4;
/** Advisory locks of the gallery's hook claims: (this space, hashtext(hook id)). Two hooks sharing a hash only take turns. */
const HOOK_CLAIM_LOCK_SPACE = 0x5e3_6a11;
/** The unique key of gallery_identity: the digests of (group_name, identity_id), see long-text.ts. */
const IDENTITY_KEY = '((text_digest("group_name")), (text_digest("identity_id")))';
/** The face a registration keeps: the cropped face, else the scene photo. */
const REGISTRATION_IMAGES: ImageKind[] = ['recognize_face', 'spot_pic'];
/** The face an update keeps: the registered picture the box sent, else the cropped face. */
const UPDATE_IMAGES: ImageKind[] = ['reg_pic', 'recognize_face'];

interface Change {
  outcome: GalleryOutcome;
  reason: string | null;
  identity: GalleryIdentityEntity | null;
  face: GalleryFaceEntity | null;
}

/**
 * The platform's copy of the face gallery, kept up to date by the want_action hooks it receives
 * as internal events. Each hook is handled in one transaction and recorded in gallery_change
 * under its hook id: a hook delivered again changes nothing. Attempts at one hook can overlap (a
 * delivery that timed out keeps running while its retry starts): each claims the hook first.
 */
@Injectable()
export class GalleryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * want_action 1001: a stranger becomes a new identity with its face, unless the box's FIQA
   * judged the image poor or there is no image; then the attempt is recorded as rejected.
   */
  @OnEvent('stranger.registration', { suppressErrors: false })
  async registerStranger(hook: HookMessage): Promise<void> {
    await this.handleOnce(hook, async (manager) => {
      const personType = hook.identity.person_type;
      if (personType !== STRANGER) return rejected(`person_type is ${personType}, not ${STRANGER} (stranger)`);
      if (hook.fiqa.result === false) {
        const fails = hook.fiqa.fails.length > 0 ? ` (failed: ${hook.fiqa.fails.join(', ')})` : '';
        return rejected(`the box's face-quality check (box_fiqa_info.fiqa_result) judged the image too poor${fails}`);
      }
      const image = await this.firstImage(manager, hook.event_id, REGISTRATION_IMAGES);
      if (!image) return rejected('the event has no face image (recognize_face) and no scene photo (spot_pic)');

      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO "gallery_identity" ("group_name", "identity_id", "name", "person_type")
         VALUES ($1, $2, $3, $4) ON CONFLICT ${IDENTITY_KEY} DO NOTHING RETURNING "id"`,
        [hook.identity.group, hook.identity.id, hook.identity.name, personType],
      );
      if (inserted.length === 0) {
        const identity = await this.findIdentity(manager, hook);
        return { outcome: 'already_registered', reason: 'this identity is already in the gallery', identity, face: null };
      }
      const identity = await this.findIdentity(manager, hook);
      const face = await this.addFace(manager, identity, hook, image);
      return { outcome: 'registered', reason: null, identity, face };
    });
  }

  /**
   * want_action 1002: the identity's face is replaced by the event's image, the earlier faces
   * kept as history; an identity the gallery does not know yet is created.
   */
  @OnEvent('gallery.update', { suppressErrors: false })
  async updateFace(hook: HookMessage): Promise<void> {
    await this.handleOnce(hook, async (manager) => {
      const image = await this.firstImage(manager, hook.event_id, UPDATE_IMAGES);
      if (!image) return rejected('the event has no registered picture (reg_pic) and no face image (recognize_face)');
      const [{ created }]: { created: boolean }[] = await manager.query(
        `INSERT INTO "gallery_identity" ("group_name", "identity_id", "name", "person_type")
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ${IDENTITY_KEY}
           DO UPDATE SET "name" = excluded."name", "person_type" = excluded."person_type", "updated_at" = now()
         RETURNING (xmax = 0) AS "created"`,
        [hook.identity.group, hook.identity.id, hook.identity.name, hook.identity.person_type],
      );
      const identity = await this.findIdentity(manager, hook);
      await manager.update(
        GalleryFaceEntity,
        { galleryIdentityId: identity.id, replacedAt: IsNull() },
        { replacedAt: () => 'now()' },
      );
      const face = await this.addFace(manager, identity, hook, image);
      return { outcome: created ? 'identity_created' : 'face_replaced', reason: null, identity, face };
    });
  }

  private async handleOnce(hook: HookMessage, decide: (manager: EntityManager) => Promise<Change>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // The claim: an overlapping attempt waits here until the first one ends, then finds its
      // change (or, if it rolled back, does the work itself). Checking first and inserting last
      // would let both do the work and fail the second on gallery_change's unique hook id.
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [HOOK_CLAIM_LOCK_SPACE, hook.id]);
      if (await manager.existsBy(GalleryChangeEntity, { hookId: hook.id })) return;
      const change = await decide(manager);
      const row = new GalleryChangeEntity();
      row.hookId = hook.id;
      row.hookType = hook.type;
      row.eventId = hook.event_id;
      row.groupName = hook.identity.group;
      row.identityId = hook.identity.id;
      row.galleryIdentityId = change.identity?.id ?? null;
      row.faceId = change.face?.id ?? null;
      row.outcome = change.outcome;
      row.reason = change.reason;
      await manager.insert(GalleryChangeEntity, row);
    });
  }

  private async firstImage(manager: EntityManager, eventId: string, kinds: ImageKind[]): Promise<HistoryEventImageEntity | undefined> {
    const images = await manager
      .createQueryBuilder(HistoryEventImageEntity, 'image')
      .where('image.eventId = :eventId AND image.byteSize > 0 AND image.kind IN (:...kinds)', { eventId, kinds })
      .getMany();
    return kinds.map((kind) => images.find((image) => image.kind === kind)).find((image) => image !== undefined);
  }

  private findIdentity(manager: EntityManager, hook: HookMessage): Promise<GalleryIdentityEntity> {
    return manager
      .createQueryBuilder(GalleryIdentityEntity, 'i')
      .where(`${textDigestEquals('i.group_name', ':group')} AND ${textDigestEquals('i.identity_id', ':id')}`, {
        group: hook.identity.group,
        id: hook.identity.id,
      })
      .getOneOrFail();
  }

  private async addFace(
    manager: EntityManager,
    identity: GalleryIdentityEntity,
    hook: HookMessage,
    image: HistoryEventImageEntity,
  ): Promise<GalleryFaceEntity> {
    const face = new GalleryFaceEntity();
    face.galleryIdentityId = identity.id;
    face.hookId = hook.id;
    face.eventId = hook.event_id;
    face.imageKind = image.kind;
    face.contentType = image.contentType!;
    face.byteSize = image.byteSize;
    face.sha256 = image.sha256;
    face.data = image.data;
    face.replacedAt = null;
    await manager.insert(GalleryFaceEntity, face);
    return face;
  }
}

function rejected(reason: string): Change {
  return { outcome: 'rejected', reason, identity: null, face: null };
}
