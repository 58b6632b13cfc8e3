// Secrets at rest: proxy passwords, signing secrets and server secrets are encrypted in the store (SQLite, or PostgreSQL
// with WXGATE_TEST_DATABASE_URL); the same key reads them after a restart, a wrong key stops the start naming the setting,
// a rotation re-encrypts, plaintext rows are migrated (and, in SQLite, scrubbed from the file).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { keyId, SecretKeyError } from '../../../src/core/secrets/secret-box.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { dropSchemaFor, postgresEnvFor, TEST_DATABASE_URL } from '../../postgres.ts';
import { rawStore } from '../../raw-store.ts';

const PASSWORD = 'Pr0xy-pa55word-at-rest';
const PROXY = `socks5://proxyuser:${PASSWORD}@10.10.1.10:3128`;
const hexKey = () => randomBytes(32).toString('hex');
const main = new URL('../../../src/main.ts', import.meta.url).pathname;

/** Every value of the secret columns, read straight from the store. */
async function storedSecrets(dataDir: string): Promise<{ proxies: string[]; signing: string[]; media: string[]; botTokens: string[] }> {
  const db = await rawStore(dataDir);
  try {
    const column = async (sql: string) => (await db.all(sql)).map((r) => r.v as string);
    return {
      proxies: await column("SELECT proxy AS v FROM instances WHERE proxy != ''"),
      signing: await column('SELECT secret AS v FROM signing_secrets'),
      media: await column('SELECT value AS v FROM media_secrets'),
      botTokens: await column('SELECT bot_token AS v FROM ilink_links'),
    };
  } finally {
    await db.close();
  }
}

/** The SQLite file and its WAL, as bytes: what a copied file or a backup would show. */
const fileBytes = (dataDir: string) => Buffer.concat(['wxgate.db', 'wxgate.db-wal'].map((f) => join(dataDir, f)).filter(existsSync).map((f) => readFileSync(f)));

const reuse = (h: Harness) => ({ dataDir: h.dataDir, clock: h.clock, appKey: h.appKey, appSecret: h.appSecret });

async function signingSecret(h: Harness): Promise<string> {
  return (await h.direct('/events/get_signing_secrets', {})).body.data.secrets[0].secret;
}

test('the stored rows hold no proxy password or signing secret; a restart with the same key reads them', async () => {
  let h = await startHarness();
  try {
    const guid = await h.createInstance({ auto_start: true, proxy: PROXY });
    const secret = await signingSecret(h);
    const stored = await storedSecrets(h.dataDir);
    assert.equal(stored.proxies.length, 1);
    for (const value of [...stored.proxies, ...stored.signing, ...stored.media]) assert.match(value, /^enc:v1:[0-9a-f]{8}:/);
    assert.equal(stored.signing.length, 1);
    assert.equal(stored.media.length, 3, 'the media-link, cdn_info and iLink context-token server secrets');
    assert.ok(!stored.proxies[0]!.includes(PASSWORD));

    h = await h.restart();
    assert.equal((await h.app.store.instances.get(guid))?.proxy, PROXY, 'the driver gets the proxy as given');
    assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.proxy, 'socks5://***:***@10.10.1.10:3128');
    assert.equal(await signingSecret(h), secret);
    await h.app.close();
    if (!TEST_DATABASE_URL) {
      const bytes = fileBytes(h.dataDir);
      assert.ok(!bytes.includes(PASSWORD), 'the password is nowhere in the database file');
      assert.ok(!bytes.includes(secret.slice(6)), 'nor the signing secret');
    }
  } finally {
    await h.close();
  }
});

test('a wrong key stops the start with an error naming the setting, on buildApp and from main', async () => {
  const key = hexKey();
  const h = await startHarness({ secretKey: key });
  try {
    await h.createInstance({ auto_start: true, proxy: PROXY });
    assert.ok(!existsSync(join(h.dataDir, 'secret.key')), 'no key file while WXGATE_SECRET_KEY is set');
    await h.app.close();
    const wrong = hexKey();
    await assert.rejects(startHarness({ secretKey: wrong }, reuse(h)), (err: unknown) => err instanceof SecretKeyError
      && err.message.includes(`another key (key id ${keyId(Buffer.from(key, 'hex'))}) than WXGATE_SECRET_KEY (key id ${keyId(Buffer.from(wrong, 'hex'))})`)
      && /WXGATE_SECRET_KEY_PREVIOUS/.test(err.message));
    await assert.rejects(startHarness({}, reuse(h)), /than the key file .*secret\.key \(used while WXGATE_SECRET_KEY is unset\)/);

    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, ...postgresEnvFor(h.dataDir), DATA_DIR: h.dataDir, PORT: '0', WXGATE_SECRET_KEY: Buffer.from(wrong, 'hex').toString('base64'), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 78, stderr);
    assert.match(stderr, /^wxgate: stored secrets were encrypted with another key .* than WXGATE_SECRET_KEY /);
    assert.ok(!stderr.includes(wrong) && !stderr.includes(key), 'no key in the message');

    const back = await startHarness({ secretKey: key }, reuse(h));
    await back.app.close();
  } finally {
    rmSync(h.dataDir, { recursive: true, force: true });
    await dropSchemaFor(h.dataDir);
  }
});

