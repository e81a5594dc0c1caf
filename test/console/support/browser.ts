/**
 * Debian's Chromium driven by playwright-core, as a person's browser: headless, no first-run or
 * background traffic (this machine has no network beyond loopback), a fresh profile each time.
 * When /usr/bin/chromium is missing the console tests skip, saying how to install it (the test
 * setup does: scripts/test-setup.sh chromium). Screenshots go to $COFFER_CONSOLE_SCREENSHOTS
 * (npm run screenshots: docs/console/).
 */
// test-needs: chromium
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium; .ci/run does) to run the console's browser tests`;
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Errors the page threw or logged (none expected). */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'coffer-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    args: [
      '--headless',
      '--lang=en-GB',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // An HTTP error answer is logged by Chromium too; the tests look at what the page shows of it.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console error: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const SHOTS = process.env['COFFER_CONSOLE_SCREENSHOTS'];

/** A full-page screenshot `name`.png when screenshots are asked for; at `width` (default the page's), back to 1280 after. */
export async function screenshot(page: Page, name: string, width?: number): Promise<void> {
  if (SHOTS === undefined || SHOTS === '') return;
  const dir = resolve(SHOTS);
  await mkdir(dir, { recursive: true });
  if (width !== undefined) await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: 'disabled' });
  if (width !== undefined) await page.setViewportSize({ width: 1280, height: 900 });
}

/** Every form control on the page has an accessible name (a label, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const e = el as HTMLInputElement;
        if (e.type === 'hidden') return false;
        const named =
          (e.labels?.length ?? 0) > 0
          || e.getAttribute('aria-label') !== null
          || e.getAttribute('aria-labelledby') !== null
          || (el.tagName === 'BUTTON' && (el.textContent ?? '').trim() !== '');
        return !named;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}
