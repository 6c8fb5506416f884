import { createHash } from 'node:crypto';
import type { FieldError } from '../common/error-response';
import { hookTypeOf } from './hook.mapper';
import { visibleText } from '../common/visible-text';
import { DEFAULT_PERSON_TYPE, HistoryEventDto, ImageKind, MAX_TEXT_LENGTH } from './dto/history-event.dto';
import { encodeImage } from './encoded-image';
import { comparableEvent, contentKeyOf, differencesOf, ImageDigest } from './event-content';
import { EventConflictEntity } from './entities/event-conflict.entity';
import { HistoryEventExtDataEntity } from './entities/history-event-ext-data.entity';
import { FiqaObject, HistoryEventFiqaEntity } from './entities/history-event-fiqa.entity';
import { HistoryEventImageEntity } from './entities/history-event-image.entity';
import { HistoryEventEntity } from './entities/history-event.entity';
import { QuarantinedEventEntity, UploadFormat } from './entities/quarantined-event.entity';
import { imagesOf, isPlainObject, ParsedHistoryEvent } from './history-event.parser';

/** Where and when an upload arrived. */
export interface Receipt {
  receivedAt: Date;
  receivedFrom: string | null;
}

/** The rows that hang off an event; the database links them to the event's id. */
export interface HistoryEventDetails {
  extData: HistoryEventExtDataEntity;
  fiqa: HistoryEventFiqaEntity[];
  images: HistoryEventImageEntity[];
}

/**
 * The payload carries no id and the box retries, so an event is identified by what it says:
 * which box and capture device, when, whom and how well it matched: the comparison itself,
 * which a retry repeats. sha256, cut to 16 bytes. (docs/event-identity.md says why these.)
 */
export function dedupKeyOf(dto: HistoryEventDto): Buffer {
  const identity = [dto.ext_data.dev_sno, dto.ext_data.ep_id, dto.timestamp, dto.identity_id, dto.score];
  return createHash('sha256').update(JSON.stringify(identity)).digest().subarray(0, 16);
}

export function toHistoryEventEntity(parsed: ParsedHistoryEvent, receipt: Receipt): HistoryEventEntity {
  const { dto } = parsed;
  const event = new HistoryEventEntity();
  event.dedupKey = dedupKeyOf(dto);
  event.contentKey = contentKeyOf(comparableUpload(parsed));
  event.identityId = dto.identity_id;
  event.identityName = dto.identity_name;
  event.groupName = dto.group_name;
  event.timestampMs = dto.timestamp;
  event.eventTime = new Date(dto.timestamp);
  event.score = dto.score;
  event.wantAction = dto.want_action;
  event.devSno = dto.ext_data.dev_sno;
  event.epId = dto.ext_data.ep_id;
  event.personType = dto.ext_data.person_type ?? DEFAULT_PERSON_TYPE;
  event.extraFields = parsed.extraFields;
  event.receivedAt = receipt.receivedAt;
  event.receivedFrom = receipt.receivedFrom;
  return event;
}

/** An uploaded event as copies are compared on: as sent, images by digest. */
export function comparableUpload(parsed: ParsedHistoryEvent): Record<string, unknown> {
  return comparableEvent(parsed.raw, Object.fromEntries(imagesOf(parsed.dto).map(([kind, image]) => [kind, image.digest()])));
}

/** A stored event as copies are compared on: rebuilt as sent, images by digest (their bytes are not needed). */
export function comparableStored(stored: StoredHistoryEvent): Record<string, unknown> {
  return rebuildHistoryEvent(stored, (image): ImageDigest => ({
    sha256: image.sha256.toString('hex'),
    byte_size: image.byteSize,
    data_url_prefix: image.dataUrlPrefix,
  }));
}

export function toHistoryEventDetails(parsed: ParsedHistoryEvent): HistoryEventDetails {
  const { dto } = parsed;
  const extData = new HistoryEventExtDataEntity();
  extData.deviceIp = dto.ext_data.device_ip;
  extData.epId = dto.ext_data.ep_id;
  extData.devSno = dto.ext_data.dev_sno;
  extData.personType = dto.ext_data.person_type ?? DEFAULT_PERSON_TYPE;
  extData.personTypeSent = dto.ext_data.person_type !== undefined;
  extData.deviceType = dto.ext_data.device_type;
  extData.extraFields = parsed.extDataExtraFields;

  const images = imagesOf(dto).map(([kind, decoded]) => {
    const image = new HistoryEventImageEntity();
    image.kind = kind;
    image.contentType = decoded.contentType;
    image.byteSize = decoded.bytes.length;
    image.sha256 = decoded.sha256();
    image.data = decoded.bytes;
    image.dataUrlPrefix = decoded.dataUrlPrefix;
    return image;
  });

  const fiqa = [
    fiqaRowOf('grab', parsed.grabFiqaRaw, null),
    fiqaRowOf('box', parsed.boxFiqaRaw, dto.ext_data.box_fiqa_info.fiqa_result ?? null),
  ];
  return { extData, fiqa, images };
}

