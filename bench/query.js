'use strict';
// Admin API query benchmark: p50/p95 of the main queries at 100,000 and at 1,000,000 events,
// and the ratio between the two (a cost that does not grow with the table stays near 1).
//   node bench/query.js [--small 100000] [--large 1000000] [--requests 200]
// It seeds a throwaway database of its own: an embedded PostgreSQL in a temporary folder, or,
// with BENCH_DATABASE_URL=postgresql://user@host:5432/postgres, a database se3_bench_<pid>
// created on that server (and dropped at the end). It then starts the built service on it
// (node dist/main.js) and times each query through HTTP, one request at a time.
const { parseArgs } = require('node:util');
const { DataSource } = require('typeorm');
const { runMigrations } = require('../dist/database/migration-runner');
const { typeOrmOptions } = require('../dist/database/typeorm-options');
const { seedEvents } = require('../dist-tools/scripts/seed/event-seeder');
const { benchServer, startProcess, stopProcess } = require('./lib');

const { values: args } = parseArgs({
  options: {
    small: { type: 'string', default: '100000' },
    large: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
  },
});
const SMALL = Number(args.small);
const LARGE = Number(args.large);
const REQUESTS = Number(args.requests);
const KEY = 'bench-admin-key-0123456789';
const TZ = 'Europe/Berlin';
/** Both seedings cover the same 12 months: the larger table is denser, as a busier site's would be. */
const END = new Date(Date.UTC(2026, 0, 1));

/** The built service on the benchmark database, with a rate limit that the benchmark cannot reach. */
const startService = (databaseUrl, dataDir) =>
  startProcess({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, ADMIN_API_KEYS: KEY, ADMIN_RATE_LIMIT_PER_MINUTE: '1000000' });

async function get(base, path) {
  const response = await fetch(base + path, { headers: { authorization: `Bearer ${KEY}` } });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function time(base, path) {
  const started = process.hrtime.bigint();
  await get(base, path);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The five queries of the issue, with their parameters read from the seeded data. */
async function queries(base, dataSource) {
  let cursor;
  for (let page = 1; page < 1000; page++) {
    cursor = (await get(base, `/api/events?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).next_cursor;
  }
  const [{ dev_sno: busiestBox }] = await dataSource.query(
    `SELECT dev_sno FROM edge_point GROUP BY dev_sno ORDER BY sum(event_count) DESC LIMIT 1`,
  );
  const week = { from: '2025-09-01T00:00:00+02:00', to: '2025-09-08T00:00:00+02:00' };
  const month = { from: '2025-10-01T00:00:00+02:00', to: '2025-11-01T00:00:00+01:00' };
  const q = (params) => new URLSearchParams(params).toString();
  return [
    ['first page (50 newest)', '/api/events?limit=50'],
    ['page 1,000 through the cursor', `/api/events?limit=50&cursor=${cursor}`],
    ['a box + a week', `/api/events?${q({ dev_sno: busiestBox, ...week })}`],
    ['name substring "müll"', `/api/events?${q({ identity_name: 'müll' })}`],
    ['name substring "ravi richter"', `/api/events?${q({ identity_name: 'ravi richter' })}`],
    ['a month, daily, by person_type', `/api/events/summary?${q({ ...month, bucket: 'day', group_by: 'person_type', tz: TZ })}`],
  ];
}

async function measure(base, dataSource) {
  const results = new Map();
  for (const [name, path] of await queries(base, dataSource)) {
    for (let warm = 0; warm < 20; warm++) await time(base, path);
    const samples = [];
    for (let request = 0; request < REQUESTS; request++) samples.push(await time(base, path));
    samples.sort((a, b) => a - b);
    results.set(name, { p50: percentile(samples, 50), p95: percentile(samples, 95) });
  }
  return results;
}

async function main() {
  const server = await benchServer('query');
  const databaseUrl = await server.database('query');
  console.log(`benchmark database: ${server.where}`);
  const dataSource = await new DataSource(typeOrmOptions(databaseUrl, 2)).initialize();
  let service;
  try {
    await runMigrations(dataSource);
    const log = (message) => console.log(`  ${message}`);
    let seeded = await seedEvents(dataSource, { events: SMALL, end: END, months: 12, log });
    console.log(`seeded ${SMALL} events in ${(seeded.milliseconds / 1000).toFixed(1)} s`);
    service = await startService(databaseUrl, server.dataDir);
    const running = service;
    void running.exited.then((code) => running.stopping || console.error(`the service exited (${code}) during the benchmark`));
    const small = await measure(service.base, dataSource);
    seeded = await seedEvents(dataSource, { events: LARGE - SMALL, end: END, months: 12, log });
    console.log(`seeded ${LARGE - SMALL} more events in ${(seeded.milliseconds / 1000).toFixed(1)} s`);
    const large = await measure(service.base, dataSource);

    const ms = (value) => `${value.toFixed(1)} ms`;
    const label = (count) => (count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`);
    console.log(`\n${REQUESTS} requests per query, one at a time, through HTTP (Node ${process.version})`);
    console.table(
      [...small.keys()].map((name) => ({
        query: name,
        [`p50 @${label(SMALL)}`]: ms(small.get(name).p50),
        [`p95 @${label(SMALL)}`]: ms(small.get(name).p95),
        [`p50 @${label(LARGE)}`]: ms(large.get(name).p50),
        [`p95 @${label(LARGE)}`]: ms(large.get(name).p95),
        'p95 ratio': (large.get(name).p95 / small.get(name).p95).toFixed(2),
      })),
    );
  } finally {
    if (service) {
      service.stopping = true;
      await stopProcess(service);
    }
    await dataSource.destroy();
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
