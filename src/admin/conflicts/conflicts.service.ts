import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, Repository } from 'typeorm';
import { splitPage } from '../../common/id-cursor';
import { EventConflictEntity } from '../../events/entities/event-conflict.entity';
import { ConflictDetailDto, ConflictListQueryDto, ConflictPageDto, mapConflict, mapConflictDetail } from './dto/conflict.dto';

@Injectable()
export class ConflictsService {
  private readonly conflicts: Repository<EventConflictEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.conflicts = dataSource.getRepository(EventConflictEntity);
  }

  /** Newest first, without the payloads (they may hold images). */
  async list(query: ConflictListQueryDto): Promise<ConflictPageDto> {
    const before = query.decodedCursor();
    const rows = await this.conflicts.find({
      select: { id: true, eventId: true, receivedAt: true, receivedFrom: true, format: true, differences: true, withheldHook: true },
      where: {
        ...(before ? { id: LessThan(before) } : {}),
        ...(query.event_id !== undefined ? { eventId: query.event_id } : {}),
      },
      order: { id: 'DESC' },
      take: query.limit + 1,
    });
    const page = splitPage(rows, query.limit, (row) => row.id);
    return { items: page.rows.map(mapConflict), next_cursor: page.next_cursor };
  }

  async detail(id: string): Promise<ConflictDetailDto> {
    const row = await this.conflicts.findOneBy({ id });
    if (!row) throw new NotFoundException(`there is no conflict ${id}`);
    return mapConflictDetail(row);
  }
}
