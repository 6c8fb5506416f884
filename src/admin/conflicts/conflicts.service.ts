import { Injectable, NotFoundException } from '@nestjs/common';
import { splitPage } from '../../common/id-cursor';
import { ConflictsRepository } from './conflicts.repository';
import { ConflictDetailDto, ConflictListQueryDto, ConflictPageDto, mapConflict, mapConflictDetail } from './dto/conflict.dto';

@Injectable()
export class ConflictsService {
  constructor(private readonly repository: ConflictsRepository) {}

  /** Newest first, without the payloads (they may hold images). */
  async list(query: ConflictListQueryDto): Promise<ConflictPageDto> {
    const page = splitPage(await this.repository.page(query), query.limit, (row) => row.id);
    return { items: page.rows.map(mapConflict), next_cursor: page.next_cursor };
  }

  async detail(id: string): Promise<ConflictDetailDto> {
    const row = await this.repository.find(id);
    if (!row) throw new NotFoundException(`there is no conflict ${id}`);
    return mapConflictDetail(row);
  }
}
