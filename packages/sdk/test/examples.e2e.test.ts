// The examples/ bots, each run as its own process with one command against a live sandbox server: what the simulated people receive.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { WxgateClient } from '../src/index.ts';
import { loggedIn, startLiveServer, type LiveServer } from './live-server.ts';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

interface Running {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** `npx tsx --conditions=source examples/<name>.ts` with the documented environment, in a fresh working directory (its cursor file). */
async function runExample(name: string, env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), join(EXAMPLES, `${name}.ts`)], {
    cwd: mkdtempSync(join(tmpdir(), `wxgate-example-${name}-`)),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => { output += String(d); });
  child.stderr!.on('data', (d) => { output += String(d); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([until(() => output.includes('ready')), exited.then(() => { throw new Error(`${name} exited: ${output}`); })]);
  return { child, output: () => output, stop: () => { child.kill('SIGTERM'); return exited; } };
}

describe('examples against a sandbox server', () => {
  let live: LiveServer;
  let client: WxgateClient;
  let account: { guid: string; wxid: string };
  let env: Record<string, string>;
  const person = async (nickname: string) => {
    const { wxid } = await client.call('/sandbox/people/create', { nickname, needs_verification: false });
    await client.call('/sandbox/friend/request', { from_wxid: account.wxid, to_wxid: wxid });
    return wxid;
  };
  /** What `wxid` received from the account in a chat (`talker`: the account for a private chat, or the room). */
  const received = async (wxid: string, talker: string) =>
    (await client.call('/sandbox/messages/list', { wxid, talker, limit: 1000 })).messages.filter((m) => m.from_username === account.wxid);

  before(async () => {
    live = await startLiveServer();
    client = live.client();
    account = await loggedIn(client, 'Shop');
    env = { WXGATE_URL: live.baseUrl, WXGATE_APP_KEY: live.h.appKey, WXGATE_APP_SECRET: live.h.appSecret, WXGATE_GUID: account.guid };
  });
  after(() => live.close());

  test('auto-reply: keywords, a fallback, and a text for an image', async () => {
    const alice = await person('Alice');
    const bot = await runExample('auto-reply', env);
    try {
      const send = (content: string) => client.call('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: account.wxid, content } });
      await send('请问价格多少？');
      await until(async () => (await received(alice, account.wxid)).length === 1);
      await client.call('/sandbox/messages/send_media', { from_wxid: alice, to_username: account.wxid, kind: 'image', url: `data:image/png;base64,${PNG}` });
      await until(async () => (await received(alice, account.wxid)).length === 2);
      await send('hello?');
      await until(async () => (await received(alice, account.wxid)).length === 3);
      const answers = (await received(alice, account.wxid)).map((m) => m.content);
      assert.match(answers[0]!, /99 元/);
      assert.match(answers[1]!, /图片已收到/);
      assert.match(answers[2]!, /自动客服/);
    } finally {
      assert.equal(await bot.stop(), 0, bot.output());
    }
  });

  test('welcome: a new room member is greeted with an @-mention', async () => {
    const [bob, carol, dave] = [await person('Bob'), await person('Carol'), await person('Dave')];
    const { room_username: room } = await client.call('/sandbox/room/create', { owner_wxid: account.wxid, member_wxids: [bob, carol], name: 'Customers' });
    const bot = await runExample('welcome', { ...env, WXGATE_ROOM: room });
    try {
      await client.call('/room/add_chatroom_member', { guid: account.guid, room_username: room, username_list: [dave] });
      await until(async () => (await received(dave, room)).some((m) => m.msg_type === 1));
      const greeting = (await received(dave, room)).find((m) => m.msg_type === 1)!;
      assert.match(greeting.content, /^@Dave 欢迎加入/);
      assert.match(greeting.source, new RegExp(`<atuserlist>(<!\\[CDATA\\[)?${dave}`), 'Dave is in the mention list');
    } finally {
      assert.equal(await bot.stop(), 0, bot.output());
    }
  });

  test('forwarder: the messages of one room reach the webhook URL', async () => {
    const [erin, frank] = [await person('Erin'), await person('Frank')];
    const { room_username: room } = await client.call('/sandbox/room/create', { owner_wxid: account.wxid, member_wxids: [erin, frank], name: 'Orders' });
    const { room_username: other } = await client.call('/sandbox/room/create', { owner_wxid: account.wxid, member_wxids: [erin, frank], name: 'Chatter' });
    const posts: Array<Record<string, unknown>> = [];
    const target = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += String(d); });
      req.on('end', () => { posts.push(JSON.parse(body) as Record<string, unknown>); res.end('ok'); });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const bot = await runExample('forwarder', { ...env, WXGATE_ROOM: room, FORWARD_URL: `http://127.0.0.1:${(target.address() as { port: number }).port}/hook` });
    try {
      const say = (to: string, content: string) => client.call('/sandbox/messages/send', { from_wxid: erin, path: '/msg/send_text', body: { to_username: to, content } });
      await say(other, 'not this room');
      await say(room, 'order #42 please');
      await until(() => posts.length >= 1);
      assert.equal(posts.length, 1);
      assert.deepEqual({ room: posts[0]!.room, talker: posts[0]!.talker, kind: posts[0]!.kind, text: posts[0]!.text }, { room, talker: erin, kind: 'text', text: 'order #42 please' });
    } finally {
      assert.equal(await bot.stop(), 0, bot.output());
      await new Promise((r) => target.close(r));
    }
  });
});
