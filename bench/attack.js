'use strict';
// Attack drill (issue 9): starts the built service (node dist/main.js, default settings) and,
// attack after attack, measures what each costs it and what a box sees meanwhile:
// - the service's event-loop delay, max (perf_hooks.monitorEventLoopDelay in the service,
//   preloaded with bench/event-loop-probe.js, read over an IPC channel: nothing is exposed);
// - the latency of GET /health/live probes sent every 10 ms, max;
// - the service's resident memory (/proc/<pid>/status every 20 ms), peak growth over the
//   moment before the attack, and what is left 1 s after it;
// - the latency of a box's upload (one 60 KB event, on a new connection) sent 50, 300 and
//   1000 ms into the attack, max, and their statuses.
// Each attack runs --rounds times (3); a figure is the median of its rounds, then the worst.
// The machine's other load shows in the first row (no attack): delays below it are noise.
//   npm run drill:attack [-- --only bomb-live,slow-16] [--rounds 3] [--env INGEST_TOKEN=…]
// --env sets a setting of the service (repeatable); with INGEST_TOKEN, the box sends the token
// and the attackers do not.
// PostgreSQL: an embedded server in a temporary folder, or BENCH_DATABASE_URL=postgresql://…/postgres
// (a database created and dropped there). The attackers connect from 127.0.0.2 and up (other
// clients than the box, as on the internet); Linux routes all of 127.0.0.0/8 to the loopback.
const http = require('node:http');
const net = require('node:net');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { parseArgs } = require('node:util');
const zlib = require('node:zlib');
const { benchServer, startProcess, stopProcess, rssOf } = require('./lib');
const { timestamps } = require('./payloads');

const { values: args } = parseArgs({
  options: { only: { type: 'string' }, env: { type: 'string', multiple: true }, rounds: { type: 'string', default: '3' } },
});
const ROUNDS = Number(args.rounds);
/** Settings for the service besides the defaults: --env NAME=value (repeatable). */
const extraEnv = Object.fromEntries((args.env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const KEY = 'attack-drill-admin-key-0123456789';
const UPLOAD = '/EventServer/api/HistoryEvent';
const PROBE = join(__dirname, 'event-loop-probe.js');
const sample = JSON.parse(
  require('node:fs').readFileSync(join(__dirname, '..', 'test', 'fixtures', 'samples', 'gate-employee.json'), 'utf8'),
);
const nextTimestamp = timestamps();
const MB = 1024 * 1024;

/** One HTTP exchange on a connection of its own; resolves with the status (0: no answer) and the time taken. */
function send({ port, method = 'POST', path, headers = {}, body, from, timeoutMs = 120_000 }) {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const done = (status, error) => {
      if (settled) return;
      settled = true;
      resolve({ status, ms: performance.now() - started, error });
    };
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, localAddress: from, agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode));
      res.on('error', () => done(res.statusCode));
    });
    req.on('error', (error) => setTimeout(() => done(0, error.code), 50));
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const BOX_PATH = extraEnv.INGEST_TOKEN ? `${UPLOAD}/${extraEnv.INGEST_TOKEN.split(',')[0]}` : UPLOAD;

function boxUpload(port) {
  const body = JSON.stringify({ ...sample, timestamp: nextTimestamp() });
  return send({ port, path: BOX_PATH, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body });
}

/** GET /health/live every 10 ms on one keep-alive connection, until stopped: the largest latency. */
function probeLoop(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let stopped = false;
  let max = 0;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      await new Promise((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/health/live', agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', resolve);
      });
      max = Math.max(max, performance.now() - started);
      await sleep(10);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    agent.destroy();
    return max;
  };
}

