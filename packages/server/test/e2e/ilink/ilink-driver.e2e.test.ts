// The ilink driver end to end: a wxgate whose instance is a WeChat account through iLink, pointed at a SECOND wxgate
// that serves the iLink API over its sandbox (both on real loopback sockets). The QR is scanned on the second wxgate;
// a simulated person's text becomes a 1010 at the first's notify_url; send_text reaches the person; a restart of the
// first resumes the long poll without losing or repeating a message; revoking the bot logs the instance out.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Config } from '../../../src/config.ts';
import { eventually } from '../../eventually.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { rawStore } from '../../raw-store.ts';
import { Receiver } from '../../receiver.ts';
import { freePort } from '../../relay-harness.ts';
import { friendOf, loggedIn, ok, outbox } from '../../sandbox-helpers.ts';

let upstream: Harness | undefined;
let first: Harness | undefined;
const receiver = new Receiver();
after(async () => {
  await first?.close();
  await upstream?.close();
  await receiver.close();
});

const textsIn = (events: Array<{ notifyType: number; data: unknown }>) =>
  events.filter((e) => e.notifyType === 1010).map((e) => (e.data as { content: string }).content);

test('the ilink driver logs in by bot QR, receives and sends texts, resumes after a restart, and is logged out when the bot is revoked', { timeout: 180_000 }, async () => {
  // The second wxgate: a sandbox account (the phone that scans) with a friend, serving /ilink/bot/*.
  // Polling the first wxgate until the background work shows must not run into the rate limit.
  const rateLimit = { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 60 };
  upstream = await startHarness({ rateLimit }, undefined, { realTime: true });
  const upstreamUrl = await upstream.app.http.listen({ host: '127.0.0.1', port: 0 });
  const { guid: upGuid, wxid: me } = await loggedIn(upstream, { nickname: 'Agent' });
  const alice = await friendOf(upstream, me, 'Alice');
  const say = (content: string) => ok(upstream!.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content } }));

  const overrides: Partial<Config> = { driver: 'ilink', ilink: { baseUrl: upstreamUrl, timeoutMs: 5_000, cdnUrl: `${upstreamUrl}/ilink/cdn` }, rateLimit };
  first = await startHarness(overrides, undefined, { realTime: true });
  await receiver.start();
  const guid = await first.createInstance({ auto_start: true });
  await ok(first.direct('/client/set_notify_url', { guid, notify_url: receiver.url }));
  const version = await ok(first.direct('/client/get_client_version', { guid }));
  assert.equal(version.driver, 'ilink');
  assert.deepEqual([...version.capabilities].sort(), [
    '/cloud/cdn_download', '/cloud/cdn_upload', '/cloud/download_voice', '/login/check_login_qrcode', '/login/get_login_qrcode', '/login/verify_login_url',
    '/msg/send_file', '/msg/send_image', '/msg/send_refer_msg', '/msg/send_text', '/msg/send_video', '/msg/send_voice', '/user/logout',
  ]);

  // The bot QR: asked from the second wxgate, scanned and confirmed there by the logged-in sandbox account.
  const qr = await ok(first.direct('/login/get_login_qrcode', { guid }));
  assert.ok(qr.qrcode_content.includes(qr.uuid), JSON.stringify(qr));
  assert.ok(Buffer.from(qr.qrcode, 'base64').subarray(1, 4).toString() === 'PNG', 'the QR code is a PNG');
  assert.equal((await ok(first.direct('/login/check_login_qrcode', { guid }))).status, 0);
  await ok(upstream.direct('/ilink/scan_qrcode', { guid: upGuid, qrcode: qr.qrcode_content, action: 'scan' }));
  await eventually(() => ok(first!.direct('/login/check_login_qrcode', { guid })), (s) => s.status === 1, 10_000);
  await ok(upstream.direct('/ilink/scan_qrcode', { guid: upGuid, qrcode: qr.uuid, action: 'confirm' }));
  const confirmed = await eventually(() => ok(first!.direct('/login/check_login_qrcode', { guid })), (s) => s.status === 2, 10_000);
  assert.equal(confirmed.wxid, me, 'the instance is the account that confirmed (ilink_user_id)');
  assert.equal((await ok(first.direct('/client/get_client_status', { guid }))).status, 2);
  await receiver.until((got) => got.some((r) => r.json.notify_type === 1003), 10_000);
  assert.deepEqual(receiver.received.filter((r) => r.json.notify_type === 1002).map((r) => r.json.data.status), [0, 1, 2]);

  // The bot_token is encrypted at rest and never logged.
  const link = (await first.app.store.ilinkLinks.get(guid))!;
  assert.match(link.botToken, /^ilt_/);
  const raw = await rawStore(first.dataDir);
  try {
    const [row] = await raw.all('SELECT bot_token FROM ilink_links WHERE guid = ?', guid);
    assert.match(String(row!.bot_token), /^enc:v1:/);
    assert.ok(!String(row!.bot_token).includes(link.botToken));
  } finally {
    await raw.close();
  }
  assert.ok(!first.logs.some((line) => line.includes(link.botToken)), 'the bot_token is not logged');

  // A person's text arrives as a 1010 at the notify_url; send_text reaches the person.
  await say('hello bot');
  await receiver.until((got) => got.some((r) => r.json.notify_type === 1010), 15_000);
  const hello = receiver.received.find((r) => r.json.notify_type === 1010)!.json;
  assert.equal(hello.guid, guid);
  assert.equal(hello.data.msg_type, 1);
  assert.equal(hello.data.content, 'hello bot');
  assert.equal(hello.data.from_username, alice);
  assert.equal(hello.data.to_username, me);
  assert.match(hello.data.msg_id, /^[1-9]\d*$/);
  const sent = await first.direct('/msg/send_text', { guid, to_username: alice, content: 'hello Alice' });
  assert.equal(sent.status, 200, sent.text);
  assert.match(sent.body.data.list[0].newMsgId, /^[1-9]\d*$/);
  const aliceSees = await ok(upstream.direct('/sandbox/messages/list', { wxid: alice, talker: me }));
  assert.ok(aliceSees.messages.some((m: { content: string; from_username: string }) => m.content === 'hello Alice' && m.from_username === me), JSON.stringify(aliceSees.messages));
  // What iLink cannot do answers "not supported", never a fake success.
  const unsupported = await first.direct('/contact/get_contact', { guid, username_list: [alice] });
  assert.equal(unsupported.body.errcode ?? unsupported.body.code, 50101, unsupported.text);
  const empty = await first.direct('/msg/send_text', { guid, to_username: alice, content: '' });
  assert.ok(empty.status === 422 || empty.body.errcode !== 0, 'an empty text is refused');

  // The first wxgate goes down; texts sent meanwhile arrive once after it is back, and nothing before them again.
  await first.app.close();
  await say('two');
  await say('three');
  first = await startHarness(overrides, { dataDir: first.dataDir, clock: first.clock, appKey: first.appKey, appSecret: first.appSecret }, { realTime: true });
  const h = first;
  assert.deepEqual(await ok(h.direct('/login/check_login_qrcode', { guid })), { status: 2, wxid: me }, 'still logged in after the restart');
  await eventually(async () => textsIn(await outbox(h, guid)), (texts) => texts.length >= 3, 15_000);
  await say('four');
  const texts = await eventually(async () => textsIn(await outbox(h, guid)), (t) => t.length >= 4, 15_000);
  assert.deepEqual(texts, ['hello bot', 'two', 'three', 'four'], 'nothing lost, nothing repeated');

  // The bot is revoked on the iLink side: the next answer is ret -14, and the instance is logged out with a 1004.
  const [bot] = (await ok(upstream.direct('/ilink/status', { guid: upGuid }))).bots;
  await ok(upstream.direct('/ilink/revoke_bot', { guid: upGuid, bot_id: bot.bot_id }));
  await say('after the revocation'); // wakes the waiting long poll, which then answers ret -14
  await eventually(() => ok(h.direct('/client/get_client_status', { guid })), (s) => s.status === 1, 15_000);
  await receiver.until((got) => got.some((r) => r.json.notify_type === 1004), 15_000);
  assert.equal(await h.app.store.ilinkLinks.get(guid), undefined, 'the token is forgotten');
  assert.ok(!textsIn(await outbox(h, guid)).includes('after the revocation'));
  const refused = await h.direct('/msg/send_text', { guid, to_username: alice, content: 'still there?' });
  assert.equal(refused.body.errcode ?? refused.body.code, 40902, refused.text);
});

test('an iLink server that cannot be reached is a clear error naming it, never a 500; nothing is logged in', { timeout: 60_000 }, async () => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const h = await startHarness({ driver: 'ilink', ilink: { baseUrl: nobody, timeoutMs: 2_000, cdnUrl: `${nobody}/ilink/cdn` } }, undefined, { realTime: true });
  try {
    const guid = await h.createInstance({ auto_start: true });
    const qr = await h.direct('/login/get_login_qrcode', { guid });
    assert.equal(qr.body.code ?? qr.body.errcode, 50210, qr.text);
    assert.match(qr.body.message ?? qr.body.errmsg, /iLink server could not be reached/);
    const check = await h.direct('/login/check_login_qrcode', { guid });
    assert.equal(check.body.code ?? check.body.errcode, 40913, check.text);
    assert.equal((await ok(h.direct('/client/get_client_status', { guid }))).status, 1);
  } finally {
    await h.close();
  }
});
