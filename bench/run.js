'use strict';
// `npm run bench`: the service against a raw baseline (bench/baseline-server.js: node:http and
// pg doing the same durable work), side by side on fresh databases of one PostgreSQL, driven in
// turn by autocannon with the same payloads and connections, A B A B. Prints requests/s,
// events/s, p50 and p99 latency and peak RSS for each run, and the ratio service/baseline.
//   node bench/run.js [--duration 10] [--rounds 2] [--payloads single60k,batch100,single300k] [--connections 16,64]
const autocannon = require('autocannon');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { benchServer, migrate, rssOf, startProcess, stopProcess } = require('./lib');
const { PAYLOADS, timestamps } = require('./payloads');

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    payloads: { type: 'string', default: 'single60k,batch100,single300k' },
    connections: { type: 'string', default: '16,64' },
  },
});
const DURATION = Number(args.duration);
const ROUNDS = Number(args.rounds);
const next = timestamps();

function load(target, payload, connections, seconds) {
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: `${target.base}/EventServer/api/HistoryEvent`,
        method: 'POST',
        connections,
        duration: seconds,
        // A box waits long for its answer: a batch queued behind others is slow, not failed.
        timeout: 60,
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: payload.render(next) }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

async function measure(target, payload, connections) {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(target.child.pid))), 100);
  try {
    const result = await load(target, payload, connections, DURATION);
    return {
      rps: result.requests.average,
      eventsPerSecond: result.requests.average * payload.eventsPerRequest,
      p50: result.latency.p50,
      p99: result.latency.p99,
      peakRssMb: Math.round(peakRss / 2 ** 20),
      failed: result.non2xx + result.errors + result.timeouts,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function main() {
  const server = await benchServer('ingest');
  const targets = [];
  try {
    const [serviceDb, baselineDb] = [await server.database('service'), await server.database('baseline')];
    await migrate(baselineDb);
    targets.push({ name: 'service', ...(await startProcess({ DATABASE_URL: serviceDb, DATA_DIR: server.dataDir })) });
    targets.push({ name: 'baseline', ...(await startProcess({ DATABASE_URL: baselineDb }, join(__dirname, 'baseline-server.js'))) });
    console.log(`databases: ${server.where}; ${DURATION} s per run, ${ROUNDS} rounds of A (service) B (baseline)\n`);

    const runs = [];
    const ratios = [];
    for (const payloadName of args.payloads.split(',')) {
      const payload = PAYLOADS[payloadName]();
      for (const connections of args.connections.split(',').map(Number)) {
        for (const target of targets) await load(target, payload, connections, 2); // warm-up
        for (let round = 1; round <= ROUNDS; round++) {
          const results = {};
          for (const target of targets) {
            results[target.name] = await measure(target, payload, connections);
            runs.push({ payload: payloadName, conns: connections, round, target: target.name, ...format(results[target.name]) });
          }
          ratios.push({
            payload: payloadName,
            conns: connections,
            round,
            'events/s ratio': +(results.service.eventsPerSecond / results.baseline.eventsPerSecond).toFixed(2),
            'p99 service ms': results.service.p99,
            'p99 baseline ms': results.baseline.p99,
            'RSS service MB': results.service.peakRssMb,
          });
        }
      }
    }
    console.table(runs);
    console.log('service / baseline, per round:');
    console.table(ratios);
  } finally {
    for (const target of targets) await stopProcess(target);
    await server.close();
  }
}

function format(result) {
  return {
    'req/s': Math.round(result.rps),
    'events/s': Math.round(result.eventsPerSecond),
    'p50 ms': result.p50,
    'p99 ms': result.p99,
    'peak RSS MB': result.peakRssMb,
    failed: result.failed,
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
