// An iLink bot API client, written from the OpenClaw Weixin plugin's docs/protocol.md (its own client imports
// OpenClaw), binds a sandbox instance by the bot QR flow over real sockets, then receives and replies to a person's
// texts; its get_updates_buf resumes across a wxgate restart; a revoked or unknown token answers ret -14.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startHarness, type Harness } from '../../harness.ts';
import { IlinkClient, listen } from '../../ilink-client.ts';
import { friendOf, loggedIn, ok } from '../../sandbox-helpers.ts';

const texts = (resp: { msgs: Array<{ item_list: Array<{ text_item?: { text: string } }> }> }) =>
  resp.msgs.map((m) => m.item_list[0]!.text_item!.text);

let h: Harness;
after(async () => h?.close());

test('an iLink client binds an instance by QR, gets and answers texts, resumes after a restart, and is refused once revoked', { timeout: 120_000 }, async () => {
  h = await startHarness({}, undefined, { realTime: true });
  const client = new IlinkClient(await listen(h));
  const { guid, wxid: me } = await loggedIn(h, { nickname: 'Agent' });
  const alice = await friendOf(h, me, 'Alice');

  // QR binding: the client asks without credentials; the instance's phone scans and confirms.
  const qr = await client.post(`ilink/bot/get_bot_qrcode?bot_type=3`, { local_token_list: [] });
  assert.equal(qr.ret, 0);
  assert.ok(qr.qrcode && qr.qrcode_img_content.includes(qr.qrcode), JSON.stringify(qr));
  const waiting = client.qrStatus(qr.qrcode);
  assert.equal((await waiting).status, 'wait', 'a fresh code answers wait first');
  const held = client.qrStatus(qr.qrcode); // a long poll: answered when the phone scans
  assert.equal((await ok(h.direct('/ilink/scan_qrcode', { guid, qrcode: qr.qrcode_img_content, action: 'scan' }))).status, 'scaned');
  assert.equal((await held).status, 'scaned');
  const confirmed = await ok(h.direct('/ilink/scan_qrcode', { guid, qrcode: qr.qrcode, action: 'confirm' }));
  const bound = await client.qrStatus(qr.qrcode);
  assert.equal(bound.status, 'confirmed');
  assert.equal(bound.ilink_user_id, me);
  assert.equal(bound.ilink_bot_id, `${confirmed.bot_id}@im.bot`);
  assert.equal(bound.baseurl, client.baseUrl.replace(/\/$/, ''));
  assert.match(bound.bot_token, /^ilt_/);
  assert.equal((await client.qrStatus(qr.qrcode)).status, 'expired', 'the credentials are answered once');
  assert.ok(!h.logs.some((line) => line.includes(bound.bot_token) || line.includes(qr.qrcode)), 'neither the token nor the QR code is logged');
  const status = await ok(h.direct('/ilink/status', { guid }));
  assert.deepEqual(status.bots.map((b: { bot_id: string }) => b.bot_id), [confirmed.bot_id]);

  // A person's text reaches getupdates; the reply with its context_token reaches the person.
  const bot = new IlinkClient(bound.baseurl + '/', bound.bot_token);
  await ok(h.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: 'hello bot' } }));
  const first = await bot.getUpdates('');
  assert.equal(first.ret, 0);
  assert.deepEqual(texts(first), ['hello bot']);
  const [hello] = first.msgs;
  assert.equal(hello.from_user_id, alice);
  assert.equal(hello.to_user_id, bound.ilink_bot_id);
  assert.equal(hello.message_type, 1);
  assert.equal(hello.item_list[0].type, 1);
  assert.ok(hello.create_time_ms > 1_000_000_000_000 && typeof hello.message_id === 'string' && hello.seq > 0 && hello.context_token);
  const sent = await bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, context_token: hello.context_token, item_list: [{ type: 1, text_item: { text: 'hello Alice' } }] } });
  assert.equal(sent.ret, 0, JSON.stringify(sent));
  const aliceSees = await ok(h.direct('/sandbox/messages/list', { wxid: alice, talker: me }));
  assert.ok(aliceSees.messages.some((m: { content: string; from_username: string }) => m.content === 'hello Alice' && m.from_username === me), JSON.stringify(aliceSees.messages));
  const elsewhere = await bot.post('ilink/bot/sendmessage', { msg: { to_user_id: 'wxid_someone_else', context_token: hello.context_token, item_list: [{ type: 1, text_item: { text: 'x' } }] } });
  assert.equal(elsewhere.ret, -1, 'a context_token of another conversation is refused');
  const config = await bot.post('ilink/bot/getconfig', { ilink_user_id: alice, context_token: hello.context_token });
  assert.equal(config.ret, 0);
  assert.equal((await bot.post('ilink/bot/sendtyping', { ilink_user_id: alice, typing_ticket: config.typing_ticket, status: 1 })).ret, 0);
  assert.equal((await bot.post('ilink/bot/msg/notifystart', {})).ret, 0);

  // Messages sent while the client is away, then a wxgate restart: the buf resumes with exactly those.
  for (const text of ['two', 'three']) {
    await ok(h.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: text } }));
  }
  h = await h.restart();
  bot.baseUrl = await listen(h);
  const resumed = await bot.getUpdates(first.get_updates_buf);
  assert.deepEqual(texts(resumed), ['two', 'three'], 'nothing lost, nothing repeated, the bot\'s own reply not echoed');
  await ok(h.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: 'four' } }));
  const next = await bot.getUpdates(resumed.get_updates_buf);
  assert.deepEqual(texts(next), ['four']);
  // A reset ("") resumes after the last buf the client sent: "four" was answered but not yet acknowledged.
  assert.deepEqual(texts(await bot.getUpdates('')), ['four']);

  // Junk is the protocol's error, never a 5xx; a revoked or unknown token is a session timeout.
  const junk = await bot.post('ilink/bot/sendmessage', '{not json', true);
  assert.equal(junk.ret, -1);
  assert.ok(junk.errmsg);
  assert.deepEqual(await ok(h.direct('/ilink/revoke_bot', { guid, bot_id: confirmed.bot_id })), { revoked: true });
  const revoked = await bot.getUpdates(next.get_updates_buf);
  assert.equal(revoked.ret, -14);
  assert.equal(revoked.errcode, -14);
  const unknown = await new IlinkClient(bot.baseUrl, 'ilt_not_a_token').post('ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 1, text_item: { text: 'x' } }] } });
  assert.equal(unknown.ret, -14);
});