function rssSampler(pid) {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

const gzipBomb = (count) => zlib.gzipSync(Buffer.from(`[${'[],'.repeat(count - 1)}[]]`), { level: 9 });

/** A request whose body then trickles one byte a second; `stop()` closes it, resolving with what it was answered. */
function slowBody(port, from) {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  socket.on('error', () => undefined);
  socket.resume();
  socket.write(`POST ${UPLOAD} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n[{"a":"`);
  const trickle = setInterval(() => socket.write('x'), 1000);
  return () => {
    clearInterval(trickle);
    socket.destroy();
    return /HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 'open';
  };
}

/** Opens `count` connections that send nothing, 100 at a time; resolves once each is open or refused. */
async function idleSockets(port, count, sources) {
  const sockets = [];
  for (let first = 0; first < count; first += 100) {
    await Promise.all(
      Array.from(
        { length: Math.min(100, count - first) },
        (_, offset) =>
          new Promise((resolve) => {
            const socket = net.connect({ port, host: '127.0.0.1', localAddress: sources[(first + offset) % sources.length] });
            socket.on('error', () => undefined);
            // Read what the service says (a 408 before it closes): an unread answer would hide the close.
            socket.resume();
            socket.on('connect', resolve);
            socket.on('close', resolve);
            sockets.push(socket);
          }),
      ),
    );
  }
  return sockets;
}

/** Holds `count` idle connections from `sources`: how many the service kept, and how many it still kept 12 s later. */
async function idleAttack(port, count, sources) {
  const sockets = await idleSockets(port, count, sources);
  await sleep(1000);
  const kept = sockets.filter((socket) => !socket.destroyed).length;
  await sleep(11_000);
  const left = sockets.filter((socket) => !socket.destroyed).length;
  for (const socket of sockets) socket.destroy();
  return `${kept} kept, ${left} still open 12 s later`;
}

const tally = (statuses) =>
  Object.entries(statuses.reduce((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {}))
    .map(([status, count]) => (count > 1 ? `${count}×${status}` : status))
    .join(' ');

/**
 * The attacks: [description, run, prepare]. `run` resolves with a short description of how the
 * service answered; `prepare`, if any, builds its payload before the measurement starts (the
 * drill's own event loop would otherwise delay its probes and its box).
 */
function attacks(port) {
  const bomb = gzipBomb(20_000_000);
  const bombTo = async (method, path) => {
    const { status } = await send({
      port,
      method,
      path,
      from: '127.0.0.2',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length },
      body: bomb,
    });
    return `${status}`;
  };
  return {
    baseline: ['no attack: 6 s of box uploads and probes only (the noise floor)', async () => (await sleep(6000), '-')],
    'bomb-live': [
      `gzip bomb, ${Math.round(bomb.length / 1024)} KB of [[],[],…] (20 M arrays) → POST /health/live`,
      () => bombTo('POST', '/health/live'),
    ],
    'bomb-metrics': ['the same → GET /metrics', () => bombTo('GET', '/metrics')],
    'bomb-admin': ['the same → POST /api/quarantine/1/replay, no key', () => bombTo('POST', '/api/quarantine/1/replay')],
    'bomb-upload': ['the same → the upload route', () => bombTo('POST', UPLOAD)],
    'batch-64mb': [
      '64 MB upload from a box (with the token if INGEST_TOKEN is set): 100 events, 630 KB of base64 image each',
      async (body) => {
        const { status, ms } = await send({
          port,
          path: BOX_PATH,
          from: '127.0.0.2',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
          body,
        });
        return `${status} (${(body.length / MB).toFixed(1)} MB, ${Math.round(ms)} ms)`;
      },
      () => {
        const jpeg = Buffer.from(sample.ext_data.spot_pic, 'base64');
        const spot = Buffer.concat([jpeg, Buffer.alloc(470 * 1024 - jpeg.length, 0x55)]).toString('base64');
        const events = Array.from({ length: 100 }, () => ({
          ...sample,
          timestamp: nextTimestamp(),
          ext_data: { ...sample.ext_data, spot_pic: spot },
        }));
        return Buffer.from(JSON.stringify(events));
      },
    ],
    ...(extraEnv.INGEST_TOKEN && {
      'anonymous-64mb': [
        'the same, without the token',
        async (body) => {
          const headers = { 'content-type': 'application/json', 'content-length': body.length };
          const { status, ms } = await send({ port, path: UPLOAD, from: '127.0.0.2', headers, body });
          return `${status} (${Math.round(ms)} ms)`;
        },
        () => Buffer.from(JSON.stringify(Array.from({ length: 100 }, () => ({ ...sample, padding: 'p'.repeat(630_000) })))),
      ],
    }),
    'gzip-64mb': [
      '64 MB of one string in 64 KB of gzip → the upload route',
      async (body) => {
        const { status, ms } = await send({
          port,
          path: UPLOAD,
          from: '127.0.0.2',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length },
          body,
        });
        return `${status} (${Math.round(body.length / 1024)} KB sent, ${Math.round(ms)} ms)`;
      },
      () => zlib.gzipSync(Buffer.concat([Buffer.from('{"padding":"'), Buffer.alloc(64 * MB - 100, 0x61), Buffer.from('"}')]), { level: 9 }),
    ],
    'values-cap': [
      'one event with 19,900 extra values (just under JSON_MAX_ELEMENTS) → the upload route',
      async (body) => {
        const { status } = await send({ port, path: UPLOAD, from: '127.0.0.2', headers: { 'content-type': 'application/json' }, body });
        return `${status}`;
      },
      () => JSON.stringify({ ...sample, timestamp: nextTimestamp(), samples: Array.from({ length: 19_900 }, (_, index) => index % 10) }),
    ],
    'slow-16': [
      '16 slow bodies (a byte a second) held 6 s',
      async () => {
        const stops = Array.from({ length: 16 }, () => slowBody(port, '127.0.0.2'));
        await sleep(6000);
        return `${tally(stops.map((stop) => stop()))} after 6 s`;
      },
    ],
    'slow-500': [
      '500 slow bodies from 2 addresses, held 6 s',
      async () => {
        const stops = Array.from({ length: 500 }, (_, index) => slowBody(port, index % 2 ? '127.0.0.2' : '127.0.0.3'));
        await sleep(6000);
        return `${tally(stops.map((stop) => stop()))} after 6 s`;
      },
    ],
    'idle-3000': ['3,000 idle sockets (sending nothing) from one address', () => idleAttack(port, 3000, ['127.0.0.2'])],
    'idle-3000-spread': [
      '3,000 idle sockets from 12 addresses (fills MAX_CONNECTIONS)',
      () =>
        idleAttack(
          port,
          3000,
          Array.from({ length: 12 }, (_, index) => `127.0.0.${index + 2}`),
        ),
    ],
  };
}

