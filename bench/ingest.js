'use strict';
// Ingest benchmark: starts the built service (node dist/main.js) on a fresh embedded
// PostgreSQL and drives it with autocannon. Prints requests/s, events/s, latency and peak RSS.
//   node bench/ingest.js [--payload single60k|batch100|single300k] [--connections 16] [--duration 10]
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const { mkdtempSync, chmodSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { PAYLOADS, timestamps } = require('./payloads');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, index, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[index + 1]]] : pairs), []),
);
const payloadName = args.payload ?? 'single60k';
const connections = Number(args.connections ?? 16);
const duration = Number(args.duration ?? 10);

function startService(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'log', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on \S+:(\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`the service exited with ${code}: ${output}`)));
  });
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
}

function load(port, payload, seconds) {
  const next = timestamps();
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: `http://127.0.0.1:${port}/EventServer/api/HistoryEvent`,
        method: 'POST',
        connections,
        duration: seconds,
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: payload.render(next) }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

async function main() {
  const payload = PAYLOADS[payloadName]();
  const dataDir = mkdtempSync(join(tmpdir(), 'se3-bench-'));
  chmodSync(dataDir, 0o755);
  const { child, port } = await startService(dataDir);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(child.pid))), 100);
  try {
    await load(port, payload, 2); // warm-up
    const result = await load(port, payload, duration);
    const line = {
      payload: payload.name,
      connections,
      'requests/s': Math.round(result.requests.average),
      'events/s': Math.round(result.requests.average * payload.eventsPerRequest),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      'peak RSS MB': Math.round(peakRss / 2 ** 20),
      'non-2xx': result.non2xx,
      errors: result.errors,
    };
    console.table([line]);
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
