import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!));
}

/**
 * Whether the browser tests run. Without a Chromium they are skipped, saying so loudly; with
 * CONSOLE_BROWSER_TESTS=required (as .ci/run sets) a missing Chromium fails the run instead.
 */
export function browserTestsEnabled(suite: string): boolean {
  if (chromiumPath()) return true;
  const why = `no Chromium at CHROMIUM_PATH, /usr/bin/chromium or /usr/bin/chromium-browser (install it: apt-get install -y chromium)`;
  if (process.env.CONSOLE_BROWSER_TESTS === 'required') {
    throw new Error(`${suite}: the browser tests are required (CONSOLE_BROWSER_TESTS=required) but ${why}`);
  }
  process.stderr.write(`\n!!! SKIPPED: ${suite}: ${why}\n\n`);
  return false;
}

/** Chromium headless, as the tests and the console benchmark drive it (playwright-core, no downloaded browser). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
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
