// The console in a real browser (playwright-core driving Debian's chromium) against a wxgate on a real socket, on a
// laptop screen and a phone: sign in, QR login (read off the screen, and surviving a reload mid-login), chat as a
// simulated person, names instead of wxids, disabled and dangerous actions, the languages, and a server that stops.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness } from '../../server/test/harness.ts';
import {
  assertNoHorizontalOverflow, assertWraps, buildIfStale, CHROMIUM, CHROMIUM_ARGS, openPage, qrOnScreen, SCREENS, WAIT,
} from './e2e-helpers.ts';

const skip = existsSync(CHROMIUM) ? false : `needs chromium at ${CHROMIUM}: apt-get install chromium (or set WXGATE_CHROMIUM)`;
/** Set to a directory to keep screenshots of each screen in each language (for looking at the layout). */
const SHOTS = process.env.CONSOLE_SCREENSHOTS;
const LONG_WORD = 'x'.repeat(300);
const LONG_URL = `https://example.com/${'path/'.repeat(20)}?q=${'y'.repeat(120)}`;

describe('web console in chromium', { skip }, () => {
  let browser: Browser;
  before(async () => {
    buildIfStale();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => { await browser?.close(); });

  for (const screen of SCREENS) {
    describe(`on a ${screen.name} screen`, () => {
      let h: Harness;
      let base: string;
      let page: Page;
      let closed = false;
      const foreign: string[] = [];
      const shot = async (p: Page, name: string) => {
        if (SHOTS) await p.screenshot({ path: `${SHOTS}/${screen.phone ? 'phone' : 'desktop'}-${name}.png`, fullPage: true });
      };

      const api = async (path: string, body: Record<string, unknown>) => {
        const res = await h.direct(path, body);
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        return res.body.data;
      };
      const statusIs = (word: string) => page.locator(`[data-testid=instance-status] [data-status=${word}]`).waitFor(WAIT);
      /** On a phone the list gives way to an open instance: go back to it first. */
      const showList = async () => {
        const back = page.getByRole('button', { name: '← Instances' });
        if (await back.isVisible()) await back.click();
      };
      async function createInstance(): Promise<string> {
        await showList();
        const before = page.url();
        await page.getByRole('button', { name: 'New instance' }).click();
        await page.waitForURL((url) => url.href !== before && /\/console\/i\/[0-9a-f-]{36}$/.test(url.pathname), WAIT);
        return /\/i\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
      }

      before(async () => {
        // Real time: the page compares QR expiry times with the browser's clock. The vendor's wire (raw) is what a
        // user's first app gets from npm start. No private URLs allowed, as in a default deployment.
        h = await startHarness({ responseMode: 'raw', allowPrivateUrls: [] }, undefined, { realTime: true });
        base = await h.app.http.listen({ host: '127.0.0.1', port: 0 });
        page = await openPage(browser, base, screen, 'en-US', foreign);
      });
      after(async () => {
        await page?.context().close();
        if (!closed) await h?.close();
        assert.deepEqual(foreign, [], 'the console fetched something from outside wxgate');
      });

      test('sign in: credentials stay out of the URL', async () => {
        await page.goto(`${base}/console/`);
        await assertNoHorizontalOverflow(page, 'the sign-in form');
        await shot(page, 'en-signin');
        await page.getByLabel('App key').fill(h.appKey);
        await page.getByLabel('App secret').fill(h.appSecret);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Instances' }).waitFor(WAIT);
        assert.ok(!page.url().includes(h.appSecret) && !page.url().includes(h.appKey));
        const stored = await page.evaluate(() => sessionStorage.getItem('wxgate.console.credentials'));
        assert.ok(stored?.includes(h.appKey));
        await assertNoHorizontalOverflow(page, 'the instance list');
        await shot(page, 'en-list');
      });

      test('QR login: a reload while scanned shows the scan; a simulated person\'s messages appear live and wrap', async () => {
        const guid = await createInstance();
        await statusIs('running');
        await page.getByRole('button', { name: 'Get login QR code' }).click();
        const { qrcode_content: expected } = await api('/login/check_login_qrcode', { guid });
        assert.equal(await qrOnScreen(page), expected);

        const { nick_name: scanner } = await api('/sandbox/login/scan', { guid, action: 'scan' });
        await page.locator('[data-testid=qr-status][data-status="1"]').waitFor(WAIT);
        await page.getByText(`Scanned by ${scanner}`).waitFor(WAIT);
        // Reloaded mid-login: the page asks check_login_qrcode and shows the scan, not a fresh "get QR code".
        await page.reload();
        await page.locator('[data-testid=qr-status][data-status="1"]').waitFor(WAIT);
        await page.getByText(`Scanned by ${scanner}`).waitFor(WAIT);
        assert.equal(await page.getByRole('button', { name: 'Get login QR code' }).count(), 0);
        await page.getByRole('button', { name: 'Confirm', exact: true }).waitFor(WAIT);
        await assertNoHorizontalOverflow(page, 'scanned, waiting for the phone');
        await shot(page, 'en-scanned-after-reload');

        const { wxid: account } = await api('/sandbox/login/scan', { guid, action: 'confirm' });
        await statusIs('online');
        await page.locator(`[data-guid="${guid}"] [data-status=online]`).waitFor({ ...WAIT, state: 'attached' });
        await page.locator('[data-testid=stream-state][data-state=open]').waitFor(WAIT);

        await page.getByLabel("new person's nickname").fill('Alice');
        await page.getByRole('button', { name: 'New person' }).click();
        await page.getByRole('heading', { name: 'Chat as Alice' }).waitFor(WAIT);
        await page.getByLabel('message text').fill('hello from the console');
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        const fromChat = page.locator('[data-testid=events] .event[data-notify-type="1010"]', { hasText: 'hello from the console' });
        await fromChat.waitFor(WAIT);
        assert.match(await fromChat.innerText(), /NewMsg/);

        // Through the control API, as a bot's test would; the console's Alice is the one the console created.
        const alice = await page.locator('.people li.selected [data-wxid]').getAttribute('data-wxid');
        assert.ok(alice);
        for (const content of ['你好, wxgate', LONG_WORD, LONG_URL]) {
          await api('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: account, content } });
        }
        await page.locator('[data-testid=events] .event[data-notify-type="1010"] .text', { hasText: '你好, wxgate' }).waitFor(WAIT);
        await page.locator('[data-testid=chat] li', { hasText: LONG_URL.slice(0, 30) }).waitFor(WAIT);
        await page.locator('[data-testid=events] .text', { hasText: LONG_WORD }).waitFor(WAIT);
        await assertWraps(page, '[data-testid=chat] li', 'chat bubbles');
        await assertWraps(page, '[data-testid=events] .message .text', 'messages in the events');
        await assertNoHorizontalOverflow(page, 'an online instance with a chat');
        await shot(page, 'en-online-chat');
      });

      test('the sandbox phone buttons log a second instance in; long names do not widen the "scan as" choice', async () => {
        await api('/sandbox/people/create', { nickname: `Someone${'z'.repeat(55)}` });
        const guid = await createInstance();
        await statusIs('running');
        await page.getByRole('button', { name: 'Get login QR code' }).click();
        assert.equal(await qrOnScreen(page), (await api('/login/check_login_qrcode', { guid })).qrcode_content);
        await assertNoHorizontalOverflow(page, 'a QR code with the phone\'s "scan as" choice');
        await shot(page, 'en-qr');
        await page.getByRole('button', { name: 'Scan as…' }).click();
        await page.locator('[data-testid=qr-status][data-status="1"]').waitFor(WAIT);
        await page.getByRole('button', { name: 'Confirm', exact: true }).click();
        await statusIs('online');
        assert.equal((await api('/client/get_client_status', { guid })).status, 2);
      });

      test('people appear by nickname with the wxid on hover and a copy button; default nicknames differ', async () => {
        const before = new Set(((await api('/sandbox/people/list', { limit: 1000 })).people as Array<{ wxid: string }>).map((p) => p.wxid));
        for (let i = 0; i < 3; i++) {
          const count = await page.locator('[data-testid=people] li').count();
          await page.getByRole('button', { name: 'New person' }).click();
          await page.waitForFunction((n) => document.querySelectorAll('[data-testid=people] li').length > n, count, WAIT);
        }
        const people = (await api('/sandbox/people/list', { limit: 1000 })).people as Array<{ wxid: string; nickname: string }>;
        const created = people.filter((p) => !before.has(p.wxid));
        assert.equal(created.length, 3);
        for (const p of created) {
          const entry = page.locator(`[data-testid=people] button[data-wxid="${p.wxid}"]`);
          assert.equal(await entry.getAttribute('title'), p.wxid);
          assert.equal(await entry.locator('.who-name').innerText(), p.nickname);
        }
        // Everyone named by default in this world (the console named only Alice and the long one) has a name of their own.
        const defaults = people.filter((p) => p.nickname !== 'Alice' && !p.nickname.startsWith('Someone')).map((p) => p.nickname);
        assert.equal(new Set(defaults).size, defaults.length, `default nicknames repeat: ${defaults.join(', ')}`);

        const first = created[0]!;
        await page.locator(`[data-testid=people] li:has(button[data-wxid="${first.wxid}"]) button.icon`).click();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first.wxid);
      });

      test('actions that cannot apply are disabled, faults look dangerous, a refused notify URL says why and what allows it', async () => {
        const restore = page.getByRole('button', { name: 'Restore (start)' });
        const stop = page.getByRole('button', { name: 'Stop', exact: true });
        assert.equal(await restore.isDisabled(), true, 'restore while running');
        assert.equal(await stop.isDisabled(), false);
        assert.equal(await page.getByRole('button', { name: 'Replay' }).first().isDisabled(), true, 'replay without a notify URL');

        const fault = page.locator('button.fault').first();
        const normal = page.getByRole('button', { name: 'New person' });
        const look = (el: typeof fault) => el.evaluate((b) => { const s = getComputedStyle(b); return `${s.color} ${s.backgroundColor} ${s.borderTopColor}`; });
        assert.notEqual(await look(fault), await look(normal));
        assert.match(await look(fault), /rgb\(201, 55, 44\)/, 'faults are drawn in the danger colour');

        const guid = /\/i\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
        // A private address (not loopback: a server on loopback only takes local receivers).
        const url = `http://10.255.255.1:9/${LONG_WORD}`;
        const refused = await h.direct('/client/set_notify_url', { guid, notify_url: url });
        assert.notEqual(refused.body.errcode, 0);
        await page.getByLabel('notify URL').fill(url);
        await page.getByRole('button', { name: 'Set notify URL' }).click();
        const error = page.getByTestId('instance-error');
        await error.waitFor(WAIT);
        assert.ok((await error.innerText()).includes(refused.body.errmsg), `the API's reason is shown: ${refused.body.errmsg}`);
        assert.ok((await error.innerText()).includes(refused.body.errors[0].msg), 'and the field\'s reason');
        assert.match(await page.getByTestId('private-url-hint').innerText(), /WXGATE_ALLOW_PRIVATE_URLS/);
        await assertNoHorizontalOverflow(page, 'a refused notify URL');
        await shot(page, 'en-refused-url');

        // A reason of 300 characters without a space (no endpoint echoes that much of its input, so the answer is
        // made up on the page's side) wraps inside the panel.
        await page.route(`${base}/client/set_proxy`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ errcode: 40000, errmsg: LONG_WORD }) }));
        await page.getByRole('button', { name: 'Set proxy' }).click();
        await page.getByTestId('instance-error').filter({ hasText: LONG_WORD }).waitFor(WAIT);
        await page.unroute(`${base}/client/set_proxy`);
        await assertWraps(page, '[data-testid=instance-error]', 'a long error');
        await assertNoHorizontalOverflow(page, 'a long error');

        await stop.click();
        await statusIs('stopped');
        assert.equal(await stop.isDisabled(), true, 'stop while stopped');
        assert.equal(await restore.isDisabled(), false);
        await restore.click();
        await statusIs('online');
      });

      test('the instance view shows the send queue while send pacing is on', async () => {
        const guid = /\/i\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
        assert.equal(await page.getByTestId('send-queue').count(), 0, 'nothing shown while pacing is off');
        // Gaps of ten minutes: the first send goes at once, the next two wait.
        await api('/client/set_send_pacing', { guid, enabled: true, warmup_days: 0, min_delay_ms: 600_000, max_delay_ms: 600_000 });
        for (const content of ['one', 'two', 'three']) await api('/msg/send_text', { guid, to_username: 'filehelper', content });
        // The first is due at once and may still be on its way (neither queued nor sent): wait until it has gone, which
        // sets the next send time the page shows.
        let pacing = await api('/client/get_send_pacing', { guid });
        for (let tries = 0; (pacing.queue_length !== 2 || pacing.sent_last_minute !== 1) && tries < 30; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 30));
          pacing = await api('/client/get_send_pacing', { guid });
        }
        const { queue_length: waiting, next_send_time: next } = pacing;
        assert.equal(waiting, 2, `queue_length ${waiting}`);
        await page.reload();
        const shown = page.getByTestId('send-queue');
        await shown.waitFor(WAIT);
        const text = await shown.innerText();
        assert.ok(text.includes(`${waiting} sends waiting`), text);
        assert.ok(text.includes(new Date(next * 1000).toLocaleTimeString('en-US')), text);
        await api('/client/set_send_pacing', { guid, enabled: false });
        await assertNoHorizontalOverflow(page, 'the send queue');
      });

      test('language: Chinese when the browser prefers it, a switch, and the choice remembered', async () => {
        const zh = await openPage(browser, base, screen, 'zh-CN', foreign);
        try {
          await zh.goto(`${base}/console/`);
          await zh.getByRole('heading', { name: 'wxgate 控制台' }).waitFor(WAIT);
          assert.equal(await zh.evaluate(() => document.documentElement.lang), 'zh-CN');
          await assertNoHorizontalOverflow(zh, 'the sign-in form in Chinese');
          await shot(zh, 'zh-signin');
          await zh.getByLabel('应用 Key（app_key）').fill(h.appKey);
          await zh.getByLabel('应用密钥（app_secret）').fill(h.appSecret);
          await zh.getByRole('button', { name: '登录' }).click();
          await zh.getByRole('heading', { name: '实例' }).waitFor(WAIT);
          const online = zh.locator('.instances li', { has: zh.locator('[data-status=online]') }).first();
          await online.waitFor(WAIT);
          await online.locator('button.instance').click();
          await zh.locator('[data-testid=instance-status]', { hasText: '在线' }).waitFor(WAIT);
          await zh.locator('[data-testid=people] button[data-wxid]').first().click();
          await zh.getByText('以 ').first().waitFor(WAIT);
          await assertNoHorizontalOverflow(zh, 'an instance in Chinese');
          await shot(zh, 'zh-online-chat');

          await zh.getByRole('button', { name: 'English' }).click();
          await zh.getByRole('heading', { name: 'Live events' }).waitFor(WAIT);
          await zh.reload();
          await zh.getByRole('heading', { name: 'Live events' }).waitFor(WAIT);
          assert.equal(await zh.evaluate(() => localStorage.getItem('wxgate.console.locale')), 'en');
          assert.equal(await zh.evaluate(() => document.documentElement.lang), 'en');
          await zh.getByRole('button', { name: '中文' }).click();
          await zh.getByRole('heading', { name: '实时事件' }).waitFor(WAIT);
          // A login in progress, in Chinese, for the screenshot of the QR code and the phone's buttons.
          if (SHOTS) {
            const back = zh.getByRole('button', { name: '← 实例列表' });
            if (await back.isVisible()) await back.click();
            await zh.getByRole('button', { name: '新建实例' }).click();
            await zh.getByRole('button', { name: '获取登录二维码' }).click();
            await zh.getByTestId('qr-image').waitFor(WAIT);
            await shot(zh, 'zh-qr');
          }
        } finally {
          await zh.context().close();
        }
      });

      test('when the server stops answering, the badges say so instead of the last state', async () => {
        await statusIs('online');
        closed = true;
        await h.close();
        await statusIs('unreachable');
        await page.getByTestId('unreachable').waitFor(WAIT);
        assert.equal(await page.getByRole('button', { name: 'Stop', exact: true }).isDisabled(), true, 'nothing to change on a server that does not answer');
        assert.match(await page.getByTestId('instance-status').innerText(), /server unreachable/);
        const rows = page.locator('.instances li [data-status]');
        await page.waitForFunction(() => [...document.querySelectorAll('.instances li [data-status]')].every((b) => b.getAttribute('data-status') === 'unreachable'), undefined, WAIT);
        assert.ok(await rows.count() >= 2);
        await assertNoHorizontalOverflow(page, 'server unreachable');
        await shot(page, 'en-unreachable');
      });
    });
  }
});
