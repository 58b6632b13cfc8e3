// WxgateBot against a live wxgate over real sockets: receive + ack, resume after a drop and a restart, retries, SSE fallback, webhooks.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileCursorStore, MemoryCursorStore, WxgateBot, type BotError, type Message, type WxgateClient } from '../src/index.ts';
import { loggedIn, startLiveServer, type LiveServer } from './live-server.ts';

/** Polls until `check` holds; the test's own timeout bounds the wait. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe('WxgateBot on a live server', () => {
  let live: LiveServer;
  let client: WxgateClient;
  let account: { guid: string; wxid: string };
  let friend: string;
  const say = (content: string) =>
    client.call('/sandbox/messages/send', { from_wxid: friend, path: '/msg/send_text', body: { to_username: account.wxid, content } });
  /** What the friend received from the account, oldest first. */
  const friendGot = async () => (await client.call('/sandbox/messages/list', { wxid: friend, talker: account.wxid, limit: 1000 })).messages
    .filter((m) => m.from_username === account.wxid).map((m) => m.content);

  before(async () => {
    live = await startLiveServer();
    client = live.client();
    account = await loggedIn(client, 'Botty');
    friend = (await client.call('/sandbox/people/create', { nickname: 'Alice', needs_verification: false })).wxid;
    await client.call('/sandbox/friend/request', { from_wxid: account.wxid, to_wxid: friend }).catch(() => undefined);
  });
  after(() => live.close());

  test('receives over /ws, replies, tells its own messages apart, and acknowledges after the handler', async () => {
    const bot = new WxgateBot({ client, guid: account.guid, consumer: 'reply', cursorStore: new MemoryCursorStore() });
    const seen: Array<{ text: string; self: boolean; talker: string; room: string | null }> = [];
    const statuses: string[] = [];
    bot.on('status', (s) => { statuses.push(s.state === 'open' ? `open:${s.transport}` : s.state); });
    bot.on('message', async (m: Message) => {
      seen.push({ text: m.text(), self: m.self(), talker: m.talker(), room: m.room() });
      if (!m.self() && m.text() === 'ping') await m.reply('pong');
    });
    await bot.start();
    assert.equal(bot.selfWxid, account.wxid, 'the account was learned from get_client_status');
    await say('ping');
    await until(async () => (await friendGot()).includes('pong'));
    await until(() => seen.some((s) => s.self && s.text === 'pong'));
    await bot.stop();
    assert.ok(statuses.includes('open:ws'), `went over the WebSocket: ${statuses.join(',')}`);
    assert.deepEqual(seen.find((s) => s.text === 'ping'), { text: 'ping', self: false, talker: friend, room: null });
    assert.deepEqual(seen.find((s) => s.text === 'pong'), { text: 'pong', self: true, talker: account.wxid, room: null });

    // The server's cursor for the consumer moved past both: a new connection of the same consumer gets nothing old.
    const again = new WxgateBot({ client, guid: account.guid, consumer: 'reply', cursorStore: new MemoryCursorStore() });
    const replayed: string[] = [];
    again.on('message', (m) => { replayed.push(m.text()); });
    await again.start();
    await say('after the ack');
    await until(() => replayed.includes('after the ack'));
    await again.stop();
    assert.deepEqual(replayed, ['after the ack']);
  });

  test('in a room a reply @-mentions the talker; an image downloads to its bytes; a friend request is accepted', async () => {
    const bob = (await client.call('/sandbox/people/create', { nickname: 'Bob', needs_verification: false })).wxid;
    await client.call('/sandbox/friend/request', { from_wxid: account.wxid, to_wxid: bob });
    const { room_username: room } = await client.call('/sandbox/room/create', { owner_wxid: account.wxid, member_wxids: [friend, bob], name: 'Help' });
    const stranger = (await client.call('/sandbox/people/create', { nickname: 'Stranger' })).wxid;
    const downloads: Uint8Array[] = [];
    const mentioned: boolean[] = [];
    const bot = new WxgateBot({ client, guid: account.guid, consumer: 'kinds', cursorStore: new MemoryCursorStore() });
    bot.on('message', async (m) => {
      if (m.self()) return;
      if (m.room() === room) {
        mentioned.push(m.mentionsMe());
        if (m.mentionsMe()) await m.reply('how can I help?');
      } else if (m.content.kind === 'image') {
        downloads.push((await m.download()).bytes);
      }
    });
    const friendsAdded: string[] = [];
    // 1040 FriendAdd comes only once the request was accepted.
    bot.on('event', (e) => { if (e.notify_type === 1040) friendsAdded.push(JSON.stringify(e.data)); });
    bot.on('friend-request', async (request) => {
      if (request.from === stranger) await request.accept();
    });
    await bot.start();
    await client.call('/sandbox/messages/send', { from_wxid: bob, path: '/msg/send_text', body: { to_username: room, content: 'anyone?' } });
    await client.call('/sandbox/messages/send', { from_wxid: bob, path: '/msg/send_room_at', body: { to_username: room, content: '@Botty help', at_list: [account.wxid] } });
    const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    await client.call('/sandbox/messages/send_media', { from_wxid: friend, to_username: account.wxid, kind: 'image', url: `data:image/png;base64,${PNG}` });
    await client.call('/sandbox/friend/request', { from_wxid: stranger, to_wxid: account.wxid });
    const roomReplies = async () => (await client.call('/sandbox/messages/list', { wxid: bob, talker: room, limit: 100 })).messages.filter((m) => m.from_username === account.wxid);
    await until(async () => (await roomReplies()).length === 1);
    await until(() => downloads.length === 1);
    await until(() => friendsAdded.some((contact) => contact.includes(stranger)));
    await bot.stop();
    const [reply] = await roomReplies();
    assert.equal(reply!.content, '@Bob how can I help?');
    assert.match(reply!.source, new RegExp(`<atuserlist>(<!\\[CDATA\\[)?${bob}`));
    assert.deepEqual(mentioned, [false, true]);
    assert.deepEqual(Buffer.from(downloads[0]!), Buffer.from(PNG, 'base64'));
  });

  test('start() rejects when the server refuses the credentials, naming why', async () => {
    const bot = new WxgateBot({ client: live.client({ appSecret: 'not-the-secret' }), guid: account.guid, cursorStore: new MemoryCursorStore() });
    bot.on('error', () => undefined);
    await assert.rejects(bot.start(), (err: Error & { status?: number }) => err.name === 'WxgateError' && err.status === 401 && err.message.length > 0);
  });

  test('a restarted bot resumes after the last handled sn from its cursor file: nothing lost, nothing twice', async () => {
    const store = new FileCursorStore(join(mkdtempSync(join(tmpdir(), 'wxgate-bot-')), 'cursors.json'));
    const handled: string[] = [];
    const run = async () => {
      const bot = new WxgateBot({ client, guid: account.guid, consumer: 'restart', cursorStore: new FileCursorStore(store.path) });
      bot.on('message', (m) => { if (m.text().startsWith('r-')) handled.push(m.text()); });
      await bot.start();
      return bot;
    };
    let bot = await run();
    await say('r-1');
    await until(() => handled.includes('r-1'));
    await bot.stop();
    await say('r-2');
    await say('r-3');
    bot = await run();
    await say('r-4');
    await until(() => handled.includes('r-4'));
    await bot.stop();
    assert.deepEqual(handled, ['r-1', 'r-2', 'r-3', 'r-4']);
    assert.ok(((await new FileCursorStore(store.path).load(`${account.guid}/restart`)) ?? 0) > 0, 'the cursor is on disk');
  });

  test('after the server restarts the bot reconnects and resumes: the event committed meanwhile arrives once', async () => {
    const handled: string[] = [];
    const bot = new WxgateBot({ client, guid: account.guid, consumer: 'drop', cursorStore: new MemoryCursorStore() });
    bot.on('message', (m) => { if (m.text().startsWith('d-')) handled.push(m.text()); });
    let reconnects = 0;
    bot.on('status', (s) => { if (s.state === 'open' && s.reconnect) reconnects++; });
    await bot.start();
    await say('d-before');
    await until(() => handled.includes('d-before'));
    const port = Number(new URL(live.baseUrl).port);
    live.h = await live.h.restart();
    await live.h.app.http.listen({ host: '127.0.0.1', port });
    await say('d-while-away');
    await until(() => handled.includes('d-while-away'));
    await say('d-after');
    await until(() => handled.includes('d-after'));
    await bot.stop();
    assert.ok(reconnects >= 1);
    assert.deepEqual(handled, ['d-before', 'd-while-away', 'd-after']);
  });

  test('a failing handler is retried with backoff; one that never succeeds is reported and acknowledged, and the next event flows', async () => {
    const attempts = new Map<string, number>();
    const errors: BotError[] = [];
    const done: string[] = [];
    const bot = new WxgateBot({ client, guid: account.guid, consumer: 'retry', cursorStore: new MemoryCursorStore(), attempts: 3, retryDelayMs: () => 10 });
    bot.on('error', (e) => { errors.push(e); });
    bot.on('message', (m) => {
      const text = m.text();
      if (!text.startsWith('f-')) return;
      const n = (attempts.get(text) ?? 0) + 1;
      attempts.set(text, n);
      if (text === 'f-flaky' && n < 3) throw new Error('flaky');
      if (text === 'f-poison') throw new Error('always');
      done.push(text);
    });
    await bot.start();
    await say('f-flaky');
    await say('f-poison');
    await say('f-next');
    await until(() => done.includes('f-next'));
    await bot.stop();
    assert.deepEqual(done, ['f-flaky', 'f-next']);
    assert.equal(attempts.get('f-flaky'), 3);
    assert.equal(attempts.get('f-poison'), 3);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /failed 3 times/);
    assert.equal((errors[0]!.cause as Error).message, 'always');
  });

  test('falls back to SSE when the WebSocket cannot be opened (a proxy that does not pass upgrades)', async () => {
    // Forwards plain HTTP (the SSE stream included) and drops upgrade requests, as some proxies do.
    const proxy = createServer(async (req, res) => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection' && k !== 'content-length').map(([k, v]) => [k, String(v)]));
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = req.method === 'GET' ? undefined : Buffer.concat(chunks);
      const upstream = await fetch(new URL(req.url ?? '/', live.baseUrl), { method: req.method, headers, body });
      res.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([k]) => k !== 'content-length' && k !== 'content-encoding')));
      res.flushHeaders();
      if (!upstream.body) return res.end();
      req.on('close', () => void upstream.body?.cancel().catch(() => undefined));
      try {
        for await (const chunk of upstream.body) res.write(chunk);
      } catch { /* the client went away */ }
      res.end();
    });
    proxy.on('upgrade', (_req, socket) => socket.destroy());
    const proxied = live.client({ baseUrl: await listen(proxy) });
    const transports: string[] = [];
    const handled: string[] = [];
    const bot = new WxgateBot({ client: proxied, guid: account.guid, consumer: 'sse', cursorStore: new MemoryCursorStore() });
    bot.on('status', (s) => { if (s.state === 'open') transports.push(s.transport); });
    bot.on('message', (m) => { if (m.text().startsWith('s-')) handled.push(m.text()); });
    await bot.start();
    await say('s-1');
    await say('s-2');
    await until(() => handled.length === 2);
    await bot.stop();
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
    assert.deepEqual(transports, ['sse']);
    assert.deepEqual(handled, ['s-1', 's-2']);
  });

  test('webhookHandler takes a real signed delivery, answers 200 after the handler, and refuses a forged one', async () => {
    const handled: string[] = [];
    const bot = new WxgateBot({ client, guid: account.guid, consumer: 'hook', cursorStore: new MemoryCursorStore() });
    bot.on('message', async (m) => {
      if (!m.text().startsWith('w-')) return;
      handled.push(m.text());
      await m.reply(`got ${m.text()}`);
    });
    const server = createServer(bot.webhookHandler());
    const url = await listen(server);
    await client.call('/client/set_notify_url', { guid: account.guid, notify_url: url });
    try {
      await say('w-1');
      await until(async () => (await friendGot()).includes('got w-1'));
      assert.deepEqual(handled, ['w-1']);
      const forged = await fetch(url, {
        method: 'POST',
        headers: { 'webhook-id': 'evt_x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA', 'content-type': 'application/json' },
        body: JSON.stringify({ guid: account.guid, notify_type: 1010, data: { msg_type: 1, content: 'w-forged' } }),
      });
      assert.equal(forged.status, 401);
      assert.deepEqual(handled, ['w-1']);
    } finally {
      await client.call('/client/set_notify_url', { guid: account.guid, notify_url: '' });
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
