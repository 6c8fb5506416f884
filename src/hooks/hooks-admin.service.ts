import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { splitPage } from '../common/id-cursor';
import { HookDto, HookListQueryDto, HookPageDto, mapHook } from './dto/hook.dto';
import { HookDispatcher } from './hook-dispatcher.service';
import { HookRepository } from './hook.repository';

const MAX_SEQ = '9223372036854775807';

/** The admin's view of the outbox: hooks with their deliveries, and retrying dead ones. */
@Injectable()
export class HooksAdminService {
  constructor(
    private readonly hooks: HookRepository,
    private readonly dispatcher: HookDispatcher,
  ) {}

  async list(query: HookListQueryDto): Promise<HookPageDto> {
    const before = query.decodedCursor() ?? MAX_SEQ;
    const status = query.status ?? 'all';
    const seqs = await this.hooks.pageSeqs(status, before, query.limit + 1, query.event_id);
    const page = splitPage(seqs, query.limit, (seq) => seq);
    const rows = await this.hooks.withDeliveries(page.rows);
    return { items: rows.map(mapHook), next_cursor: page.next_cursor };
  }

  /** Makes the hook's dead deliveries pending again, with a fresh retry schedule, due now. */
  async retry(id: string): Promise<HookDto> {
    const seq = await this.hooks.findSeq(id);
    if (seq === null) throw new NotFoundException(`there is no hook ${id}`);
    const revived = await this.hooks.reviveDead(seq);
    if (revived === 0) throw new ConflictException(`hook ${id} has no dead delivery to retry`);
    this.dispatcher.nudge();
    const [row] = await this.hooks.withDeliveries([seq]);
    return mapHook(row);
  }
}
