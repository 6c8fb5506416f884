import request from 'supertest';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { entityRowGroupsSql, entityRowsSql, SqlParameters, tuples } from '../src/database/entity-rows-sql';
import { typeOrmOptions } from '../src/database/typeorm-options';
import { ENTITIES } from '../src/entities';
import { HookEntity } from '../src/events/entities/hook.entity';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { Receipt, toHistoryEventDetails, toHistoryEventEntity } from '../src/events/history-event.mapper';
import { parseHistoryEvent } from '../src/events/history-event.parser';
import { HistoryEventRepository, MAX_PARAMETERS, NewEventRows } from '../src/events/history-event.repository';
import { toHookEntities } from '../src/events/hook.mapper';
import { freshEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** A table as a later migration might leave it: a column with a default that the mapper does not set yet. */
@Entity('probe_row')
class ProbeRowEntity {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'added_later', type: 'integer', default: 7 })
  addedLater: number;
}

const probe = (id: number, fields: Partial<ProbeRowEntity> = {}) => Object.assign(new ProbeRowEntity(), { id, ...fields });

describe('entityRowsSql: what the one-statement writes send', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ ...typeOrmOptions(database.url, 2), entities: [...ENTITIES, ProbeRowEntity] }).initialize();
    await dataSource.query(`CREATE TABLE probe_row (id integer PRIMARY KEY, note text, added_later integer NOT NULL DEFAULT 7)`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('sends a property left undefined as DEFAULT, and null as NULL', async () => {
    const params = new SqlParameters();
    const sql = entityRowsSql(
      dataSource,
      ProbeRowEntity,
      [probe(1), probe(2, { note: null, addedLater: 3 }), probe(3, { note: 'set' })],
      params,
    );
    expect(sql.rows[0]).toEqual(['$1::integer', 'DEFAULT', 'DEFAULT']);
    // NULL in a NOT NULL column would fail the whole statement: a 500 for every upload.
    await dataSource.query(`INSERT INTO ${sql.table} (${sql.columns.join(', ')}) VALUES ${tuples(sql.rows)}`, params.values);
    expect(await dataSource.query('SELECT id, note, added_later FROM probe_row ORDER BY id')).toEqual([
      { id: 1, note: null, added_later: 7 },
      { id: 2, note: null, added_later: 3 },
      { id: 3, note: 'set', added_later: 7 },
    ]);
  });

  it('groups rows inserted through a SELECT by the columns they set, each group naming only those', async () => {
    const params = new SqlParameters();
    const rows = [probe(11), probe(12, { addedLater: 5, note: 'a' }), probe(13), probe(14, { addedLater: 6, note: 'b' })];
    const groups = entityRowGroupsSql(dataSource, ProbeRowEntity, rows, params);
    expect(groups.map((group) => ({ columns: group.columns, indexes: group.indexes }))).toEqual([
      { columns: ['"id"'], indexes: [0, 2] },
      { columns: ['"id"', '"note"', '"added_later"'], indexes: [1, 3] },
    ]);
    // As the ingest does: every group in one statement (a data-modifying CTE each).
    const inserts = groups.map(
      (group, index) => `g${index} AS (INSERT INTO ${group.table} (${group.columns.join(', ')})
         SELECT ${group.columns.map((column) => `v.${column}`).join(', ')} FROM (VALUES ${tuples(group.rows)}) AS v(${group.columns.join(', ')}))`,
    );
    await dataSource.query(`WITH ${inserts.join(', ')} SELECT 1`, params.values);
    expect(await dataSource.query('SELECT id, note, added_later FROM probe_row WHERE id > 10 ORDER BY id')).toEqual([
      { id: 11, note: null, added_later: 7 },
      { id: 12, note: 'a', added_later: 5 },
      { id: 13, note: null, added_later: 7 },
      { id: 14, note: 'b', added_later: 6 },
    ]);
  });

  it('stores an event whose outbox rows leave their defaulted columns unset (created_at, fanned_out)', async () => {
    const repository = new HistoryEventRepository(dataSource);
    const [row] = newEventRows([freshEvent('snapcam-stranger-1001.json')], { eventStored: true });
    for (const hook of row.hooks) {
      delete (hook as Partial<HookEntity>).createdAt;
      delete (hook as Partial<HookEntity>).fannedOut;
    }
    const written = await repository.insertNew([row], []);
    expect(written).toHaveLength(1);
    const hooks = await dataSource.query('SELECT type, fanned_out, created_at FROM hook WHERE event_id = $1 ORDER BY type', [
      written[0].id,
    ]);
    expect(hooks.map((hook: { type: string; fanned_out: boolean }) => [hook.type, hook.fanned_out])).toEqual([
      ['event.stored', false],
      ['stranger.registration', false],
    ]);
    for (const hook of hooks) expect(hook.created_at).toBeInstanceOf(Date);
  });

  it('writes the largest upload (100 events, every field, unknown keys, FIQA objects, three images, two hooks each) in one statement', async () => {
    const repository = new HistoryEventRepository(dataSource);
    const rows = newEventRows(largestBatch(), { eventStored: true });
    const statements = repository.newRowsStatements(rows, []);
    expect(statements).toHaveLength(1);
    const parameters = statements[0].params.values.length;
    console.log(`the largest upload's write takes ${parameters} parameters of PostgreSQL's ${MAX_PARAMETERS}`);
    expect(parameters).toBeLessThanOrEqual(MAX_PARAMETERS);
    const written = await repository.insertNew(rows, []);
    expect(written).toHaveLength(100);
    const [{ images, fiqa, hooks }] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM history_event_image WHERE event_id = ANY($1::bigint[])) AS images,
              (SELECT count(*)::int FROM history_event_fiqa WHERE event_id = ANY($1::bigint[])) AS fiqa,
              (SELECT count(*)::int FROM hook WHERE event_id = ANY($1::bigint[])) AS hooks`,
      [written.map((entry) => entry.id)],
    );
    expect({ images, fiqa, hooks }).toEqual({ images: 300, fiqa: 200, hooks: 200 });
  });

  it('splits a write that would pass the parameter ceiling into statements of whole events, each under it, storing every event', async () => {
    const repository = new HistoryEventRepository(dataSource);
    const events = Array.from({ length: 12 }, () => largestBatch()).flat();
    const rows = newEventRows(events, { eventStored: true });
    const statements = repository.newRowsStatements(rows, []);
    expect(statements.length).toBeGreaterThan(1);
    for (const statement of statements) expect(statement.params.values.length).toBeLessThanOrEqual(MAX_PARAMETERS);
    const written = await repository.insertNew(rows, []);
    expect(written).toHaveLength(1200);
    expect(new Set(written.map((entry) => entry.key.toString('hex')))).toEqual(new Set(rows.map((row) => row.key.toString('hex'))));
    const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM hook WHERE event_id = ANY($1::bigint[])', [
      written.map((entry) => entry.id),
    ]);
    expect(n).toBe(2400);
  });
});

/** 100 events of the richest shape a box sends: every field, all three images, both FIQA objects, unknown keys, want_action 1001. */
function largestBatch(): Record<string, any>[] {
  return Array.from({ length: 100 }, (_, index) => {
    const event = freshEvent('seed-example.json', { want_action: '1001', firmware: { version: '3.1', channels: [1, 2, index] } });
    event.ext_data.temperature = 36.6;
    event.ext_data.box_fiqa_info.vendor_score = index / 100;
    return event;
  });
}

/** The rows the ingest writes for these events (parsed and mapped as an upload's are). */
function newEventRows(events: Record<string, any>[], hookOptions: { eventStored: boolean }): NewEventRows[] {
  const receipt: Receipt = { receivedAt: new Date(), receivedFrom: '127.0.0.1' };
  return events.map((raw) => {
    const outcome = parseHistoryEvent(raw, { imageMaxBytes: 5 * 1024 * 1024, maxDepth: 32 });
    if (!outcome.valid) throw new Error(`the sample is not valid: ${JSON.stringify(outcome.errors)}`);
    const event = toHistoryEventEntity(outcome.event, receipt);
    return {
      key: event.dedupKey,
      event,
      ...toHistoryEventDetails(outcome.event),
      hooks: toHookEntities(outcome.event, receipt.receivedAt, hookOptions),
    };
  });
}

describe('uploads through the service', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp({ HOOK_EVENT_STORED: 'true', HOOK_DISPATCHER_ENABLED: 'false' });
  });

  afterAll(async () => {
    await target?.close();
  });

  it('stores the largest upload a box sends, every event of it', async () => {
    const response = await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).send(largestBatch()).expect(200);
    const results = (response.body as { data: { events: { result: string }[] } }).data.events;
    expect(results.map((result) => result.result)).toEqual(Array(100).fill('stored'));
  });
});
