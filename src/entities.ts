import { EdgePointEntity } from './admin/stats/entities/edge-point.entity';
import { EventCountSlotEntity } from './admin/stats/entities/event-count-slot.entity';
import { EventCountValueEntity } from './admin/stats/entities/event-count-value.entity';
import { EventStatsWatermarkEntity } from './admin/stats/entities/event-stats-watermark.entity';
import { ConsoleSessionEntity } from './auth/session/console-session.entity';
import { EventConflictEntity } from './events/entities/event-conflict.entity';
import { HistoryEventExtDataEntity } from './events/entities/history-event-ext-data.entity';
import { HistoryEventFiqaEntity } from './events/entities/history-event-fiqa.entity';
import { HistoryEventImageEntity } from './events/entities/history-event-image.entity';
import { HistoryEventEntity } from './events/entities/history-event.entity';
import { HookEntity } from './events/entities/hook.entity';
import { QuarantinedEventEntity } from './events/entities/quarantined-event.entity';
import { GalleryChangeEntity } from './gallery/entities/gallery-change.entity';
import { GalleryFaceEntity } from './gallery/entities/gallery-face.entity';
import { GalleryIdentityEntity } from './gallery/entities/gallery-identity.entity';
import { HookDeliveryEntity } from './hooks/entities/hook-delivery.entity';
import { RetentionWatermarkEntity } from './retention/retention-watermark.entity';
import { EventImageThumbnailEntity } from './thumbnails/event-image-thumbnail.entity';
import { GalleryFaceThumbnailEntity } from './thumbnails/gallery-face-thumbnail.entity';

/**
 * Every entity, the one list TypeORM is given: by the application (DatabaseModule), the
 * migration CLI (data-source.ts) and the test that compares entities with migrations. A new
 * entity goes here, or that test fails.
 */
export const ENTITIES = [
  HistoryEventEntity,
  HistoryEventExtDataEntity,
  HistoryEventFiqaEntity,
  HistoryEventImageEntity,
  QuarantinedEventEntity,
  EventConflictEntity,
  HookEntity,
  HookDeliveryEntity,
  GalleryIdentityEntity,
  GalleryFaceEntity,
  GalleryChangeEntity,
  EventImageThumbnailEntity,
  GalleryFaceThumbnailEntity,
  EdgePointEntity,
  EventCountSlotEntity,
  EventCountValueEntity,
  EventStatsWatermarkEntity,
  RetentionWatermarkEntity,
  ConsoleSessionEntity,
];
