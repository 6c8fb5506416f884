import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan, Not } from 'typeorm';
import { QuarantinedEventEntity } from '../../events/entities/quarantined-event.entity';
import { AdminQueries } from '../admin-queries';
import type { QuarantineListQueryDto } from './dto/quarantine.dto';

@Injectable()
export class QuarantineRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AdminQueries,
  ) {}

  /** Newest first, one more than the limit when a next page follows; without the payloads (they may hold images). */
  page(query: QuarantineListQueryDto): Promise<QuarantinedEventEntity[]> {
    const before = query.decodedCursor();
    return this.queries.read((manager) =>
      manager.getRepository(QuarantinedEventEntity).find({
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
      }),
    );
  }

  find(id: string): Promise<QuarantinedEventEntity | null> {
    return this.dataSource.getRepository(QuarantinedEventEntity).findOneBy({ id });
  }

  /** Records the event a replay stored; null when a concurrent replay recorded one first. */
  async markReplayed(id: string, eventId: string): Promise<Date | null> {
    const [marked]: { replayed_at: Date }[] = await this.dataSource.query(
      `WITH marked AS (
         UPDATE quarantined_event SET replayed_event_id = $2, replayed_at = now()
          WHERE id = $1 AND replayed_event_id IS NULL RETURNING replayed_at
       )
       SELECT replayed_at FROM marked`,
      [id, eventId],
    );
    return marked?.replayed_at ?? null;
  }
}
