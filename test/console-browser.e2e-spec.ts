import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { CONSOLE_DIST } from '../src/console/console-static';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { browserTestsEnabled, launchChromium } from './support/chromium';
import { QUICK_HOOKS, TEST_WEBHOOK_SECRET } from './support/hooks';
import { pollUntil } from './support/poll';
import { sampleEvent } from './support/samples';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/** What the tests read of an <img> in the page (the tests compile without the DOM types). */
interface LoadedImage {
  complete: boolean;
  naturalWidth: number;
}

const SUITE = 'the console in Chromium (test/console-browser.e2e-spec.ts)';
const describeInBrowser = browserTestsEnabled(SUITE) ? describe : describe.skip;

/**
 * The console as an operator uses it: Chromium (playwright-core) against the real service on a
 * real PostgreSQL, fed by real uploads. Two instances share the database: `strict` refuses
 * images over 20 KB (so that an upload lands in quarantine), `console` serves the browser with
 * the default limits (so that the replay passes) and delivers hooks to a webhook that fails
 * until told otherwise (so that a hook dies and can be retried).
 */
describeInBrowser(SUITE, () => {
  let strict: TestApp;
  let consoleApp: TestApp;
  let base: string;
  let strictBase: string;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const uploadTo = async (target: string, body: unknown) => {
    const response = await fetch(`${target}${HISTORY_EVENT_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: { events: { id: string; result: string }[] } }).data.events;
  };
  const listen = async (target: TestApp) => {
    await target.app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${((target.app.getHttpServer() as unknown as Server).address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIST, 'index.html')))
      throw new Error(`${CONSOLE_DIST} is missing: run "npm run build" first (npm test does)`);
    receiver = new WebhookReceiver(() => 503);
    await receiver.listen();
    strict = await createTestApp({ IMAGE_MAX_BYTES: '20kb', HOOK_DISPATCHER_ENABLED: 'false' });
    consoleApp = await createTestApp(
      { ...QUICK_HOOKS, HOOK_WEBHOOK_URLS: receiver.url, HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
      { database: strict.database },
    );
    strictBase = await listen(strict);
    base = await listen(consoleApp);
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await consoleApp?.close();
    await strict?.close();
    await receiver?.close();
  });

  it('signs in with the key, keeping only an HttpOnly session cookie', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.getByLabel('Admin API key').fill('not-the-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This is not an admin API key.').waitFor();
    await page.getByLabel('Admin API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Today', exact: true }).waitFor();
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie',
    );
    expect(stored).not.toContain(TEST_ADMIN_KEY);
    expect(stored).not.toContain('se3_session');
    const [cookie] = await context.cookies(`${base}/api/events`);
    expect(cookie).toMatchObject({ name: 'se3_session', httpOnly: true, sameSite: 'Strict', path: '/api' });
  });

  it('shows an uploaded event live, with its thumbnail, within 2 s', async () => {
    await page.goto(`${base}/console/events`);
    await page.getByRole('list', { name: 'Events' }).or(page.getByText('No event matches these filters.')).waitFor();
    const event = { ...sampleEvent('snapcam-stranger-1001.json'), identity_name: 'Live Lena', timestamp: Date.now() - 1_000 };
    const started = Date.now();
    const [stored] = await uploadTo(base, event);
    const card = page.getByRole('listitem', { name: /Live Lena/ });
    await card.waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2_000);
    const thumbnail = card.locator('img');
    await pollUntil(
      () => thumbnail.evaluate((img) => (img as unknown as LoadedImage).complete && (img as unknown as LoadedImage).naturalWidth),
      (width) => Number(width) > 0,
      {
        what: 'the live card thumbnail loaded',
      },
    );
    expect(await thumbnail.getAttribute('src')).toBe(`/api/events/${stored.id}/images/recognize_face/thumbnail?size=192`);
  });

  it('narrows the list with filters kept in the URL, and keeps them across a reload', async () => {
    await uploadTo(base, [
      { ...sampleEvent('gate-employee.json'), identity_name: 'Filter Employee', timestamp: Date.now() - 5_000 },
      { ...sampleEvent('snapcam-stranger-1001-poor-quality.json'), identity_name: 'Filter Stranger', timestamp: Date.now() - 4_000 },
    ]);
    await page.goto(`${base}/console/events`);
    await page.getByRole('listitem', { name: /Filter Employee/ }).waitFor();
    await page.getByRole('checkbox', { name: 'Stranger' }).check();
    await page.waitForURL(/person_type=4/);
    await page.getByRole('listitem', { name: /Filter Employee/ }).waitFor({ state: 'detached' });
    await page.getByRole('listitem', { name: /Filter Stranger/ }).waitFor();
    await page.reload();
    await page.getByRole('listitem', { name: /Filter Stranger/ }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Stranger' }).isChecked()).toBe(true);
    expect(await page.getByRole('listitem', { name: /Filter Employee/ }).count()).toBe(0);
    const names = await page.getByRole('listitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toContain('Stranger');
  });

  it('shows the images and the face quality of an event in its detail', async () => {
    await page.getByRole('listitem', { name: /Filter Stranger/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.waitFor();
    await pollUntil(
      () => drawer.locator('img').evaluateAll((images) => images.map((img) => (img as unknown as LoadedImage).naturalWidth)),
      (widths) => widths.length === 2 && widths.every((width) => width > 0),
      { what: 'the scene and the crop loaded in the detail' },
    );
    await drawer.getByText("Box's verdict").waitFor();
    await drawer.locator('.badge.tone-bad', { hasText: 'Fail' }).waitFor();
    const failed = await drawer.locator('.quality-badge.fail .quality-name').allTextContents();
    expect(failed.map((text) => text.replace('✗', '').trim()).sort()).toEqual(['Brightness', 'Clarity']);
    await drawer.getByRole('heading', { name: 'Hooks it caused' }).waitFor();
    await drawer.getByText('stranger.registration').waitFor();
    expect(page.url()).toContain('event=');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('replays a quarantined event', async () => {
    const [quarantined] = await uploadTo(strictBase, { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: Date.now() - 60_000 });
    expect(quarantined.result).toBe('quarantined');
    await page.goto(`${base}/console/problems`);
    const item = page.locator('.quarantine-item', { hasText: `#${quarantined.id}` });
    await item.waitFor();
    await item
      .getByText(/over the limit of 20480/)
      .first()
      .waitFor();
    await item.getByRole('button', { name: 'Replay' }).click();
    await item.getByText(/Replayed into event \d+/).waitFor();
    const [row] = await consoleApp.dataSource.query('SELECT replayed_event_id FROM quarantined_event WHERE id = $1', [quarantined.id]);
    expect(row.replayed_event_id).toEqual(expect.any(String));
  });

  it('retries a dead hook', async () => {
    const dead = await pollUntil(
      () =>
        consoleApp.dataSource.query(`SELECT DISTINCT h.id FROM hook h JOIN hook_delivery d ON d.hook_seq = h.seq WHERE d.status = 'dead'`),
      (rows: { id: string }[]) => rows.length > 0,
      { what: 'a dead hook', timeoutMs: 20_000 },
    );
    receiver.answer = () => 204;
    await page.goto(`${base}/console/problems?tab=hooks&status=dead`);
    const hook = page.locator('.hook', { hasText: dead[0].id });
    await hook.waitFor();
    await hook.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('The dead deliveries are pending again.').or(hook).first().waitFor();
    await pollUntil(
      () =>
        consoleApp.dataSource.query(`SELECT status FROM hook_delivery d JOIN hook h ON h.seq = d.hook_seq WHERE h.id = $1`, [dead[0].id]),
      (rows: { status: string }[]) => rows.every((delivery) => delivery.status === 'delivered'),
      { what: 'the retried hook delivered' },
    );
  });

  it('shows a differing copy of an event on the Problems page, side by side with the stored event, and says so in its detail', async () => {
    const event: Record<string, any> = {
      ...sampleEvent('snapcam-stranger-1001.json'),
      identity_id: `conflict-${Date.now()}`,
      identity_name: 'Conflict Chen',
      timestamp: Date.now() - 120_000,
    };
    const [stored] = await uploadTo(base, event);
    expect(stored.result).toBe('stored');
    const otherFace = (
      await sharp({ create: { width: 48, height: 40, channels: 3, background: '#c33' } })
        .jpeg()
        .toBuffer()
    ).toString('base64');
    const copy = { ...event, identity_name: 'Conflict Chen (renamed)', ext_data: { ...event.ext_data, recognize_face: otherFace } };
    const [answer] = (await uploadTo(base, copy)) as { id: string; result: string; conflict_id?: string }[];
    expect(answer).toMatchObject({ id: stored.id, result: 'conflict', conflict_id: expect.stringMatching(/^\d+$/) });

    await page.goto(`${base}/console/problems?tab=conflicts`);
    const item = page
      .locator('.conflict-item')
      .filter({ has: page.locator('strong', { hasText: new RegExp(`^#${answer.conflict_id}$`) }) });
    await item.waitFor();
    expect((await item.locator('.diff-field').allTextContents()).sort()).toEqual(['ext_data.recognize_face', 'identity_name']);
    await item.getByText('Hook withheld').waitFor();
    await item.getByText("The copy's want_action asks for stranger.registration").waitFor();
    expect(await item.getByRole('link', { name: `#${stored.id}` }).getAttribute('href')).toBe(`/console/events?event=${stored.id}`);

    // From the keyboard: the comparison opens on Enter.
    const compare = item.getByRole('button', { name: 'Compare with the stored event' });
    await compare.focus();
    await page.keyboard.press('Enter');
    expect(await item.getByRole('button', { name: 'Hide the comparison' }).getAttribute('aria-expanded')).toBe('true');
    const nameRow = item.getByRole('row', { name: /identity_name/ });
    await nameRow.waitFor();
    expect(await nameRow.getAttribute('class')).toContain('differs');
    expect(await nameRow.getByRole('cell').allTextContents()).toEqual(['"Conflict Chen"', '"Conflict Chen (renamed)"']);
    const faceRow = item.getByRole('row', { name: /ext_data\.recognize_face/ });
    const widthOf = (name: string) =>
      faceRow
        .getByRole('img', { name })
        .evaluate((img) => (img as unknown as LoadedImage).complete && (img as unknown as LoadedImage).naturalWidth);
    await pollUntil(
      () => widthOf('Face crop of this copy'),
      (width) => width === 48,
      { what: "the copy's face crop, decoded from its payload" },
    );
    await pollUntil(
      () => widthOf('Face crop of the stored event'),
      (width) => Number(width) > 0,
      { what: "the stored event's face crop thumbnail" },
    );

    // The stored event's detail tells of the copy and leads back to it.
    await item.getByRole('link', { name: `#${stored.id}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('Conflicting copies').waitFor();
    await drawer
      .getByText(
        'Later copies of this event arrived with other content: 1, differing in ext_data.recognize_face, identity_name. They were not stored.',
      )
      .waitFor();
    await drawer.getByRole('link', { name: /Compare them/ }).click();
    await page.getByText(`Only the copies of event ${stored.id}.`).waitFor();
    await item.waitFor();
    expect(await page.locator('.conflict-item').count()).toBe(1);
  });

  it('loads further conflicts as the end of the list scrolls into view', async () => {
    const employee = sampleEvent('gate-employee.json');
    const event = {
      ...employee,
      reg_pic: '',
      identity_id: `scroll-${Date.now()}`,
      timestamp: Date.now() - 180_000,
      ext_data: { ...employee.ext_data, spot_pic: '', recognize_face: '' },
    };
    // One batch: the first is stored, each later one (another name) is a conflict of it.
    const answers = await uploadTo(base, [
      event,
      ...Array.from({ length: 55 }, (_, index) => ({ ...event, identity_name: `Scroll copy ${index}` })),
    ]);
    expect(answers.filter((answer) => answer.result === 'conflict')).toHaveLength(55);
    await page.goto(`${base}/console/problems?tab=conflicts&event_id=${answers[0].id}`);
    const items = page.locator('.conflict-item');
    await items.nth(49).waitFor();
    expect(await items.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).or(page.getByText('End of the list')).first().scrollIntoViewIfNeeded();
    await items.nth(54).waitFor();
    await page.getByText('End of the list').waitFor();
    expect(await items.count()).toBe(55);
  });

  it('renders in Chinese and English, from the switch and from the browser language', async () => {
    await page.goto(`${base}/console/`);
    await page.getByLabel('Language').first().selectOption('zh');
    await page.getByRole('link', { name: '事件', exact: true }).waitFor();
    await page.getByRole('heading', { name: '今天', exact: true }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
    await page.getByLabel('语言').first().selectOption('en');
    await page.getByRole('link', { name: 'Events', exact: true }).waitFor();

    const chinese = await browser.newContext({ locale: 'zh-CN' });
    try {
      const other = await chinese.newPage();
      await other.goto(`${base}/console/`);
      await other.getByRole('heading', { name: '登录' }).waitFor();
      await other.getByLabel('管理 API 密钥').waitFor();
    } finally {
      await chinese.close();
    }
  });

  it('signs out: the images are unreachable afterwards', async () => {
    await page.goto(`${base}/console/events`);
    const [{ id }] = await consoleApp.dataSource.query(
      `SELECT event_id AS id FROM history_event_image WHERE kind = 'spot_pic' AND byte_size > 0 LIMIT 1`,
    );
    const status = (url: string) =>
      page.evaluate<number>(`fetch(${JSON.stringify(url)}, { cache: 'no-store' }).then((response) => response.status)`);
    const image = `/api/events/${id}/images/spot_pic`;
    const thumbnail = `${image}/thumbnail?size=192`;
    expect(await status(image)).toBe(200);
    expect(await status(thumbnail)).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await status(image)).toBe(401);
    expect(await status(thumbnail)).toBe(401);
    expect(await context.cookies(`${base}/api/events`)).toEqual([]);
    expect(await consoleApp.dataSource.query('SELECT 1 FROM console_session')).toEqual([]);
  });
});
