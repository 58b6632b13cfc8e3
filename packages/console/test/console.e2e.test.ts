// The console in a real browser (playwright-core driving Debian's chromium) against a wxgate on a real socket:
// sign in, create an instance, read the QR off the screen, log in through the sandbox, chat as a simulated person.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { startHarness, type Harness } from '../../server/test/harness.ts';

// jsqr is CommonJS with an ESM-style default in its types: take whichever the loader hands over.
type QrDecoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const decodeQr = ((jsQR as unknown as { default?: QrDecoder }).default ?? jsQR) as unknown as QrDecoder;

/** Debian's chromium, or another build named by WXGATE_CHROMIUM (npm has none that installs without a download). */
const CHROMIUM = process.env.WXGATE_CHROMIUM || '/usr/bin/chromium';
const consoleDir = new URL('..', import.meta.url).pathname;
const skip = existsSync(CHROMIUM) ? false : `needs chromium at ${CHROMIUM}: apt-get install chromium (or set WXGATE_CHROMIUM)`;
const WAIT = { timeout: 15_000 };

/** Newest modification time under the paths the build reads (console sources, its config, the SDK it bundles). */
function newestSource(paths: string[]): number {
  return Math.max(...paths.map((p) => (statSync(p).isDirectory() ? newestSource(readdirSync(p).map((n) => join(p, n))) : statSync(p).mtimeMs)));
}

/** The build is stale when it is missing or older than what it is built from. */
function needsBuild(): boolean {
  const index = join(consoleDir, 'dist/index.html');
  if (!existsSync(index)) return true;
  const inputs = ['src', 'index.html', 'vite.config.ts', '../sdk/src'].map((p) => join(consoleDir, p));
  return newestSource(inputs) > statSync(index).mtimeMs;
}

describe('web console in chromium', { skip }, () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;

  const api = async (path: string, body: Record<string, unknown>) => {
    const res = await h.direct(path, body);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.body.data;
  };

  before(async () => {
    if (needsBuild()) {
      const build = spawnSync('npm', ['run', 'build'], { cwd: consoleDir, encoding: 'utf8' });
      assert.equal(build.status, 0, `console build failed:\n${build.stdout}\n${build.stderr}`);
    }
    // Real time: the page compares QR expiry times with the browser's clock.
    // The wire a user's first app gets from npm start (the harness defaults to standard for behaviour tests).
    h = await startHarness({ responseMode: 'raw' }, undefined, { realTime: true });
    base = await h.app.http.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Nothing but wxgate itself: any other request (CDN script, font) fails the test.
    const foreign: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
    after(() => assert.deepEqual(foreign, [], 'the console fetched something from outside wxgate'));
  });

  after(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Creates an instance from the sidebar; the page navigates to it. */
  async function createInstance(): Promise<string> {
    const before = page.url();
    await page.getByRole('button', { name: 'New instance' }).click();
    await page.waitForURL((url) => url.href !== before && /\/console\/i\/[0-9a-f-]{36}$/.test(url.pathname), WAIT);
    return /\/i\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
  }

  /** The QR code on screen, decoded from a screenshot of the element. */
  async function qrOnScreen(): Promise<string> {
    const img = page.getByTestId('qr-image');
    await img.waitFor(WAIT);
    await page.waitForFunction(() => (document.querySelector('[data-testid=qr-image]') as HTMLImageElement | null)?.complete === true);
    const png = PNG.sync.read(await img.screenshot());
    const code = decodeQr(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.ok(code, 'no QR code found in the screenshot');
    return code.data;
  }

  const statusIs = (word: string) => page.locator(`[data-testid=instance-status] [data-status=${word}]`).waitFor(WAIT);

  test('sign in: credentials stay out of the URL', async () => {
    await page.goto(`${base}/console/`);
    await page.getByLabel('App key').fill(h.appKey);
    await page.getByLabel('App secret').fill(h.appSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor(WAIT);
    assert.ok(!page.url().includes(h.appSecret) && !page.url().includes(h.appKey));
    const stored = await page.evaluate(() => sessionStorage.getItem('wxgate.console.credentials'));
    assert.ok(stored?.includes(h.appKey));
  });

  test('QR login scanned by the test through /sandbox/login/scan; a simulated person\'s messages appear live', async () => {
    const guid = await createInstance();
    await statusIs('running');
    await page.getByRole('button', { name: 'Get login QR code' }).click();
    const decoded = await qrOnScreen();
    const { qrcode_content: expected } = await api('/login/check_login_qrcode', { guid });
    assert.equal(decoded, expected);

    const { nick_name: scanner } = await api('/sandbox/login/scan', { guid, action: 'scan' });
    await page.locator('[data-testid=qr-status][data-status="1"]').waitFor(WAIT);
    await page.getByText(`Scanned by ${scanner}`).waitFor(WAIT);
    const { wxid: account } = await api('/sandbox/login/scan', { guid, action: 'confirm' });
    await statusIs('online');
    await page.locator(`[data-guid="${guid}"] [data-status=online]`).waitFor(WAIT);
    await page.locator('[data-testid=stream-state]', { hasText: 'live' }).waitFor(WAIT);

    // As a simulated person, from the console's chat view.
    await page.getByLabel("new person's nickname").fill('Alice');
    await page.getByRole('button', { name: 'New person' }).click();
    await page.getByRole('heading', { name: 'Chat as Alice' }).waitFor(WAIT);
    await page.getByLabel('message text').fill('hello from the console');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const fromChat = page.locator('[data-testid=events] .event[data-notify-type="1010"]', { hasText: 'hello from the console' });
    await fromChat.waitFor(WAIT);
    assert.match(await fromChat.innerText(), /NewMsg/);

    // And through the control API, as a bot's test would.
    const { people } = await api('/sandbox/people/list', {});
    // The scanner got a random default nickname, which may be "Alice" too: the console's Alice is the other one.
    const alice = people.find((p: { nickname: string; wxid: string }) => p.nickname === 'Alice' && p.wxid !== account);
    await api('/sandbox/messages/send', { from_wxid: alice.wxid, path: '/msg/send_text', body: { to_username: account, content: '你好, wxgate' } });
    await page.locator('[data-testid=events] .event[data-notify-type="1010"] .text', { hasText: '你好, wxgate' }).waitFor(WAIT);
    await page.locator('[data-testid=chat] li', { hasText: '你好, wxgate' }).waitFor(WAIT);
  });

  test('the sandbox phone buttons log a second instance in', async () => {
    const guid = await createInstance();
    await statusIs('running');
    await page.getByRole('button', { name: 'Get login QR code' }).click();
    assert.equal(await qrOnScreen(), (await api('/login/check_login_qrcode', { guid })).qrcode_content);
    await page.getByRole('button', { name: 'Scan as…' }).click();
    await page.locator('[data-testid=qr-status][data-status="1"]').waitFor(WAIT);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await statusIs('online');
    assert.equal((await api('/client/get_client_status', { guid })).status, 2);
  });
});
