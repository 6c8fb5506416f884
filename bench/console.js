'use strict';
/* global document, window, requestAnimationFrame, cancelAnimationFrame -- in the functions that run in the page (page.evaluate) */
// npm run bench:console [-- --events 1000000 --rate 200 --seconds 20]
//
// The console's budgets, measured (figures printed, nothing asserted):
//  1. first-load JavaScript, gzipped: what the browser downloads to show the sign-in page, and
//     then the events page (from the build in web/dist and as Chromium fetched it);
//  2. with --events seeded (the project's seeder) plus 50 fresh uploads with images on top, the
//     time from the sign-in click until the events page shows its first 50 rows with every
//     thumbnail loaded, cold (no thumbnail made yet) and warm (made, but a new browser);
//  3. the live feed at --rate events/s for --seconds: events shown per second, long tasks and
//     frame times in the page (Chromium's PerformanceObserver and requestAnimationFrame).
const { execFileSync } = require('node:child_process');
const { readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');
const { parseArgs } = require('node:util');
const { benchServer, migrate, startProcess, stopProcess } = require('./lib');

const ROOT = join(__dirname, '..');
const KEY = 'bench-console-key-0123456789';
const UPLOAD = '/EventServer/api/HistoryEvent';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
  },
});

const sample = (name) => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'samples', name), 'utf8'));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const pct = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

function bundleFigures() {
  const dist = join(ROOT, 'web', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entry = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
  const all = readdirSync(join(dist, 'assets')).filter((file) => file.endsWith('.js'));
  return {
    entry: entry.reduce((sum, file) => sum + gz(file), 0),
    all: all.reduce((sum, file) => sum + gz(join('assets', file)), 0),
    largest: all
      .map((file) => [file, gz(join('assets', file))])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4),
  };
}

async function post(base, body) {
  const response = await fetch(`${base}${UPLOAD}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`upload answered ${response.status}`);
  await response.arrayBuffer();
}

async function launch() {
  const { chromium } = require('playwright-core');
  const { existsSync } = require('node:fs');
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (path) => path && existsSync(path),
  );
  if (!executablePath) throw new Error('no Chromium: apt-get install -y chromium, or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Signs in on the events page and times until its first 50 cards show loaded thumbnails. */
async function firstPage(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 2400 } });
  const page = await context.newPage();
  let js = 0;
  page.on('response', async (response) => {
    if (response.url().endsWith('.js')) js += gzipSync(await response.body().catch(() => Buffer.alloc(0))).length;
  });
  await page.goto(`${base}/console/events`);
  await page.getByLabel(/Admin API key|管理 API 密钥/).fill(KEY);
  const started = Date.now();
  await page.locator('button[type=submit]').click();
  await page.waitForFunction(
    () => {
      const cards = [...document.querySelectorAll('[role=listitem]')].slice(0, 50);
      return (
        cards.length === 50 &&
        cards.every((card) => {
          const img = card.querySelector('img');
          return img && img.complete && img.naturalWidth > 0;
        })
      );
    },
    undefined,
    { timeout: 60_000, polling: 'raf' },
  );
  const elapsed = Date.now() - started;
  await context.close();
  return { elapsed, js };
}

async function liveFeed(browser, base, rate, seconds) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${base}/console/events`);
  await page.getByLabel(/Admin API key|管理 API 密钥/).fill(KEY);
  await page.locator('button[type=submit]').click();
  await page.getByRole('list', { name: /Events|事件/ }).waitFor();
  await page.waitForFunction(() => document.querySelector('.live .dot.open') !== null);
  await page.evaluate(() => {
    const stats = (window.__bench = { longTasks: [], frames: [] });
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => stats.longTasks.push(entry.duration))).observe({
      type: 'longtask',
      buffered: false,
    });
    let last = performance.now();
    const frame = (now) => {
      stats.frames.push(now - last);
      last = now;
      stats.raf = requestAnimationFrame(frame);
    };
    stats.raf = requestAnimationFrame(frame);
    stats.start = window.__se3Console.liveShown;
    stats.receivedStart = window.__se3Console.liveReceived;
  });
  const withImages = sample('snapcam-stranger-1001.json');
  const plain = {
    ...sample('gate-employee.json'),
    reg_pic: '',
    ext_data: { ...sample('gate-employee.json').ext_data, spot_pic: '', recognize_face: '' },
  };
  // Batches of 10 every 50 ms, one in ten with the sample photos (the thumbnails have work to do).
  const batchSize = 10;
  const interval = (batchSize / rate) * 1000;
  const started = Date.now();
  let sent = 0;
  let sequence = 0;
  const inFlight = new Set();
  while (Date.now() - started < seconds * 1000) {
    const batch = Array.from({ length: batchSize }, (_, index) => {
      sequence++;
      const base = index === 0 ? withImages : plain;
      return { ...base, identity_name: `Live ${sequence}`, timestamp: Date.now() + sequence, want_action: '0' };
    });
    const request = post(base, batch).then(() => (sent += batch.length));
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    const next = started + (sequence / batchSize) * interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
  await Promise.all(inFlight);
  const uploadSeconds = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const stats = await page.evaluate(() => {
    cancelAnimationFrame(window.__bench.raf);
    return {
      longTasks: window.__bench.longTasks,
      frames: window.__bench.frames,
      shown: window.__se3Console.liveShown - window.__bench.start,
      received: window.__se3Console.liveReceived - window.__bench.receivedStart,
    };
  });
  await context.close();
  return { sent, uploadSeconds, ...stats };
}

