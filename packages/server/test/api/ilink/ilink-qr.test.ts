// The iLink bot QR flow through the app object: every status the protocol names that wxgate answers — wait, scaned,
// confirmed (credentials once), need_verifycode and the client's verify_code, verify_code_blocked, expired (on the
// manual clock), cancel, binded_redirect for a client that holds the instance's bot, scaned_but_redirect with the host
// the phone names — and codes that outlive a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ILINK_QR_TTL_MS } from '../../../src/core/ilink/ilink-bots.ts';
import { MAX_VERIFY_FAILURES } from '../../../src/core/ilink/ilink-qr.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { ilinkApi } from '../../ilink-client.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';

describe('iLink QR states', () => {
  let h: Harness;
  let guid: string;
  let me: string;
  const api = () => ilinkApi(h);
  const phone = (qrcode: string, action: string, extra: Record<string, unknown> = {}) => h.direct('/ilink/scan_qrcode', { guid, qrcode, action, ...extra });

  before(async () => {
    h = await startHarness();
    ({ guid, wxid: me } = await loggedIn(h, { nickname: 'Agent' }));
  });
  after(async () => h?.close());

  test('wait, scaned, confirmed: the token is answered once and drives the bot', async () => {
    const qrcode = await api().newQr();
    assert.equal((await api().qrStatus(qrcode)).status, 'wait');
    assert.equal((await ok(phone(qrcode, 'scan'))).status, 'scaned');
    assert.equal((await api().qrStatus(qrcode)).status, 'scaned');
    const { bot_id: botId } = await ok(phone(qrcode, 'confirm'));
    const confirmed = await api().qrStatus(qrcode);
    assert.deepEqual([confirmed.status, confirmed.ilink_bot_id, confirmed.ilink_user_id], ['confirmed', `${botId}@im.bot`, me]);
    assert.equal((await api().qrStatus(qrcode)).status, 'expired', 'credentials once');
    assert.equal((await api().post('/ilink/bot/msg/notifystart', {}, confirmed.bot_token)).ret, 0, 'the token works');
    assert.equal((await phone(qrcode, 'scan')).status, 409, 'a used code cannot be scanned again');
  });

  test('need_verifycode: the client waits for the code the phone shows; wrong codes are refused, the right one binds', async () => {
    const qrcode = await api().newQr();
    await ok(phone(qrcode, 'scan'));
    assert.equal((await ok(phone(qrcode, 'confirm', { verify_code: '482913' }))).status, 'need_verifycode');
    assert.equal((await api().qrStatus(qrcode)).status, 'need_verifycode');
    assert.equal((await api().qrStatus(qrcode, '000000')).status, 'need_verifycode', 'a wrong code asks again');
    assert.deepEqual(await ok(h.direct('/ilink/status', { guid })).then((s) => s.bots.length), 1, 'nothing bound before the right code');
    const confirmed = await api().qrStatus(qrcode, '482913');
    assert.equal(confirmed.status, 'confirmed');
    assert.equal((await api().post('/ilink/bot/msg/notifystart', {}, confirmed.bot_token)).ret, 0);
    const invalid = await h.direct('/ilink/scan_qrcode', { guid, qrcode: await api().newQr(), action: 'confirm', verify_code: '12ab' });
    assert.equal(invalid.status, 422, 'a verify_code is 4 to 8 digits');
  });

  test(`verify_code_blocked after ${MAX_VERIFY_FAILURES} wrong codes; the right code no longer binds`, async () => {
    const qrcode = await api().newQr();
    await ok(phone(qrcode, 'scan'));
    await ok(phone(qrcode, 'confirm', { verify_code: '1234' }));
    const answers: string[] = [];
    for (let i = 0; i < MAX_VERIFY_FAILURES; i++) answers.push((await api().qrStatus(qrcode, `99${i}9`)).status);
    assert.deepEqual(answers, [...Array(MAX_VERIFY_FAILURES - 1).fill('need_verifycode'), 'verify_code_blocked']);
    assert.equal((await api().qrStatus(qrcode, '1234')).status, 'expired');
  });

  test('wrong codes guessed in parallel each count', async () => {
    const qrcode = await api().newQr();
    await ok(phone(qrcode, 'scan'));
    await ok(phone(qrcode, 'confirm', { verify_code: '7777' }));
    const answers = await Promise.all(Array.from({ length: MAX_VERIFY_FAILURES }, (_, i) => api().qrStatus(qrcode, `100${i}`)));
    assert.ok(answers.some((a) => a.status === 'verify_code_blocked'), JSON.stringify(answers));
    assert.notEqual((await api().qrStatus(qrcode, '7777')).status, 'confirmed', 'blocked: the right code comes too late');
  });

  test('expired: a code not confirmed within its time, and a cancelled one', async () => {
    const qrcode = await api().newQr();
    assert.equal((await api().qrStatus(qrcode)).status, 'wait');
    await ok(phone(qrcode, 'scan'));
    h.clock.advance(ILINK_QR_TTL_MS);
    assert.equal((await api().qrStatus(qrcode)).status, 'expired');
    assert.equal((await phone(qrcode, 'confirm')).status, 409, 'too late to confirm');
    const cancelled = await api().newQr();
    await ok(phone(cancelled, 'scan'));
    assert.equal((await ok(phone(cancelled, 'cancel'))).status, 'expired');
    assert.equal((await api().qrStatus(cancelled)).status, 'expired');
    assert.equal((await api().qrStatus('ilq_never_issued')).status, 'expired');
  });

  test('binded_redirect: a client holding this instance\'s bot token is pointed at that bot, and nothing new is bound', async () => {
    const first = await api().newQr();
    await ok(phone(first, 'scan'));
    const { bot_id: botId } = await ok(phone(first, 'confirm'));
    const { bot_token: token } = await api().qrStatus(first);
    const bots = (await ok(h.direct('/ilink/status', { guid }))).bot_count;
    const again = await api().newQr([token, 'ilt_unknown']);
    await ok(phone(again, 'scan'));
    assert.deepEqual(await ok(phone(again, 'confirm')), { status: 'binded_redirect', bot_id: botId });
    const redirect = await api().qrStatus(again);
    assert.deepEqual([redirect.status, redirect.ilink_bot_id, redirect.ilink_user_id, redirect.bot_token], ['binded_redirect', `${botId}@im.bot`, me, undefined]);
    assert.equal((await ok(h.direct('/ilink/status', { guid }))).bot_count, bots);
    // Another instance's phone binds a bot of its own, whatever tokens the client holds.
    const other = await loggedIn(h, { nickname: 'Other' });
    const third = await api().newQr([token]);
    await ok(h.direct('/ilink/scan_qrcode', { guid: other.guid, qrcode: third, action: 'scan' }));
    assert.equal((await ok(h.direct('/ilink/scan_qrcode', { guid: other.guid, qrcode: third, action: 'confirm' }))).status, 'confirmed');
    const refused = await api().post('/ilink/bot/get_bot_qrcode', { local_token_list: 'not a list' });
    assert.deepEqual([refused.ret, refused.errcode], [-1, 40984]);
  });

  test('scaned_but_redirect: a scan with redirect_host tells the client where to poll; the code is confirmed as after a scan', async () => {
    const qrcode = await api().newQr();
    assert.deepEqual(await ok(phone(qrcode, 'scan', { redirect_host: '127.0.0.1:8931' })), { status: 'scaned_but_redirect', bot_id: null });
    assert.deepEqual(await api().qrStatus(qrcode), { ret: 0, status: 'scaned_but_redirect', redirect_host: '127.0.0.1:8931' });
    const { bot_id: botId } = await ok(phone(qrcode, 'confirm'));
    const confirmed = await api().qrStatus(qrcode);
    assert.deepEqual([confirmed.status, confirmed.ilink_bot_id], ['confirmed', `${botId}@im.bot`]);
    const cancelled = await api().newQr();
    await ok(phone(cancelled, 'scan', { redirect_host: 'ilink-2.example.com' }));
    assert.equal((await ok(phone(cancelled, 'cancel'))).status, 'expired');
    assert.equal((await phone(await api().newQr(), 'scan', { redirect_host: 'http://elsewhere/' })).status, 422, 'a host, not a URL');
    assert.equal((await phone(qrcode, 'confirm', { redirect_host: 'elsewhere' })).status, 422, 'with scan only');
  });

  test('a pending code outlives a restart: scanned before, confirmed and collected after', async () => {
    const qrcode = await api().newQr();
    await ok(phone(qrcode, 'scan'));
    h = await h.restart();
    assert.equal((await api().qrStatus(qrcode)).status, 'scaned');
    await ok(phone(qrcode, 'confirm'));
    h = await h.restart();
    const confirmed = await api().qrStatus(qrcode);
    assert.equal(confirmed.status, 'confirmed');
    assert.equal((await api().post('/ilink/bot/msg/notifystop', {}, confirmed.bot_token)).ret, 0);
  });
});
