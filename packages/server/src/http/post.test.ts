// The dispatch-based POST against real loopback servers: answers, the read limit, the one time budget, errors kept.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Agent } from 'undici';
import { isPostTimeout, post, PostTimeoutError } from './post.ts';

describe('post (undici dispatch)', () => {
  let server: Server;
  let origin: string;
  const agent = new Agent({ keepAliveTimeout: 5_000 });
  const received: Array<{ path: string; headers: IncomingMessage['headers']; body: string }> = [];
  const drips = new Set<NodeJS.Timeout>();

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const route = req.url!.split('?')[0];
        if (route === '/echo') {
          res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7' });
          res.end(JSON.stringify({ got: Buffer.concat(chunks).toString('utf8'), 中文: '✓' }));
        } else if (route === '/big') {
          res.end('x'.repeat(100_000));
        } else if (route === '/silent') {
          // never answers
        } else if (route === '/drip') {
          // The head at once, then a byte every 20 ms for ever: no single gap is long, the whole is.
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), 20);
          drips.add(timer);
          res.on('close', () => clearInterval(timer));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const timer of drips) clearInterval(timer);
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('sends path, headers and body; answers status, headers and the whole body', async () => {
    const answer = await post(agent, { origin, path: '/echo?a=1', headers: { 'content-type': 'application/json', 'x-test': 'yes' }, body: '{"n":1}', timeoutMs: 5_000 });
    assert.equal(answer.statusCode, 201);
    assert.equal(answer.headers['retry-after'], '7');
    assert.equal(answer.truncated, false);
    assert.deepEqual(JSON.parse(answer.body.toString('utf8')), { got: '{"n":1}', 中文: '✓' });
    const last = received.at(-1)!;
    assert.equal(last.path, '/echo?a=1');
    assert.equal(last.headers['x-test'], 'yes');
    assert.equal(last.body, '{"n":1}');
  });

  test('an answer longer than the read limit: its first bytes, marked truncated; the next call still works', async () => {
    const answer = await post(agent, { origin, path: '/big', headers: {}, body: '', timeoutMs: 5_000, readLimit: 1_000 });
    assert.equal(answer.truncated, true);
    assert.equal(answer.body.length, 1_000);
    assert.equal(answer.body.toString('utf8'), 'x'.repeat(1_000));
    const next = await post(agent, { origin, path: '/echo', headers: {}, body: 'again', timeoutMs: 5_000 });
    assert.equal(next.statusCode, 201);
  });

  test('no answer within the budget: PostTimeoutError', async () => {
    const err = await post(agent, { origin, path: '/silent', headers: {}, body: '', timeoutMs: 200 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof PostTimeoutError, String(err));
    assert.equal(isPostTimeout(err), true);
    assert.match((err as Error).message, /timeout after 200 ms/);
  });

  test('a body that keeps dripping is cut by the budget of the whole call, not by a gap between chunks', async () => {
    const err = await post(agent, { origin, path: '/drip', headers: {}, body: '', timeoutMs: 300 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof PostTimeoutError, String(err));
  });

  test('a request undici refuses (a header value with a line break) is rejected at once, without a call', async () => {
    const before = received.length;
    const err = await post(agent, { origin, path: '/echo', headers: { 'x-bad': 'a\r\nx-injected: 1' }, body: '', timeoutMs: 60_000 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error, 'rejected');
    assert.equal(isPostTimeout(err), false);
    assert.equal(received.length, before, 'nothing reached the server');
  });

  test('a refused connection keeps its error code (ECONNREFUSED), and is not a timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await post(agent, { origin: `http://127.0.0.1:${port}`, path: '/', headers: {}, body: '', timeoutMs: 2_000 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error);
    const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    assert.equal(code, 'ECONNREFUSED');
    assert.equal(isPostTimeout(err), false);
  });
});
