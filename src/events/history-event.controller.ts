import { BadRequestException, Controller, HttpCode, HttpStatus, Post, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiRequestTimeoutResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { isUtf8 } from 'node:buffer';
import { clientAddress } from '../common/client-address';
import { ErrorResponseDto } from '../common/error-response';
import { UploadIntake } from '../intake/body-intake.decorators';
import { BodyIntake, formFilesOf, JSON_TYPES } from '../intake/body-intake.service';
import { JsonCostLimits } from '../intake/json-cost';
import { addToRequestLog } from '../logging/http-logger';
import { HistoryEventDto, IMAGE_KINDS } from './dto/history-event.dto';
import { IngestResponseDto, mapIngestResponse } from './dto/ingest-response.dto';
import { eventFromForm } from './form-upload';
import { HistoryEventIngestService, IngestResult, Upload } from './history-event-ingest.service';
import { isPlainObject } from './history-event.parser';
import { jsonArrayElements, undecodableBodyOf } from './undecodable-body';

/** The path agreed with the box vendor; INGEST_PATHS adds others (default: the box's own /HistoryEvent). */
export const HISTORY_EVENT_PATH = '/EventServer/api/HistoryEvent';
/** The box uploads at most 100 events at a time. */
export const MAX_EVENTS_PER_UPLOAD = 100;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

@ApiTags('upload')
@ApiExtraModels(HistoryEventDto)
@Controller()
export class HistoryEventController {
  private readonly jsonLimits: JsonCostLimits;

  constructor(
    private readonly ingestService: HistoryEventIngestService,
    intake: BodyIntake,
  ) {
    this.jsonLimits = intake.jsonCostLimits;
  }

  /**
   * Receives one event or a batch of up to 100, as JSON or as a form. Answers 200 once every
   * event is committed (stored, a duplicate of one stored earlier, or quarantined), so that
   * the box moves its cursor on.
   */
  @Post(HISTORY_EVENT_PATH)
  @UploadIntake({ maxFiles: IMAGE_KINDS.length })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Upload events (the box)',
    description:
      'One event or a batch of up to 100, as JSON, or one event as a form (ext_data as JSON text, images as base64 fields or file parts). ' +
      'Answered 200 once every event is committed: stored, a duplicate of one stored earlier, or quarantined. Also served at INGEST_PATHS.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data')
  @ApiBody({
    description: 'One event, or an array of 1 to 100 events',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(HistoryEventDto) },
        { type: 'array', minItems: 1, maxItems: MAX_EVENTS_PER_UPLOAD, items: { $ref: getSchemaPath(HistoryEventDto) } },
      ],
    },
  })
  @ApiOkResponse({ type: IngestResponseDto, description: 'Every event committed; one result per event' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description:
      'A body that does not parse, is empty, too deep or holds more than 100 events; with INVALID_EVENT_POLICY=reject, an invalid event',
  })
  @ApiRequestTimeoutResponse({
    type: ErrorResponseDto,
    description: 'The body did not arrive within BODY_READ_TIMEOUT_MS, or slower than BODY_MIN_BYTES_PER_SECOND',
  })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponseDto,
    description:
      'Over BODY_LIMIT (on the wire or once inflated), JSON_MAX_ELEMENTS, the form field or part counts, or IMAGE_MAX_BYTES for a file part',
  })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'Another content type, charset or content encoding' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The database cannot be reached: retry later' })
  async upload(@Req() req: Request): Promise<IngestResponseDto> {
    const upload = this.toUpload(req);
    addToRequestLog(req, { dev_sno: devSnosOf(upload.events) });
    const results = await this.ingestService.ingest(upload);
    addToRequestLog(req, { outcome: countResults(results) });
    return mapIngestResponse(results);
  }

  private toUpload(req: Request): Upload {
    const receivedFrom = clientAddress(req);
    if (req.is(JSON_TYPES)) {
      const body: unknown = req.body;
      if (body === undefined || Number(req.headers['content-length']) === 0) {
        throw new BadRequestException('the request body is empty: send one event object or an array of events');
      }
      const undecodable = undecodableBodyOf(req);
      if (!Array.isArray(body)) {
        return { events: [body], batch: false, format: 'json', receivedFrom, undecodable: undecodable && [undecodable] };
      }
      if (body.length === 0 || body.length > MAX_EVENTS_PER_UPLOAD) {
        throw new BadRequestException(`a batch holds 1 to ${MAX_EVENTS_PER_UPLOAD} events; this one holds ${body.length}`);
      }
      return {
        events: body,
        batch: true,
        format: 'json',
        receivedFrom,
        undecodable: undecodable && undecodableEvents(undecodable, body.length),
      };
    }
    if (req.is(FORM_TYPES)) {
      const event = eventFromForm((req.body ?? {}) as Record<string, unknown>, formFilesOf(req), this.jsonLimits);
      return { events: [event], batch: false, format: 'form', receivedFrom };
    }
    throw new UnsupportedMediaTypeException(
      'Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data',
    );
  }
}

/**
 * Of a batch whose body is not valid UTF-8, the bytes of each event that is not; the others are
 * valid and go through as usual. Should the body not split into as many events, each keeps the
 * whole body.
 */
function undecodableEvents(body: Buffer, count: number): (Buffer | undefined)[] {
  const elements = jsonArrayElements(body);
  if (elements?.length !== count) return Array.from({ length: count }, () => body);
  return elements.map((bytes) => (isUtf8(bytes) ? undefined : bytes));
}

const LOGGABLE_DEV_SNO = /^[A-Za-z0-9._:-]{0,64}$/;

/** The boxes of an upload, as a log field: usually one dev_sno; never more than a few, never odd text. */
function devSnosOf(events: unknown[]): string | undefined {
  const devSnos = new Set<string>();
  for (const event of events) {
    const devSno = isPlainObject(event) && isPlainObject(event.ext_data) ? event.ext_data.dev_sno : undefined;
    if (typeof devSno === 'string' && LOGGABLE_DEV_SNO.test(devSno)) devSnos.add(devSno);
  }
  return devSnos.size > 0 ? [...devSnos].slice(0, 3).join(',') : undefined;
}

function countResults(results: IngestResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { result } of results) counts[result] = (counts[result] ?? 0) + 1;
  return counts;
}
