import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import type { ImageKind } from '../events/dto/history-event.dto';
import type { HistoryEventImageEntity } from '../events/entities/history-event-image.entity';
import type { HookMessage } from '../hooks/hook-message';
import { GalleryChangeEntity, GalleryOutcome } from './entities/gallery-change.entity';
import { GalleryFaceEntity } from './entities/gallery-face.entity';
import type { GalleryIdentityEntity } from './entities/gallery-identity.entity';
import { GalleryRepository } from './gallery.repository';

const STRANGER = 4;
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
  constructor(private readonly repository: GalleryRepository) {}

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
      const image = await this.repository.firstImage(manager, hook.event_id, REGISTRATION_IMAGES);
      if (!image) return rejected('the event has no face image (recognize_face) and no scene photo (spot_pic)');

      if (!(await this.repository.insertIdentityIfNew(manager, hook.identity, hook.identity.name, personType))) {
        const identity = await this.repository.findIdentityByKey(manager, hook.identity);
        return { outcome: 'already_registered', reason: 'this identity is already in the gallery', identity, face: null };
      }
      const identity = await this.repository.findIdentityByKey(manager, hook.identity);
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
      const image = await this.repository.firstImage(manager, hook.event_id, UPDATE_IMAGES);
      if (!image) return rejected('the event has no registered picture (reg_pic) and no face image (recognize_face)');
      const created = await this.repository.upsertIdentity(manager, hook.identity, hook.identity.name, hook.identity.person_type);
      const identity = await this.repository.findIdentityByKey(manager, hook.identity);
      await this.repository.retireCurrentFace(manager, identity.id);
      const face = await this.addFace(manager, identity, hook, image);
      return { outcome: created ? 'identity_created' : 'face_replaced', reason: null, identity, face };
    });
  }

  private async handleOnce(hook: HookMessage, decide: (manager: EntityManager) => Promise<Change>): Promise<void> {
    await this.repository.transaction(async (manager) => {
      // The claim: an overlapping attempt waits here until the first one ends, then finds its
      // change (or, if it rolled back, does the work itself). Checking first and inserting last
      // would let both do the work and fail the second on gallery_change's unique hook id.
      if (await this.repository.claimHook(manager, hook.id)) return;
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
      await this.repository.insertChange(manager, row);
    });
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
    await this.repository.insertFace(manager, face);
    return face;
  }
}

function rejected(reason: string): Change {
  return { outcome: 'rejected', reason, identity: null, face: null };
}
