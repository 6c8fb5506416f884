import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, Repository } from 'typeorm';
import { EventConflictEntity } from '../../events/entities/event-conflict.entity';
import type { ConflictListQueryDto } from './dto/conflict.dto';

@Injectable()
export class ConflictsRepository {
  private readonly conflicts: Repository<EventConflictEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.conflicts = dataSource.getRepository(EventConflictEntity);
  }

  /** Newest first, one more than the limit when a next page follows; without the payloads (they may hold images). */
  page(query: ConflictListQueryDto): Promise<EventConflictEntity[]> {
    const before = query.decodedCursor();
    return this.conflicts.find({
      select: { id: true, eventId: true, receivedAt: true, receivedFrom: true, format: true, differences: true, withheldHook: true },
      where: {
        ...(before ? { id: LessThan(before) } : {}),
        ...(query.event_id !== undefined ? { eventId: query.event_id } : {}),
      },
      order: { id: 'DESC' },
      take: query.limit + 1,
    });
  }

  find(id: string): Promise<EventConflictEntity | null> {
    return this.conflicts.findOneBy({ id });
  }
}
