// Two nodes over one PostgreSQL schema with WXGATE_MEDIA_STORE=postgres: a CDN object uploaded through node A downloads
// with the same bytes through node B (cdn_download, the served link, the private CDN); a node on the local media store
// does not see it — the control (real PostgreSQL; skipped without it).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import sharp from 'sharp';
import type { Config } from '../../../src/config.ts';
import { startNodeBeside } from '../../cluster.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { POSTGRES_SKIP_REASON, postgresSchemaFor, TEST_DATABASE_URL } from '../../postgres.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const dataUrl = (b: Buffer) => `data:application/octet-stream;base64,${b.toString('base64')}`;

/** The media settings of a node: the defaults, with the store named. */
const media = (store: Config['media']['store']): Config['media'] => ({ maxObjectBytes: 1 << 20, fetchTimeoutMs: 30_000, linkTtlSeconds: 3600, store });

function files(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];
}

describe('cluster: a media store every node shares', { skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, () => {
  let a: Harness;
  let b: Harness;
  /** A node on the same schema that keeps its media in its own data directory (the default). */
  let local: Harness;
  let guid: string;

  before(async () => {
    // The nodes share the secret key, which seals the media-link and cdn_info secrets both must open.
    const secretKey = randomBytes(32).toString('hex');
    a = await startHarness({ secretKey, media: media('postgres') });
    b = await startNodeBeside(a, secretKey, { media: media('postgres') });
    local = await startNodeBeside(a, secretKey, { media: media('local') });
    ({ guid } = await loggedIn(a, { nickname: 'Uploader' }));
  });

  after(async () => {
    await local?.close();
    await b?.close();
    await a?.close();
  });

  test('a file uploaded through node A downloads byte-equal through node B, by cdn_download and by its link', async () => {
    const content = randomBytes(50_000);
    const up = await ok(a.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(content) }));
    assert.equal(up.file_md5, md5(content));
    const down = await ok(b.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_name: 'a.bin' }));
    assert.deepEqual(Buffer.from(down.base64, 'base64'), content);
    assert.equal(down.file_md5, md5(content));
    // A link minted by node A, served by node B: the link secret and the bytes are both in PostgreSQL.
    const link = new URL((await ok(a.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_name: 'a.bin' }))).url);
    const served = await b.app.http.inject({ method: 'GET', url: link.pathname + link.search });
    assert.equal(served.statusCode, 200);
    assert.deepEqual(served.rawPayload, content);
  });

  test('an image\'s renditions and a private-CDN upload through node B download through node A', async () => {
    const image = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();
    const pic = await ok(b.direct('/cloud/cdn_upload', { guid, file_type: 2, url: dataUrl(image) }));
    const original = await ok(a.direct('/cloud/cdn_download', { guid, file_type: 1, file_id: pic.file_id, aes_key: pic.aes_key, file_size: pic.file_size }));
    assert.deepEqual(Buffer.from(original.base64, 'base64'), image);
    const thumb = await ok(a.direct('/cloud/cdn_download', { guid, file_type: 3, file_id: pic.file_id, aes_key: pic.aes_key, file_size: 0 }));
    assert.equal((await sharp(Buffer.from(thumb.base64, 'base64')).metadata()).format, 'jpeg');
    const base = await ok(b.direct('/cdn/get_cdn_info', { guid }));
    const content = Buffer.from('private cdn file, through the other node');
    const up = await ok(b.direct('/cloud/upload', { base_request: base, file_type: 5, url: dataUrl(content) }));
    const down = await ok(a.direct('/cloud/download', { base_request: base, file_id: up.file_id, aes_key: up.aes_key, file_name: 'b.txt', file_type: 5 }));
    assert.deepEqual(Buffer.from(down.base64, 'base64'), content);
  });

  test('the blobs are rows of the schema, not files in a data directory', async () => {
    const schema = postgresSchemaFor(a.dataDir);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
      assert.ok(await count(`SELECT count(*) AS n FROM ${schema}.media_blobs`) >= 3);
      assert.equal(await count(`SELECT count(*) AS n FROM ${schema}.cdn_objects o WHERE NOT EXISTS (SELECT 1 FROM ${schema}.media_blobs b WHERE b.blob_id = o.blob_id)`), 0,
        'every object indexed has its bytes in the table');
    } finally {
      await client.end();
    }
    for (const node of [a, b]) assert.deepEqual(files(join(node.dataDir, 'media')), [], node.dataDir);
  });

  test('control: a node on the local media store finds the index but not the bytes, and keeps its own uploads to itself', async () => {
    const content = Buffer.from('only on the shared store');
    const up = await ok(a.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(content) }));
    const missing = await local.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size });
    assert.equal(missing.status, 500);
    assert.ok(!missing.text.includes(content.toString('base64')));
    const own = Buffer.from('only in the local node\'s data directory');
    const mine = await ok(local.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(own) }));
    assert.equal(files(join(local.dataDir, 'media', 'objects')).length, 1);
    assert.equal((await b.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: mine.file_id, aes_key: mine.aes_key, file_size: mine.file_size })).status, 500);
  });
});
