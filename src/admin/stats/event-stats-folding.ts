import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { EventStatsRepository } from './event-stats.repository';

/** The newest event id handed out (committed or not) when `at` was read, on the database's clock. */
export interface IdMark {
  lastId: string;
  at: Date;
}

/**
 * Folds stored events into the running totals that `GET /api/devices` and the summary read
 * (`edge_point`, `event_count_slot`), outside the ingest statement, so that uploads never wait
 * on a counter row. Events are folded in id order up to a watermark.
 *
 * Ids are handed out before commit, so a transaction can commit a lower id after a higher one.
 * A range of ids is therefore folded only once every id in it is settled: `mark()` notes the
 * highest id handed out and the time; once no transaction that started before that time can
 * still commit an event (`isSettled`), every event up to that id is either visible or never
 * will be. Readers add the events above the watermark themselves, so answers are exact at any
 * moment; folding only keeps that remainder small.
 *
 * Assumes what the service sets up: the id sequence hands out ids one at a time (CACHE 1), and
 * the writers of events connect with the service's database role (their sessions are visible).
 */
export class EventStatsFolding {
  private readonly repository: EventStatsRepository;

  constructor(dataSource: DataSource) {
    this.repository = new EventStatsRepository(dataSource);
  }

  async mark(): Promise<IdMark> {
    const row = await this.repository.sequenceMark();
    if (Number(row.cache) !== 1) {
      throw new Error(`the sequence of history_event.id caches ${row.cache} values per session; folding needs CACHE 1`);
    }
    return { lastId: row.last_id, at: row.at };
  }

  /**
   * True once no transaction that started before the mark could still commit an event with an
   * id up to the mark's.
   */
  async isSettled(mark: IdMark): Promise<boolean> {
    return (await this.repository.transactionsRunningSince(mark.at)) === 0;
  }

  /** Folds every event up to `upTo` not folded yet (by any instance). Returns the number of events folded. */
  async foldUpTo(upTo: string): Promise<number> {
    let folded = 0;
    for (;;) {
      const step = await this.repository.foldNext(upTo);
      if (step === null) return folded;
      folded += step;
    }
  }

  /** Marks, waits until the mark is settled (at most `timeoutMs`), and folds up to it. False if it did not settle. */
  async catchUp(timeoutMs = 10_000): Promise<boolean> {
    const mark = await this.mark();
    const deadline = Date.now() + timeoutMs;
    while (!(await this.isSettled(mark))) {
      if (Date.now() > deadline) return false;
      await sleep(20);
    }
    await this.foldUpTo(mark.lastId);
    return true;
  }
}