async function main() {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const bundle = bundleFigures();
  console.log(`\n== first-load JavaScript (gzipped): entry ${kb(bundle.entry)} (budget 250 KB); all chunks ${kb(bundle.all)}`);
  console.log(`   largest chunks: ${bundle.largest.map(([file, size]) => `${file} ${kb(size)}`).join(', ')}`);

  const events = Number(values.events);
  const server = await benchServer('console');
  const browser = await launch();
  let service;
  try {
    const url = await server.database('console');
    await migrate(url);
    console.log(`\n== seeding ${events.toLocaleString()} events (${server.where})`);
    const seedStarted = Date.now();
    execFileSync(process.execPath, [join(ROOT, 'dist', 'admin', 'seed', 'seed.js'), '--events', String(events)], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    console.log(`   seeded in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`);
    await execPsql(url, 'VACUUM ANALYZE');
    service = await startProcess({
      DATABASE_URL: url,
      ADMIN_API_KEYS: KEY,
      DATA_DIR: server.dataDir,
      ADMIN_RATE_LIMIT_PER_MINUTE: '100000',
      ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE: '100000',
    });
    const now = Date.now();
    const photo = sample('snapcam-stranger-1001.json');
    for (let index = 0; index < 50; index += 10) {
      await post(
        service.base,
        Array.from({ length: 10 }, (_, offset) => ({
          ...photo,
          identity_name: `Fresh ${index + offset}`,
          timestamp: now + 60_000 + index + offset,
        })),
      );
    }
    console.log(
      `\n== events page, first 50 rows with thumbnails, after sign-in (${events.toLocaleString()} events; ${values.runs} runs each)`,
    );
    const cold = await firstPage(browser, service.base);
    const warm = [];
    for (let run = 0; run < Number(values.runs); run++) warm.push(await firstPage(browser, service.base));
    console.log(`   cold (thumbnails made now): ${cold.elapsed} ms; JS fetched ${kb(cold.js)} gzipped`);
    console.log(`   warm (thumbnails kept, new browser): ${warm.map((run) => `${run.elapsed} ms`).join(', ')} (budget 1000 ms)`);

    const rate = Number(values.rate);
    const seconds = Number(values.seconds);
    console.log(`\n== live feed at ${rate} events/s for ${seconds} s (the events page open, at the top)`);
    const live = await liveFeed(browser, service.base, rate, seconds);
    const frames = live.frames;
    console.log(`   uploaded ${live.sent} events in ${live.uploadSeconds.toFixed(1)} s (${(live.sent / live.uploadSeconds).toFixed(0)}/s)`);
    console.log(
      `   page received ${live.received} through the feed, showed ${live.shown} (${(live.shown / live.uploadSeconds).toFixed(0)}/s)`,
    );
    console.log(
      `   long tasks: ${live.longTasks.length}, longest ${Math.round(Math.max(0, ...live.longTasks))} ms, total ${Math.round(live.longTasks.reduce((a, b) => a + b, 0))} ms`,
    );
    console.log(
      `   frames: ${frames.length} (${(frames.length / (live.uploadSeconds + 2)).toFixed(0)}/s), p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, p99 ${pct(frames, 99).toFixed(1)} ms, max ${Math.max(...frames).toFixed(0)} ms, over 50 ms: ${frames.filter((frame) => frame > 50).length}`,
    );
  } finally {
    await browser.close();
    if (service) await stopProcess(service);
    await server.close();
  }
}

async function execPsql(url, sql) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
