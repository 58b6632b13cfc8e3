// POST /mcp driven by the MCP SDK's StreamableHTTPClientTransport over a real socket: the caller's app credentials, its
// instances only, and every tool call counted by the rate limit as the API call it makes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { callTool } from '../../mcp-helpers.ts';
import { friendOf, loggedIn, ok, type Creds } from '../../sandbox-helpers.ts';

const MAX_CALLS = 12;

let h: Harness;
let baseUrl: string;
const clients: Client[] = [];

before(async () => {
  h = await startHarness({ rateLimit: { maxCalls: MAX_CALLS, windowSeconds: 60, lockSeconds: 600 } }, undefined, { realTime: true });
  baseUrl = await h.app.http.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await h.close();
});

async function connect(creds: Creds = { appKey: h.appKey, appSecret: h.appSecret }): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { 'x-app-key': creds.appKey, 'x-app-secret': creds.appSecret } },
  });
  const client = new Client({ name: 'wxgate-http-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}



describe('MCP over Streamable HTTP', () => {
  test('the same tools as the CLI; an agent lists its instances and sends a text that arrives', async () => {
    const { guid, wxid } = await loggedIn(h, { nickname: 'Desk' });
    const friend = await friendOf(h, wxid, 'Ivy');
    const client = await connect();
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'accept_friend_request', 'get_friend_requests', 'list_contacts', 'list_instances', 'read_messages', 'reply_to_message', 'send_file', 'send_image', 'send_text',
    ]);
    const instances = await callTool(client, 'list_instances');
    assert.deepEqual(instances.json.find((i: { guid: string }) => i.guid === guid), { guid, status: 2, login_wxid: wxid });
    const sent = await callTool(client, 'send_text', { guid, to: friend, text: 'over http' });
    assert.ok(!sent.isError, sent.text);
    const inbox = await ok(h.direct('/sandbox/messages/list', { wxid: friend, talker: wxid }));
    assert.deepEqual(inbox.messages.map((msg: { msg_id: string; content: string }) => [msg.msg_id, msg.content]), [[sent.json.msg_id, 'over http']]);
    const history = await callTool(client, 'read_messages', { guid, talker: friend, limit: 5 });
    assert.deepEqual(history.json.map((l: { direction: string; text: string }) => [l.direction, l.text]), [['out', 'over http']]);
  });

  test('a local path is not read on the server: only URLs and base64 reach the upload', async () => {
    const { guid, wxid } = await loggedIn(h);
    const friend = await friendOf(h, wxid, 'Jon');
    const client = await connect();
    const result = await callTool(client, 'send_file', { guid, to: friend, file: '/etc/hostname', file_name: 'hostname' });
    assert.equal(result.isError, true);
    assert.match(result.text, /local files are read only by the stdio server/);
    const inbox = await ok(h.direct('/sandbox/messages/list', { wxid: friend, talker: wxid }));
    assert.deepEqual(inbox.messages, [], 'nothing was sent');
  });

  test('wrong or missing credentials are refused at the first request with the API\'s error', async () => {
    await assert.rejects(connect({ appKey: h.appKey, appSecret: 'wrong-secret-0123456789abcdef' }), /401[\s\S]*40102/);
    const res = await fetch(new URL('/mcp', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).code, 40101);
  });

  test('another app\'s instance is refused; each app sees only its own', async () => {
    const other = await createTenant(h, 'mcp-neighbour');
    const theirs = await loggedIn(h, { nickname: 'Theirs' }, other);
    const mine = await connect();
    const refused = await callTool(mine, 'read_messages', { guid: theirs.guid, talker: theirs.wxid });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /wxgate error 40402 \(HTTP 404\)/);
    const listed = await callTool(mine, 'list_instances');
    assert.ok(!listed.json.some((i: { guid: string }) => i.guid === theirs.guid));
    const theirClient = await connect(other);
    const theirList = await callTool(theirClient, 'list_instances');
    assert.deepEqual(theirList.json.map((i: { guid: string }) => i.guid), [theirs.guid]);
  });

  test('tool calls use up the instance rate limit until it locks, and the lock holds for the API too', async () => {
    const { guid, wxid } = await loggedIn(h);
    const friend = await friendOf(h, wxid, 'Kim');
    const client = await connect();
    let locked: { text: string } | undefined;
    let sends = 0;
    for (let i = 0; i < MAX_CALLS + 2 && !locked; i++) {
      const result = await callTool(client, 'send_text', { guid, to: friend, text: `message ${i}` });
      if (result.isError) locked = result;
      else sends++;
    }
    assert.ok(locked, 'the limit was reached');
    assert.match(locked.text, /wxgate error 42901 \(HTTP 429\)/);
    assert.ok(sends < MAX_CALLS, `at most ${MAX_CALLS} calls fit (the login used some): ${sends} sends`);
    const status = await h.direct('/msg/send_text', { guid, to_username: friend, content: 'direct' });
    assert.equal(status.status, 429, 'the API is locked as well: the tool calls were counted as API calls');
  });

  test('GET and DELETE /mcp answer 405 (stateless: no stream, no session)', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(new URL('/mcp', baseUrl), { method, headers: { 'x-app-key': h.appKey, 'x-app-secret': h.appSecret } });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'POST');
    }
  });
});
