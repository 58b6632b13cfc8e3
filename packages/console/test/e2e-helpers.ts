// Shared pieces of the console's browser tests: building the console when stale, the two screen sizes, a page that
// fails the test on requests outside wxgate, reading the QR code off the screen, and page-wide layout checks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { PNG } from 'pngjs';

// jsqr is CommonJS with an ESM-style default in its types: take whichever the loader hands over.
type QrDecoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const decodeQr = ((jsQR as unknown as { default?: QrDecoder }).default ?? jsQR) as unknown as QrDecoder;

/** Debian's chromium, or another build named by WXGATE_CHROMIUM (npm has none that installs without a download). */
export const CHROMIUM = process.env.WXGATE_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const WAIT = { timeout: 15_000 };
const consoleDir = new URL('..', import.meta.url).pathname;

export interface Screen {
  readonly name: string;
  readonly phone: boolean;
  readonly options: BrowserContextOptions;
}

/** A laptop and a phone (touch, mobile viewport meta honoured). */
export const SCREENS: readonly Screen[] = [
  { name: '1280×800', phone: false, options: { viewport: { width: 1280, height: 800 } } },
  { name: '390×844 touch', phone: true, options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
];

/** Newest modification time under the paths the build reads (console sources, its config, the SDK it bundles). */
function newestSource(paths: string[]): number {
  return Math.max(...paths.map((p) => (statSync(p).isDirectory() ? newestSource(readdirSync(p).map((n) => join(p, n))) : statSync(p).mtimeMs)));
}

/** Builds the console when dist is missing or older than what it is built from. */
export function buildIfStale(): void {
  const index = join(consoleDir, 'dist/index.html');
  const inputs = ['src', 'index.html', 'vite.config.ts', '../sdk/src'].map((p) => join(consoleDir, p));
  if (existsSync(index) && newestSource(inputs) <= statSync(index).mtimeMs) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: consoleDir, encoding: 'utf8' });
  assert.equal(build.status, 0, `console build failed:\n${build.stdout}\n${build.stderr}`);
}

/** A page in its own context (own storage, language); requests outside `base` are collected for the caller to fail on. */
export async function openPage(browser: Browser, base: string, screen: Screen, locale: string, foreign: string[]): Promise<Page> {
  const context = await browser.newContext({ ...screen.options, locale });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  return page;
}

/** The QR code on screen, decoded from a screenshot of the element. */
export async function qrOnScreen(page: Page): Promise<string> {
  const img = page.getByTestId('qr-image');
  await img.waitFor(WAIT);
  await page.waitForFunction(() => (document.querySelector('[data-testid=qr-image]') as HTMLImageElement | null)?.complete === true);
  const png = PNG.sync.read(await img.screenshot());
  const code = decodeQr(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(code, 'no QR code found in the screenshot');
  return code.data;
}

/** Nothing sticks out sideways: the page does not scroll horizontally, and no element is wider than its box. */
export async function assertNoHorizontalOverflow(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // Elements whose right edge passes the viewport's (the page may clip them without scrolling).
    wide: [...document.querySelectorAll('body *')]
      .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1 && !el.closest('.table-scroll, pre, .bubbles'); })
      .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} → ${Math.round(el.getBoundingClientRect().right)}`),
  }));
  assert.ok(scrollWidth <= innerWidth, `${where}: the page is ${scrollWidth} px wide in a ${innerWidth} px window (${wide.join('; ')})`);
  assert.deepEqual(wide, [], `${where}: elements pass the right edge`);
}

/** The element's content fits its width: long unbroken text wrapped instead of widening it. */
export async function assertWraps(page: Page, selector: string, where: string): Promise<void> {
  const sizes = await page.locator(selector).evaluateAll((els) => els.map((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, text: (el.textContent ?? '').slice(0, 40) })));
  assert.ok(sizes.length > 0, `${where}: nothing matches ${selector}`);
  for (const s of sizes) assert.ok(s.scroll <= s.client + 1, `${where}: "${s.text}…" is ${s.scroll} px wide in a ${s.client} px box`);
}
