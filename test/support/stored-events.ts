import type { DataSource } from 'typeorm';
import { HistoryEventEntity } from '../../src/events/entities/history-event.entity';
import { rebuildHistoryEvent, StoredHistoryEvent } from '../../src/events/history-event.mapper';

export async function loadStoredEvent(dataSource: DataSource, id: string): Promise<StoredHistoryEvent> {
  return (await dataSource.getRepository(HistoryEventEntity).findOneOrFail({
    where: { id },
    relations: { extData: true, fiqa: true, images: true },
  })) as StoredHistoryEvent;
}

/** The event rebuilt from the database rows alone. */
export async function rebuildFromDatabase(dataSource: DataSource, id: string): Promise<Record<string, unknown>> {
  return rebuildHistoryEvent(await loadStoredEvent(dataSource, id));
}

export async function countRows(dataSource: DataSource, table: string): Promise<number> {
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM ${table}`);
  return count;
}
