import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan, Not, Repository } from 'typeorm';
import { ErrorResponse, FieldErrorsException } from '../../common/error-response';
import { splitPage } from '../../common/id-cursor';
import { QuarantinedEventEntity } from '../../events/entities/quarantined-event.entity';
import { HistoryEventIngestService, IngestResult } from '../../events/history-event-ingest.service';
import { AdminQueries } from '../admin-queries';
import {
  mapQuarantinedEvent,
  mapQuarantinedEventDetail,
  QuarantinedEventDetailDto,
  QuarantineListQueryDto,
  QuarantinePageDto,
  replayedAlready,
  ReplayResultDto,
} from './dto/quarantine.dto';

@Injectable()
export class QuarantineService {
  private readonly quarantine: Repository<QuarantinedEventEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ingestService: HistoryEventIngestService,
    private readonly queries: AdminQueries,
  ) {
    this.quarantine = dataSource.getRepository(QuarantinedEventEntity);
  }

  /** Newest first, without the payloads (they may hold images). */
  async list(query: QuarantineListQueryDto): Promise<QuarantinePageDto> {
    const before = query.decodedCursor();
    const rows = await this.queries.read((manager) => manager.getRepository(QuarantinedEventEntity).find({
      select: {
        id: true,
        receivedAt: true,
        receivedFrom: true,
        format: true,
        devSno: true,
        errors: true,
        replayedEventId: true,
        replayedAt: true,
      },
      where: {
        ...(before ? { id: LessThan(before) } : {}),
        ...(query.dev_sno !== undefined ? { devSno: query.dev_sno } : {}),
        ...(query.replayed !== undefined ? { replayedEventId: query.replayed ? Not(IsNull()) : IsNull() } : {}),
      },
      order: { id: 'DESC' },
      take: query.limit + 1,
    }));
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
    const [marked]: { replayed_at: Date }[] = await this.dataSource.query(
      `WITH marked AS (
         UPDATE quarantined_event SET replayed_event_id = $2, replayed_at = now()
          WHERE id = $1 AND replayed_event_id IS NULL RETURNING replayed_at
       )
       SELECT replayed_at FROM marked`,
      [id, result.id],
    );
    // A concurrent replay marked it first: answer as it did.
    if (!marked) return replayedAlready(await this.find(id));
    return {
      event_id: result.id,
      result: result.result,
      replayed_at: marked.replayed_at,
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
    const row = await this.quarantine.findOneBy({ id });
    if (!row) throw new NotFoundException(`no quarantined event ${id}`);
    return row;
  }
}

const stillInvalid = (errors: ErrorResponse['errors']) =>
  new FieldErrorsException('the event still fails validation; it stays in quarantine', errors, HttpStatus.UNPROCESSABLE_ENTITY);
