'use strict';
// Hook delivery benchmark: how many hooks per second the dispatcher delivers to a local webhook
// receiver. Stores --hooks want_action 1002 events (each causes one gallery.update hook) with the
// dispatcher off, then starts the built service (node dist/main.js) with the dispatcher on and
// times until the receiver has accepted every hook (the in-process gallery gets each one too).
// Runs on a fresh embedded PostgreSQL, or on DATABASE_URL (a database it may fill and leave).
//   node bench/hooks.js [--hooks 5000] [--identities 100] [--images false]
const { randomBytes } = require('node:crypto');
const { mkdtempSync, chmodSync, readFileSync, rmSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startProcess, stopProcess } = require('./lib');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, index, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[index + 1]]] : pairs), []),
);
const hookCount = Number(args.hooks ?? 5000);
const withImages = args.images === 'true';
const identities = Number(args.identities ?? 100);
const sample = JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'samples', 'gallery-update-1002.json'), 'utf8'));

/** Events of --identities people (hooks of one person are delivered in order), 100 per request; without images unless --images true. */
async function store(port) {
  const base = Date.now() - 86_400_000;
  for (let start = 0; start < hookCount; start += 100) {
    const batch = [];
    for (let index = start; index < Math.min(start + 100, hookCount); index++) {
      const event = { ...sample, ext_data: { ...sample.ext_data }, identity_id: `bench-${index % identities}`, timestamp: base + index };
      if (!withImages) Object.assign(event, { reg_pic: '' }) && Object.assign(event.ext_data, { spot_pic: '', recognize_face: '' });
      batch.push(event);
    }
    const response = await fetch(`http://127.0.0.1:${port}/EventServer/api/HistoryEvent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  }
}

function receiver(onHook) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      onHook(String(req.headers['webhook-id']));
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'se3-bench-hooks-'));
  chmodSync(dataDir, 0o755);
  const seen = new Set();
  let repeats = 0;
  let allDelivered;
  const done = new Promise((resolve) => (allDelivered = resolve));
  const server = await receiver((id) => {
    if (seen.has(id)) repeats++;
    seen.add(id);
    if (seen.size === hookCount) allDelivered(performance.now());
  });
  const env = {
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(20000 + Math.floor(Math.random() * 20000)),
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ADMIN_API_KEYS: `bench-${randomBytes(12).toString('hex')}`,
    HOOK_WEBHOOK_URLS: `http://127.0.0.1:${server.address().port}/hooks`,
    HOOK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
    ...(process.env.BENCH_ENV ? JSON.parse(process.env.BENCH_ENV) : {}),
  };
  const running = new Set();
  try {
    const writer = await startProcess({ ...env, HOOK_DISPATCHER_ENABLED: 'false' });
    running.add(writer);
    await store(writer.port);
    await stopProcess(writer);
    running.delete(writer);

    const started = performance.now();
    const dispatcher = await startProcess(env);
    running.add(dispatcher);
    const ready = performance.now();
    const finished = await done;
    const seconds = (finished - ready) / 1000;
    console.table([
      {
        hooks: hookCount,
        images: withImages,
        'seconds (after start-up)': Number(seconds.toFixed(2)),
        'hooks/s': Math.round(hookCount / seconds),
        'deliveries/s (webhook + gallery)': Math.round((2 * hookCount) / seconds),
        'start-up ms': Math.round(ready - started),
        'repeated deliveries': repeats,
      },
    ]);
  } finally {
    for (const started of running) await stopProcess(started);
    server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