test('rotation: with the old key as WXGATE_SECRET_KEY_PREVIOUS every secret is re-encrypted with the new key at start', async () => {
  let h = await startHarness(); // the key file
  try {
    const guid = await h.createInstance({ auto_start: true, proxy: PROXY });
    const secret = await signingSecret(h);
    // The ilink driver's bot token (any driver's store has the table).
    const link = { guid, botToken: 'ilt_bot-token-at-rest', ilinkBotId: 'b1@im.bot', ilinkUserId: 'u1@im.wechat', baseUrl: 'https://ilinkai.weixin.qq.com', updatesBuf: '', createdAt: 1 };
    await h.app.store.ilinkLinks.save(link);
    await h.app.close();
    const fileKey = readFileSync(join(h.dataDir, 'secret.key'), 'utf8').trim();
    const next = randomBytes(32);
    const nextId = keyId(next);

    h = await startHarness({ secretKey: next.toString('base64'), secretKeyPrevious: fileKey }, reuse(h));
    assert.equal((await h.app.store.instances.get(guid))?.proxy, PROXY);
    assert.equal(await signingSecret(h), secret);
    await h.app.close();
    const stored = await storedSecrets(h.dataDir);
    assert.equal(stored.botTokens.length, 1);
    for (const value of [...stored.proxies, ...stored.signing, ...stored.media, ...stored.botTokens]) assert.ok(value.startsWith(`enc:v1:${nextId}:`), value);

    h = await startHarness({ secretKey: next.toString('base64') }, reuse(h));
    assert.equal((await h.app.store.instances.get(guid))?.proxy, PROXY, 'the old key is no longer needed');
    assert.deepEqual(await h.app.store.ilinkLinks.get(guid), link);
    await h.app.close();
    await assert.rejects(startHarness({ secretKey: fileKey }, reuse(h)), SecretKeyError, 'and no longer opens anything');
  } finally {
    rmSync(h.dataDir, { recursive: true, force: true });
    await dropSchemaFor(h.dataDir);
  }
});

test('plaintext rows written before encryption at rest are encrypted at the first start and scrubbed from the file', async () => {
  let h = await startHarness();
  try {
    const guids: string[] = [];
    for (let i = 0; i < 20; i++) guids.push(await h.createInstance({ auto_start: false }));
    await h.app.close();
    const proxyOf = (i: number) => `socks5://proxyuser:${PASSWORD}-${i}@10.10.1.10:3128`;
    const legacySecret = `whsec_${randomBytes(24).toString('base64')}`;
    // What an earlier version left in the store: the same columns, in plaintext.
    const db = await rawStore(h.dataDir);
    for (const [i, guid] of guids.entries()) await db.all('UPDATE instances SET proxy = ? WHERE guid = ?', proxyOf(i), guid);
    const appId = (await db.all('SELECT id FROM apps'))[0]!.id as string;
    await db.all('DELETE FROM signing_secrets');
    await db.all('INSERT INTO signing_secrets (app_id, secret, created_at, expires_at) VALUES (?, ?, 1, NULL)', appId, legacySecret);
    await db.close();
    if (!TEST_DATABASE_URL) assert.ok(fileBytes(h.dataDir).includes(`${PASSWORD}-0@`), 'the setup wrote plaintext');

    h = await startHarness({}, reuse(h));
    for (const [i, guid] of guids.entries()) assert.equal((await h.app.store.instances.get(guid))?.proxy, proxyOf(i));
    assert.equal(await signingSecret(h), legacySecret, 'webhook receivers keep verifying with the secret they have');
    await h.app.close();
    const stored = await storedSecrets(h.dataDir);
    assert.equal(stored.proxies.length, 20);
    for (const value of [...stored.proxies, ...stored.signing]) assert.match(value, /^enc:v1:/);
    // PostgreSQL keeps replaced row versions until VACUUM reclaims them (docs/postgres.md); the file scrub is SQLite's.
    if (TEST_DATABASE_URL) return;
    const bytes = fileBytes(h.dataDir);
    assert.deepEqual(guids.map((_, i) => i).filter((i) => bytes.includes(`${PASSWORD}-${i}@`)), [], 'no plaintext password is left in the file');
    assert.ok(!bytes.includes(legacySecret), 'nor the plaintext signing secret');
  } finally {
    rmSync(h.dataDir, { recursive: true, force: true });
    await dropSchemaFor(h.dataDir);
  }
});
