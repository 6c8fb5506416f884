import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { isDatabaseUnavailable } from '../src/common/database-errors';
import { MIGRATION_LOCK_ID } from '../src/database/migration-runner';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { adminGet, eventOf } from './support/admin-api';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, serverUrl, TestDatabase } from './support/test-database';
import { nextTimestamp } from './support/samples';

/**
 * The "database unavailable" classes of error, made with a real PostgreSQL: a role out of
 * connections, a database that refuses connections, a renamed database, a role that lost its
 * login, and statements held behind a lock. Each must answer 503 with Retry-After (the box
 * retries), make readiness false without naming the database, the role or the host, and pass
 * again once the cause is gone.
 */

async function asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Closes the service's connections, so that the next request needs a new one. */
const disconnect = (client: Client, role: string) =>
  client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);

const uploadOne = (target: TestApp) =>
  request(target.app.getHttpServer())
    .post(HISTORY_EVENT_PATH)
    .send(eventOf({ timestamp: nextTimestamp() }));

describe('database unavailable: every class is 503 with Retry-After, readiness false without names', () => {
  const role = `se3_role_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let database: TestDatabase;
  let target: TestApp;

  beforeAll(async () => {
    // Empty, so that the role creates (and owns) the tables it uses, as a service's own role would.
    database = await createTestDatabase({ empty: true });
    await asAdmin(async (client) => {
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      await client.query(`ALTER DATABASE ${database.name} OWNER TO ${role}`);
    });
    const url = new URL(database.url);
    url.username = role;
    url.password = password;
    target = await createTestApp({ DATABASE_POOL_SIZE: '2' }, { database: { ...database, url: url.toString() } });
    await uploadOne(target).expect(200);
  });

  afterAll(async () => {
    await target?.close();
    await database?.drop();
    await asAdmin((client) => client.query(`DROP ROLE IF EXISTS ${role}`));
  });

  const expectUnavailable = async () => {
    const upload = await uploadOne(target);
    expect({ status: upload.status, body: upload.body }).toEqual({
      status: 503,
      body: { status: 503, message: 'database unavailable, retry later', errors: [] },
    });
    expect(upload.headers['retry-after']).toBe('5');
    const ready = await request(target.app.getHttpServer()).get('/health/ready').expect(503);
    expect(ready.body.errors).toContainEqual({
      field: 'database',
      message: 'the database does not answer or refuses the connection (the service log says why)',
    });
    const text = JSON.stringify(ready.body);
    for (const name of [database.name, role, '127.0.0.1', 'localhost']) expect(text).not.toContain(name);
  };

  const expectBack = async () => {
    await uploadOne(target).expect(200);
    await request(target.app.getHttpServer()).get('/health/ready').expect(200);
  };

  it('53300: the role has no connection left (CONNECTION LIMIT)', async () => {
    await asAdmin(async (client) => {
      await client.query(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
      await disconnect(client, role);
    });
    try {
      await expectUnavailable();
    } finally {
      await asAdmin((client) => client.query(`ALTER ROLE ${role} CONNECTION LIMIT -1`));
    }
    await expectBack();
  });

  it('55000: the database does not accept connections (ALLOW_CONNECTIONS false)', async () => {
    await asAdmin(async (client) => {
      await client.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
      await disconnect(client, role);
    });
    try {
      await expectUnavailable();
    } finally {
      await asAdmin((client) => client.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`));
    }
    await expectBack();
  });

  it('3D000: the database was renamed', async () => {
    await asAdmin(async (client) => {
      await disconnect(client, role);
      await client.query(`ALTER DATABASE ${database.name} RENAME TO ${database.name}_moved`);
    });
    try {
      await expectUnavailable();
    } finally {
      await asAdmin(async (client) => {
        await disconnect(client, role);
        await client.query(`ALTER DATABASE ${database.name}_moved RENAME TO ${database.name}`);
      });
    }
    await expectBack();
  });

  it('28000: the role may no longer log in', async () => {
    await asAdmin(async (client) => {
      await client.query(`ALTER ROLE ${role} NOLOGIN`);
      await disconnect(client, role);
    });
    try {
      await expectUnavailable();
    } finally {
      await asAdmin((client) => client.query(`ALTER ROLE ${role} LOGIN`));
    }
    await expectBack();
  });
});