/** The FIQA rows: each object whole, and the box's verdict, the one field queries read (see HistoryEventFiqaEntity). */
function fiqaRowOf(source: HistoryEventFiqaEntity['source'], raw: FiqaObject, verdict: boolean | null): HistoryEventFiqaEntity {
  const fiqa = new HistoryEventFiqaEntity();
  fiqa.source = source;
  fiqa.raw = raw;
  fiqa.fiqaResult = verdict;
  return fiqa;
}

/** A later copy of the stored event `eventId` whose content differs from it (`storedComparable`), kept as it came. */
export function toEventConflictEntity(
  eventId: string,
  copy: ParsedHistoryEvent,
  storedComparable: Record<string, unknown>,
  format: UploadFormat,
  receipt: Receipt,
): EventConflictEntity {
  const comparable = comparableUpload(copy);
  const row = new EventConflictEntity();
  row.eventId = eventId;
  row.contentKey = contentKeyOf(comparable);
  row.payload = JSON.stringify(copy.raw);
  row.format = format;
  row.differences = differencesOf(storedComparable, comparable);
  row.withheldHook = hookTypeOf(copy.dto.want_action);
  row.receivedAt = receipt.receivedAt;
  row.receivedFrom = receipt.receivedFrom;
  return row;
}

/**
 * An event that failed validation, kept as it came (as JSON text) with its errors, and its bytes
 * as received when the text cannot be faithful to them (`rawBytes`: they were not valid UTF-8).
 */
export function toQuarantinedEventEntity(
  raw: unknown,
  errors: FieldError[],
  format: UploadFormat,
  receipt: Receipt,
  rawBytes?: Buffer,
): QuarantinedEventEntity {
  const row = new QuarantinedEventEntity();
  row.payload = JSON.stringify(raw) ?? 'null';
  row.rawBytes = rawBytes ?? null;
  // Different bytes can decode to the same text: then the bytes tell two bad events apart.
  row.payloadKey = createHash('sha256')
    .update(rawBytes ?? row.payload)
    .digest()
    .subarray(0, 16);
  row.format = format;
  // jsonb refuses a NUL or an unpaired surrogate: paths and messages built from keys are written out.
  row.errors = errors.map((error) => ({ field: visibleText(error.field), message: visibleText(error.message) }));
  row.devSno = devSnoOf(raw);
  row.receivedAt = receipt.receivedAt;
  row.receivedFrom = receipt.receivedFrom;
  return row;
}

/** The box's dev_sno when it can be read and stored, to find a box's rejected events. */
function devSnoOf(raw: unknown): string | null {
  const extData = isPlainObject(raw) ? raw.ext_data : undefined;
  const devSno = isPlainObject(extData) ? extData.dev_sno : undefined;
  return typeof devSno === 'string' && devSno.length <= MAX_TEXT_LENGTH && !devSno.includes('\u0000') && devSno.isWellFormed()
    ? devSno
    : null;
}

/** A stored event with the rows that belong to it, as loaded for a rebuild. */
export type StoredHistoryEvent = HistoryEventEntity & Required<Pick<HistoryEventEntity, 'extData' | 'fiqa' | 'images'>>;

/**
 * The event exactly as the box sent it (JSON values; images byte for byte, with their data URL
 * prefix), rebuilt from what is stored. Form uploads come back as their JSON equivalent.
 * `imageValue` gives what stands for each image (by default its original base64 text).
 */
export function rebuildHistoryEvent(
  stored: StoredHistoryEvent,
  imageValue: (image: HistoryEventImageEntity) => unknown = (image) => encodeImage(image.data, image.dataUrlPrefix),
): Record<string, unknown> {
  const { extData } = stored;
  const image = (kind: ImageKind) => {
    const found = stored.images.find((candidate) => candidate.kind === kind);
    return found ? { [kind]: imageValue(found) } : {};
  };
  const fiqa = (source: HistoryEventFiqaEntity['source']) => stored.fiqa.find((candidate) => candidate.source === source)?.raw ?? {};
  return {
    identity_id: stored.identityId,
    identity_name: stored.identityName,
    group_name: stored.groupName,
    ...image('reg_pic'),
    timestamp: stored.timestampMs,
    score: stored.score,
    want_action: stored.wantAction,
    ext_data: {
      device_ip: extData.deviceIp,
      ep_id: extData.epId,
      ...image('spot_pic'),
      ...image('recognize_face'),
      ...(extData.personTypeSent ? { person_type: extData.personType } : {}),
      device_type: extData.deviceType,
      grab_fiqa_info: fiqa('grab'),
      box_fiqa_info: fiqa('box'),
      dev_sno: extData.devSno,
      ...extData.extraFields,
    },
    ...stored.extraFields,
  };
}
