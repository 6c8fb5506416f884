'use strict';
// npm run docs:screenshots: screenshots of every console page in English and Chinese, into
// docs/console/, from a throwaway service fed with the sample uploads (Debian's Chromium).
const { execFileSync } = require('node:child_process');
const { mkdirSync, readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { join } = require('node:path');
const sharp = require('sharp');
const { benchServer, migrate, startProcess, stopProcess } = require('./lib');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'console');
const KEY = 'screenshots-key-0123456789';
const sample = (name) => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'samples', name), 'utf8'));

async function post(base, body) {
  const response = await fetch(`${base}/EventServer/api/HistoryEvent`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()).data.events;
}

/** A day of events from three boxes, a few strangers (one refused), a gallery update and a bad upload. */
async function feed(base) {
  const now = Date.now();
  const people = ['张伟', '王芳', '李娜', 'Tom Becker', 'Alice Wong', '刘洋', 'Maria Rossi', '陈静'];
  const boxes = ['3714be15-09b3-41ec-b9ce-62b668e5fa32', '8c21aa07-5f1e-4a2b-9d11-0e6f3b2c7a10', 'e02b91c4-77d2-4a6e-8f0a-51c3d9e8b6f2'];
  const employee = sample('gate-employee.json');
  const stranger = sample('snapcam-stranger-1001.json');
  const events = [];
  for (let index = 0; index < 120; index++) {
    const box = boxes[index % 3];
    const ip = `192.168.${index % 3}.${101 + (index % 4)}`;
    const at = now - ((index * 7) % 600) * 60_000 - index * 1000;
    const strangerish = index % 9 === 0;
    const base = strangerish ? stranger : employee;
    events.push({
      ...base,
      identity_id: strangerish ? `${Math.floor(at / 1000)}.${index}` : String(1000 + (index % people.length)),
      identity_name: strangerish ? 'stranger' : people[index % people.length],
      timestamp: at,
      score: strangerish ? 0.2 + (index % 5) / 20 : 0.8 + (index % 10) / 60,
      want_action: strangerish && index % 18 === 0 ? '1001' : '0',
      ext_data: {
        ...base.ext_data,
        dev_sno: box,
        device_ip: ip,
        ep_id: `${box}__${ip}`,
        person_type: strangerish ? 4 : [1, 1, 1, 2, 5][index % 5],
        device_type: String(index % 2),
      },
    });
  }
  for (let start = 0; start < events.length; start += 20) await post(base, events.slice(start, start + 20));
  await post(base, { ...sample('snapcam-stranger-1001-poor-quality.json'), timestamp: now - 90_000 });
  await post(base, { ...sample('snapcam-stranger-1001.json'), timestamp: now - 60_000, identity_id: 'stranger-new-1' });
  await post(base, { ...sample('gallery-update-1002.json'), timestamp: now - 30_000 });
  await post(base, { ...employee, timestamp: now - 20_000, ext_data: { ...employee.ext_data, person_type: 9 } });
  // Conflicting copies: a stranger re-sent with another face crop and a field a firmware update added, a name edited meanwhile.
  const otherFace = sample('gallery-update-1002.json').reg_pic;
  await post(base, { ...events[0], ext_data: { ...events[0].ext_data, recognize_face: otherFace, track_id: 1842 } });
  await post(base, { ...events[1], identity_name: `${events[1].identity_name} (HR)`, group_name: 'hr' });
}

async function main() {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(OUT, { recursive: true });
  // A webhook that always fails, so that the Problems page has a dead hook to show.
  const failing = createServer((req, res) => req.resume().on('end', () => res.writeHead(503).end()));
  await new Promise((resolve) => failing.listen(0, '127.0.0.1', resolve));
  const server = await benchServer('screens');
  const url = await server.database('screens');
  await migrate(url);
  const service = await startProcess({
    DATABASE_URL: url,
    ADMIN_API_KEYS: KEY,
    DATA_DIR: server.dataDir,
    HOOK_WEBHOOK_URLS: `http://127.0.0.1:${failing.address().port}/hooks`,
    HOOK_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
    HOOK_RETRY_SCHEDULE: '100ms,100ms',
    HOOK_POLL_INTERVAL: '100ms',
    ADMIN_STATS_INTERVAL_MS: '500',
  });
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    await feed(service.base);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const firstEvent = async (page) => page.getByRole('listitem').first().click();
    const shots = [
      ['signin', '/console/', null],
      ['dashboard', '/console/', 'signed'],
      ['events', '/console/events', 'signed'],
      ['event-detail', '/console/events?person_type=4', firstEvent],
      ['strangers', '/console/strangers', 'signed'],
      ['gallery', '/console/strangers?tab=gallery', 'signed'],
      ['person', '/console/people/stranger-new-1?group=default_group', 'signed'],
      ['devices', '/console/devices', 'signed'],
      ['problems', '/console/problems?tab=hooks&status=dead', 'signed'],
      ['conflicts', '/console/problems?tab=conflicts', async (page) => page.locator('.conflict-item button[aria-expanded]').last().click()],
    ];
    const save = async (page, name) => {
      // A palette PNG (sharp, libimagequant): a third of the size, and still sharp text.
      const png = await page.screenshot();
      await sharp(png).png({ palette: true, quality: 80, effort: 8 }).toFile(join(OUT, name));
      console.log(name);
    };
    for (const language of ['en', 'zh']) {
      const context = await browser.newContext({
        locale: language === 'zh' ? 'zh-CN' : 'en-GB',
        timezoneId: 'Asia/Shanghai',
        viewport: { width: 1280, height: 820 },
        colorScheme: 'light',
      });
      const page = await context.newPage();
      for (const [name, path, step] of shots) {
        await page.goto(`${service.base}${path}`);
        if (step && (await page.locator('#admin-key').count()) > 0) {
          await page.fill('#admin-key', KEY);
          await page.click('button[type=submit]');
        }
        await page.waitForTimeout(1200);
        if (typeof step === 'function') {
          await step(page);
          await page.waitForTimeout(1200);
        }
        await save(page, `${language}-${name}.png`);
      }
      await page.setViewportSize({ width: 390, height: 780 });
      await page.goto(`${service.base}/console/events`);
      await page.waitForTimeout(1200);
      await save(page, `${language}-phone.png`);
      await page.goto(`${service.base}/console/problems?tab=conflicts`);
      await page.waitForTimeout(1200);
      await page.locator('.conflict-item button[aria-expanded]').last().click();
      await page.waitForTimeout(1200);
      await page
        .locator('.comparison')
        .last()
        .evaluate((table) => table.scrollIntoView());
      await save(page, `${language}-phone-conflicts.png`);
      await context.close();
    }
  } finally {
    await browser.close();
    await stopProcess(service);
    await server.close();
    failing.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
