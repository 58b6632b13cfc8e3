// GET /console/*: the built web console served with its content types and caching, client routes falling back to
// index.html, traversal refused, and a 503 page while the console is not built.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerConsole, resolveInside } from '../../../src/transport/console.ts';

describe('console static files', () => {
  let base: string;
  let app: FastifyInstance;
  let missing: FastifyInstance;

  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'wxgate-console-'));
    const dist = join(base, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'assets', 'index-AbC123.css'), 'body{}');
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
    // Beside the console root: what a traversal would reach.
    writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
    app = Fastify();
    registerConsole(app, { dir: dist });
    missing = Fastify();
    registerConsole(missing, { dir: join(base, 'not-built') });
  });
  after(async () => {
    await app.close();
    await missing.close();
    rmSync(base, { recursive: true, force: true });
  });

  test('the bare path redirects to the directory the page resolves against', async () => {
    const res = await app.inject('/console');
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, '/console/');
  });

  test('index.html, hashed assets with a long cache, other files revalidated', async () => {
    const index = await app.inject('/console/');
    assert.equal(index.statusCode, 200);
    assert.match(String(index.headers['content-type']), /^text\/html/);
    assert.equal(index.headers['cache-control'], 'no-cache');
    assert.match(index.body, /<title>console<\/title>/);

    const js = await app.inject('/console/assets/index-AbC123.js');
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.body, 'console.log(1)');

    const css = await app.inject('/console/assets/index-AbC123.css?v=1');
    assert.match(String(css.headers['content-type']), /^text\/css/);

    const txt = await app.inject('/console/robots.txt');
    assert.equal(txt.headers['cache-control'], 'no-cache');
    assert.match(String(txt.headers['content-type']), /^text\/plain/);
  });

  test('client routes fall back to index.html; a missing file is a 404', async () => {
    const route = await app.inject('/console/i/7f0c1c9e-7a57-4f5e-9a55-2b1c7a0e4d11');
    assert.equal(route.statusCode, 200);
    assert.match(route.body, /<title>console<\/title>/);
    assert.equal((await app.inject('/console/assets/gone-123.js')).statusCode, 404);
  });

  test('traversal is refused, encoded or not', async () => {
    for (const url of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/..%2fsecret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/%00',
      '/console/%E0%A4%A',
    ]) {
      const res = await app.inject(url);
      assert.ok(!res.body.includes('TOP SECRET'), `${url} leaked the file`);
      assert.ok(res.statusCode === 404 || res.statusCode === 400, `${url}: ${res.statusCode}`);
    }
    assert.equal(resolveInside('/srv/dist', '/../x'), null);
    assert.equal(resolveInside('/srv/dist', '/a/%2e%2e/%2e%2e/x'), null);
    assert.equal(resolveInside('/srv/dist', '/assets/a.js'), '/srv/dist/assets/a.js');
  });

  test('without a build every console path answers 503 with the fix', async () => {
    for (const url of ['/console/', '/console/assets/index-AbC123.js', '/console/i/x']) {
      const res = await missing.inject(url);
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /console not built/);
      assert.match(res.body, /npm run build/);
    }
  });
});