async function measure(service, attack, prepare) {
  const payload = prepare?.();
  await sleep(1000);
  const pid = service.child.pid;
  const baseline = rssOf(pid);
  await ask(service.child, 'reset');
  const stopProbe = probeLoop(service.port);
  const stopRss = rssSampler(pid);
  const boxes = [50, 300, 1000].map(async (delay) => {
    await sleep(delay);
    return boxUpload(service.port);
  });
  const [outcome, ...box] = await Promise.all([attack(payload), ...boxes]);
  await sleep(1000);
  const loop = await ask(service.child, 'read');
  const probeMax = await stopProbe();
  const peak = stopRss();
  return {
    outcome,
    loopMaxMs: loop.maxMs,
    probeMaxMs: probeMax,
    rssPeakMb: (peak - baseline) / MB,
    rssAfterMb: (rssOf(pid) - baseline) / MB,
    boxMaxMs: Math.max(...box.map((answer) => answer.ms)),
    boxStatuses: tally(box.map((answer) => answer.status || answer.error)),
  };
}

async function main() {
  const server = await benchServer('attack');
  let service;
  try {
    const databaseUrl = await server.database('attack');
    service = await startProcess({ DATABASE_URL: databaseUrl, DATA_DIR: server.dataDir, ADMIN_API_KEYS: KEY, ...extraEnv }, undefined, {
      nodeArgs: ['--require', PROBE],
      ipc: true,
    });
    // Warm up: the first requests compile code paths.
    for (let index = 0; index < 20; index++) await boxUpload(service.port);
    const settings = Object.keys(extraEnv).length > 0 ? `its defaults and ${Object.keys(extraEnv).join(', ')}` : 'its default settings';
    console.log(`Attack drill: the built service with ${settings}, on ${server.where}; ${ROUNDS} rounds: median (worst).`);
    console.log(`Idle: RSS ${(rssOf(service.child.pid) / MB).toFixed(0)} MB.\n`);
    console.log(
      '| attack | answered | event loop max delay | /health/live probe max | RSS peak growth | RSS 1 s after | box upload max latency (3 sent) |',
    );
    console.log('|---|---|---|---|---|---|---|');
    const only = args.only ? new Set(args.only.split(',')) : undefined;
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const figure = (values, unit, digits = 1) => `${median(values).toFixed(digits)} ${unit} (${Math.max(...values).toFixed(digits)})`;
    for (const [key, [name, attack, prepare]] of Object.entries(attacks(service.port))) {
      if (only && !only.has(key)) continue;
      const rounds = [];
      for (let round = 0; round < ROUNDS; round++) rounds.push(await measure(service, attack, prepare));
      const of = (field) => rounds.map((row) => row[field]);
      console.log(
        `| ${name} | ${[...new Set(of('outcome'))].join('; ')} | ${figure(of('loopMaxMs'), 'ms')} | ${figure(of('probeMaxMs'), 'ms')} | ` +
          `${figure(of('rssPeakMb'), 'MB')} | ${figure(of('rssAfterMb'), 'MB')} | ${figure(of('boxMaxMs'), 'ms', 0)}, ${[...new Set(of('boxStatuses'))].join('; ')} |`,
      );
    }
  } finally {
    if (service) await stopProcess(service);
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
