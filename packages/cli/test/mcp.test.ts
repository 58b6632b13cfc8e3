// `wxgate mcp` (the built binary) driven by the MCP SDK's own client over stdio, against a real sandbox server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createTenant } from '../../server/test/harness.ts';
import { callTool } from '../../server/test/mcp-helpers.ts';
import { friendOf, loggedIn, ok } from '../../server/test/sandbox-helpers.ts';
import { BIN, buildCli, cliEnv, startLive, type Live } from './helpers.ts';

let live: Live;
const clients: Client[] = [];

before(async () => {
  buildCli();
  live = await startLive();
});
after(async () => {
  for (const client of clients) await client.close();
  await live?.close();
});

async function connect(extraEnv: Record<string, string> = {}): Promise<Client> {
  const env = cliEnv({ WXGATE_URL: live.url, WXGATE_APP_KEY: live.h.appKey, WXGATE_APP_SECRET: live.h.appSecret, ...extraEnv });
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: env as Record<string, string>, stderr: 'pipe' });
  const client = new Client({ name: 'wxgate-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}



test('lists its tools with schemas and read-only / mutating annotations', async () => {
  const client = await connect();
  const { tools } = await client.listTools();
  const byName = new Map(tools.map((t) => [t.name, t]));
  assert.deepEqual([...byName.keys()].sort(), [
    'accept_friend_request', 'get_friend_requests', 'list_contacts', 'list_instances', 'read_messages', 'reply_to_message', 'send_file', 'send_image', 'send_text',
  ]);
  for (const name of ['list_instances', 'list_contacts', 'read_messages', 'get_friend_requests']) assert.equal(byName.get(name)!.annotations?.readOnlyHint, true, name);
  for (const name of ['send_text', 'send_image', 'send_file', 'reply_to_message', 'accept_friend_request']) assert.equal(byName.get(name)!.annotations?.readOnlyHint, false, name);
  const sendText = byName.get('send_text')!.inputSchema as { required?: string[]; properties: Record<string, { description?: string }> };
  assert.deepEqual(sendText.required?.sort(), ['guid', 'text', 'to']);
  assert.match(sendText.properties.to!.description ?? '', /wxid/);
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.deepEqual(resourceTemplates.map((r) => r.uriTemplate), ['wxgate://{guid}/chats/{talker}']);
});

test('an agent finds the account, reads a chat, answers it and the person receives the answer', async () => {
  const { guid, wxid } = await loggedIn(live.h, { nickname: 'Shop' });
  const friend = await friendOf(live.h, wxid, 'Carol');
  const said = await ok(live.h.direct('/sandbox/messages/send', { from_wxid: friend, path: '/msg/send_text', body: { to_username: wxid, content: 'is the shop open today?' } }));
  const client = await connect();

  const instances = await callTool(client, 'list_instances');
  assert.ok(!instances.isError, instances.text);
  assert.deepEqual(instances.json.find((i: { guid: string }) => i.guid === guid), { guid, status: 2, login_wxid: wxid });

  const contacts = await callTool(client, 'list_contacts', { guid, kind: 'people', query: 'caro' });
  assert.deepEqual(contacts.json.map((c: { wxid: string; nickname: string }) => [c.wxid, c.nickname]), [[friend, 'Carol']]);

  const history = await callTool(client, 'read_messages', { guid, talker: friend });
  assert.deepEqual(history.json.map((l: { msg_id: string; direction: string; sender: string; kind: string; text: string }) => [l.msg_id, l.direction, l.sender, l.kind, l.text]),
    [[said.msg_id, 'in', friend, 'text', 'is the shop open today?']]);

  const sent = await callTool(client, 'send_text', { guid, to: friend, text: 'yes, until 8 pm' });
  assert.ok(!sent.isError, sent.text);
  const reply = await callTool(client, 'reply_to_message', { guid, msg_id: said.msg_id, text: 'see you!' });
  assert.ok(!reply.isError, reply.text);
  assert.equal(reply.json.style, 'plain', 'a private chat is answered plainly by default');

  const inbox = await ok(live.h.direct('/sandbox/messages/list', { wxid: friend, talker: wxid }));
  const received = inbox.messages.filter((msg: { from_username: string }) => msg.from_username === wxid);
  assert.deepEqual(received.map((msg: { msg_id: string; content: string }) => [msg.msg_id, msg.content]), [[sent.json.msg_id, 'yes, until 8 pm'], [reply.json.msg_id, 'see you!']]);

  // The chat's history resource reads the same archive, now with both answers.
  const resource = await client.readResource({ uri: `wxgate://${guid}/chats/${friend}` });
  const lines = JSON.parse((resource.contents[0] as { text: string }).text);
  assert.deepEqual(lines.map((l: { text: string; direction: string }) => `${l.direction}:${l.text}`), ['in:is the shop open today?', 'out:yes, until 8 pm', 'out:see you!']);
});

/** A real 1×1 PNG: the sandbox's CDN checks that an image upload is an image. */
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

test('send_image takes a data: URL and send_file a local path (stdio runs beside the agent); the person receives both', async () => {
  const { guid, wxid } = await loggedIn(live.h, { nickname: 'Sender' });
  const friend = await friendOf(live.h, wxid, 'Hana');
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-mcp-file-'));
  const path = join(dir, 'menu.txt');
  writeFileSync(path, 'noodles 12\nrice 10\n');
  try {
    const client = await connect();
    const image = await callTool(client, 'send_image', { guid, to: friend, image: `data:image/png;base64,${PIXEL_PNG}` });
    assert.ok(!image.isError, image.text);
    const file = await callTool(client, 'send_file', { guid, to: friend, file: path, file_name: 'menu.txt' });
    assert.ok(!file.isError, file.text);
    const missing = await callTool(client, 'send_file', { guid, to: friend, file: join(dir, 'absent.pdf'), file_name: 'absent.pdf' });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /cannot read .*absent\.pdf/);
    const inbox = await ok(live.h.direct('/sandbox/messages/list', { wxid: friend, talker: wxid }));
    const got = inbox.messages.map((msg: { msg_id: string; msg_type: number; app_type: number }) => [msg.msg_id, msg.msg_type, msg.app_type]);
    assert.deepEqual(got, [[image.json.msg_id, 3, 0], [file.json.msg_id, 49, 6]]);
    assert.match(inbox.messages[1].content, /<title>menu\.txt<\/title>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reply in a room quotes the message; mention @-mentions its writer', async () => {
  const { guid, wxid } = await loggedIn(live.h, { nickname: 'Host' });
  const dan = await friendOf(live.h, wxid, 'Dan');
  const eve = await friendOf(live.h, wxid, 'Eve');
  const { room_username: room } = await ok(live.h.direct('/sandbox/room/create', { owner_wxid: wxid, member_wxids: [dan, eve], name: 'Club' }));
  const asked = await ok(live.h.direct('/sandbox/messages/send', { from_wxid: dan, path: '/msg/send_text', body: { to_username: room, content: 'when is the meetup?' } }));
  const client = await connect();

  const rooms = await callTool(client, 'list_contacts', { guid, kind: 'rooms' });
  assert.deepEqual(rooms.json.map((c: { wxid: string; is_room: boolean }) => [c.wxid, c.is_room]), [[room, true]]);
  const history = await callTool(client, 'read_messages', { guid, talker: room });
  assert.deepEqual(history.json.map((l: { sender: string; text: string }) => [l.sender, l.text]), [[dan, 'when is the meetup?']]);

  const quoted = await callTool(client, 'reply_to_message', { guid, msg_id: asked.msg_id, text: 'Friday 7 pm', talker: room });
  assert.ok(!quoted.isError, quoted.text);
  assert.equal(quoted.json.style, 'quote');
  const mentioned = await callTool(client, 'reply_to_message', { guid, msg_id: asked.msg_id, text: 'bring snacks', style: 'mention' });
  assert.ok(!mentioned.isError, mentioned.text);

  const seen = await ok(live.h.direct('/sandbox/messages/list', { wxid: eve, talker: room }));
  const fromHost = seen.messages.filter((msg: { from_username: string }) => msg.from_username === wxid);
  assert.equal(fromHost.length, 2);
  assert.equal(fromHost[0].msg_id, quoted.json.msg_id);
  assert.equal(fromHost[0].msg_type, 49, 'a quote reply is an appmsg');
  assert.match(fromHost[0].content, new RegExp(`<svrid>${asked.msg_id}</svrid>`));
  assert.match(fromHost[1].content, /^@Dan\u2005bring snacks$/);
  assert.match(fromHost[1].source, new RegExp(`<atuserlist>(<!\\[CDATA\\[)?${dan}`));
});

test('friend requests: listed with what accepting needs, and accepted through the tool', async () => {
  const { guid, wxid } = await loggedIn(live.h, { nickname: 'Busy' });
  const { wxid: stranger } = await ok(live.h.direct('/sandbox/people/create', { nickname: 'Frank' }));
  const request = await ok(live.h.direct('/sandbox/friend/request', { from_wxid: stranger, to_wxid: wxid, verify_content: 'hi, from the fair' }));
  assert.equal(request.status, 'pending');
  const client = await connect();

  const requests = await callTool(client, 'get_friend_requests', { guid });
  assert.ok(!requests.isError, requests.text);
  assert.equal(requests.json.length, 1);
  const [pending] = requests.json;
  assert.equal(pending.from_username, stranger);
  assert.equal(pending.from_nickname, 'Frank');
  assert.equal(pending.greeting, 'hi, from the fair');
  assert.equal(pending.encrypt_username, request.encryptusername);

  const accepted = await callTool(client, 'accept_friend_request', { guid, encrypt_username: pending.encrypt_username, ticket: pending.ticket, scene: pending.scene });
  assert.ok(!accepted.isError, accepted.text);
  const contacts = await callTool(client, 'list_contacts', { guid, kind: 'people', query: 'frank' });
  assert.deepEqual(contacts.json.map((c: { wxid: string }) => c.wxid), [stranger], 'the stranger is a contact now');
});

test('every tool call is counted by the instance rate limit like the API call it makes', async () => {
  const { guid, wxid } = await loggedIn(live.h);
  const friend = await friendOf(live.h, wxid, 'Gus');
  const client = await connect();
  const used = async () => (await ok(live.h.direct('/client/get_client_status', { guid }))).rate_limit.used as number;
  const first = await used();
  const second = await used();
  const perStatusCall = second - first;
  assert.ok(!(await callTool(client, 'send_text', { guid, to: friend, text: 'counted' })).isError);
  assert.equal(await used() - second, perStatusCall + 1, 'send_text made one counted API call');
});

test('wrong credentials: the tool answers the API\'s clear error, nothing is sent', async () => {
  const client = await connect({ WXGATE_APP_SECRET: 'not-the-secret-0123456789' });
  const result = await callTool(client, 'list_instances');
  assert.equal(result.isError, true);
  assert.match(result.text, /wxgate error 40\d{3} \(HTTP 401\): .*(credential|secret|key)/i);
});

test('another app\'s instance is refused, and its messages stay unseen', async () => {
  const other = await createTenant(live.h, 'neighbour');
  const theirs = await loggedIn(live.h, { nickname: 'Them' }, other);
  const client = await connect();
  const send = await callTool(client, 'send_text', { guid: theirs.guid, to: theirs.wxid, text: 'sneaky' });
  assert.equal(send.isError, true);
  assert.match(send.text, /wxgate error 40402 \(HTTP 404\)/);
  const read = await callTool(client, 'read_messages', { guid: theirs.guid, talker: theirs.wxid });
  assert.equal(read.isError, true);
  assert.match(read.text, /40402/);
  const listed = await callTool(client, 'list_instances');
  assert.ok(!listed.json.some((i: { guid: string }) => i.guid === theirs.guid));
});

test('bad tool input is refused by the schema, naming the field', async () => {
  const client = await connect();
  const result = await callTool(client, 'reply_to_message', { guid: 'g', msg_id: 'abc', text: 'x' });
  assert.equal(result.isError, true);
  assert.match(result.text, /msg_id/);
});
