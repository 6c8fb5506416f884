import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { ErrorResponse, FieldErrorsException } from '../../common/error-response';
import { splitPage } from '../../common/id-cursor';
import { QuarantinedEventEntity } from '../../events/entities/quarantined-event.entity';
import { HistoryEventIngestService, IngestResult } from '../../events/history-event-ingest.service';
import {
  mapQuarantinedEvent,
  mapQuarantinedEventDetail,
  QuarantinedEventDetailDto,
  QuarantineListQueryDto,
  QuarantinePageDto,
  replayedAlready,
  ReplayResultDto,
} from './dto/quarantine.dto';
import { QuarantineRepository } from './quarantine.repository';

@Injectable()
export class QuarantineService {
  constructor(
    private readonly repository: QuarantineRepository,
    private readonly ingestService: HistoryEventIngestService,
  ) {}

  /** Newest first, without the payloads (they may hold images). */
  async list(query: QuarantineListQueryDto): Promise<QuarantinePageDto> {
    const rows = await this.repository.page(query);
    const page = splitPage(rows, query.limit, (row) => row.id);
    return { items: page.rows.map(mapQuarantinedEvent), next_cursor: page.next_cursor };
  }

  async detail(id: string): Promise<QuarantinedEventDetailDto> {
    return mapQuarantinedEventDetail(await this.find(id));
  }

  /**
   * Validates the stored event again, as an upload from the same address (a form upload is
   * stored already converted to its JSON event). When it passes, it is stored like any upload
   * (a duplicate of a stored event answers with that event, a differing copy of one is kept as
   * a conflict of that event) and the quarantine row records the
   * event id; a second replay answers with the same id. When it still fails: 422 with the errors.
   */
  async replay(id: string): Promise<ReplayResultDto> {
    const row = await this.find(id);
    if (row.replayedEventId !== null) return replayedAlready(row);
    const [result] = await this.ingest(row);
    if (result.result === 'quarantined') throw stillInvalid(result.errors);
    const replayedAt = await this.repository.markReplayed(id, result.id);
    // A concurrent replay marked it first: answer as it did.
    if (replayedAt === null) return replayedAlready(await this.find(id));
    return {
      event_id: result.id,
      result: result.result,
      replayed_at: replayedAt,
      ...(result.result === 'conflict' ? { conflict_id: result.conflict_id } : {}),
    };
  }

  private async ingest(row: QuarantinedEventEntity): Promise<IngestResult[]> {
    try {
      return await this.ingestService.ingest({
        events: [JSON.parse(row.payload)],
        batch: false,
        format: 'json',
        receivedFrom: row.receivedFrom,
      });
    } catch (error) {
      // INVALID_EVENT_POLICY=reject refuses the upload instead of quarantining it again.
      if (error instanceof FieldErrorsException) throw stillInvalid((error.getResponse() as ErrorResponse).errors);
      throw error;
    }
  }

  private async find(id: string): Promise<QuarantinedEventEntity> {
    const row = await this.repository.find(id);
    if (!row) throw new NotFoundException(`no quarantined event ${id}`);
    return row;
  }
}

const stillInvalid = (errors: ErrorResponse['errors']) =>
  new FieldErrorsException('the event still fails validation; it stays in quarantine', errors, HttpStatus.UNPROCESSABLE_ENTITY);