describe('statements held too long: statement_timeout, lock_timeout and ADMIN_QUERY_TIMEOUT', () => {
  /** Holds an exclusive lock on history_event until `release()`: every statement on it waits. */
  async function lockEvents(): Promise<{ release(): Promise<void> }> {
    const client = new Client({ connectionString: lockTarget });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE history_event IN ACCESS EXCLUSIVE MODE');
    return {
      release: async () => {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }
  let lockTarget = '';

  it('an upload held longer than DATABASE_STATEMENT_TIMEOUT is answered 503, and the next one passes', async () => {
    const target = await createTestApp({ DATABASE_STATEMENT_TIMEOUT: '300ms', DATABASE_LOCK_TIMEOUT: '0' });
    lockTarget = target.database.url;
    try {
      const [{ statement_timeout }] = await target.dataSource.query('SHOW statement_timeout');
      expect(statement_timeout).toBe('300ms');
      const lock = await lockEvents();
      try {
        const held = await uploadOne(target);
        expect({ status: held.status, retryAfter: held.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '5' });
      } finally {
        await lock.release();
      }
      await uploadOne(target).expect(200);
    } finally {
      await target.close();
    }
  });

  it('an upload waiting longer than DATABASE_LOCK_TIMEOUT for a lock is answered 503', async () => {
    const target = await createTestApp({ DATABASE_STATEMENT_TIMEOUT: '20s', DATABASE_LOCK_TIMEOUT: '200ms' });
    lockTarget = target.database.url;
    try {
      const [{ lock_timeout }] = await target.dataSource.query('SHOW lock_timeout');
      expect(lock_timeout).toBe('200ms');
      const lock = await lockEvents();
      try {
        const started = Date.now();
        const held = await uploadOne(target);
        expect(held.status).toBe(503);
        // Not the statement timeout (20 s): the lock timeout ended it.
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await lock.release();
      }
      await uploadOne(target).expect(200);
    } finally {
      await target.close();
    }
  });

  it('an admin search longer than ADMIN_QUERY_TIMEOUT is answered 503, asking to narrow it', async () => {
    const target = await createTestApp({ ADMIN_QUERY_TIMEOUT: '100ms', DATABASE_STATEMENT_TIMEOUT: '20s', DATABASE_LOCK_TIMEOUT: '0' });
    lockTarget = target.database.url;
    try {
      await uploadOne(target).expect(200);
      const lock = await lockEvents();
      try {
        for (const [path, query] of [
          ['/api/events', { identity_name: 'tom', count: 'true' }],
          ['/api/events/summary', { from: '2023-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }],
          ['/api/devices', {}],
        ] as const) {
          const response = await adminGet(target, path, query);
          expect({ path, status: response.status, retryAfter: response.headers['retry-after'] }).toEqual({
            path,
            status: 503,
            retryAfter: '5',
          });
          expect(response.body.message).toMatch(/^the query took longer than ADMIN_QUERY_TIMEOUT \(100ms\): narrow it/);
        }
      } finally {
        await lock.release();
      }
      await adminGet(target, '/api/events', { identity_name: 'tom', count: 'true' }).expect(200);
    } finally {
      await target.close();
    }
  });

  it('migrations wait for their turn however long, without the lock timeout', async () => {
    const database = await createTestDatabase();
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      // Another instance migrating: the lock is held for longer than DATABASE_LOCK_TIMEOUT.
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      const released = new Promise((resolve) => setTimeout(resolve, 1_000)).then(() =>
        holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]),
      );
      const target = await createTestApp({ DATABASE_LOCK_TIMEOUT: '100ms' }, { database });
      await released;
      try {
        await request(target.app.getHttpServer()).get('/health/ready').expect(200);
      } finally {
        await target.close();
      }
    } finally {
      await holder.end();
      await database.drop();
    }
  });
});

describe('isDatabaseUnavailable', () => {
  const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

  it.each([
    ['08006', 'connection failure'],
    ['53300', 'too many connections'],
    ['53100', 'disk full'],
    ['53200', 'out of memory'],
    ['57014', 'statement timeout'],
    ['57P01', 'admin shutdown'],
    ['57P03', 'cannot connect now (starting up)'],
    ['58030', 'I/O error'],
    ['3D000', 'database does not exist'],
    ['28000', 'role may not log in'],
    ['28P01', 'password authentication failed'],
    ['55000', 'database does not accept connections'],
    ['55P03', 'lock timeout'],
    ['25006', 'read-only (a standby after a failover)'],
    ['40001', 'serialisation failure'],
    ['40P01', 'deadlock'],
    ['ECONNREFUSED', 'connection refused'],
  ])('%s (%s) is "retry later"', (code) => {
    expect(isDatabaseUnavailable(pgError(code))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('query failed'), { driverError: pgError(code) }))).toBe(true);
  });

  it.each([
    ['23505', 'unique violation'],
    ['22P05', 'untranslatable character'],
    ['22021', 'invalid byte sequence'],
    ['42P01', 'undefined table'],
    ['22008', 'datetime out of range'],
  ])('%s (%s) is not', (code) => {
    expect(isDatabaseUnavailable(pgError(code))).toBe(false);
  });
});
