// Unit tests of secrets at rest: the sealed format, nonces, context binding, keys by id, rotation, clear failures.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { keyId, SecretBox, SecretKeyError } from './secret-box.ts';
import { KEY_FILE, loadSecretBox } from './secret-keys.ts';

const key = (source = 'WXGATE_SECRET_KEY') => ({ key: randomBytes(32), source });

test('a sealed value is versioned, names its key, differs every time and opens only in its context', () => {
  const k = key();
  const box = new SecretBox(k);
  const a = box.seal('socks5://u:hunter2@10.0.0.1:1080', 'instances.proxy:g1');
  const b = box.seal('socks5://u:hunter2@10.0.0.1:1080', 'instances.proxy:g1');
  assert.match(a, new RegExp(`^enc:v1:${keyId(k.key)}:[A-Za-z0-9_-]+$`));
  assert.notEqual(a, b, 'a random nonce per value');
  assert.ok(!a.includes('hunter2'));
  assert.equal(box.open(a, 'instances.proxy:g1'), 'socks5://u:hunter2@10.0.0.1:1080');
  assert.throws(() => box.open(a, 'instances.proxy:g2'), (e: unknown) => e instanceof SecretKeyError && /altered or copied from another row/.test(e.message));
  assert.equal(box.state(a), 'current');
  assert.equal(box.state('socks5://plain'), 'plain');
  assert.equal(box.open(box.seal('', 'c'), 'c'), '');
});

test('an altered value, an unknown key, plaintext and a future format are refused with messages naming what to do', () => {
  const box = new SecretBox(key());
  const sealed = box.seal('whsec_abc', 'signing_secrets.secret:app');
  const body = sealed.split(':')[3]!;
  const altered = sealed.replace(body, (body[0] === 'A' ? 'B' : 'A') + body.slice(1));
  assert.throws(() => box.open(altered, 'signing_secrets.secret:app'), /does not decrypt with WXGATE_SECRET_KEY/);
  const stranger = new SecretBox(key()).seal('whsec_abc', 'signing_secrets.secret:app');
  assert.throws(() => box.open(stranger, 'signing_secrets.secret:app'),
    (e: unknown) => e instanceof SecretKeyError && /another key .* than WXGATE_SECRET_KEY .*WXGATE_SECRET_KEY_PREVIOUS/.test(e.message));
  assert.equal(box.state(stranger), 'stale');
  assert.throws(() => box.open('whsec_abc', 'x'), /not encrypted/);
  assert.throws(() => box.open('enc:v2:00000000:AAAA', 'x'), /format this wxgate does not read \(enc:v2\)/);
  assert.throws(() => new SecretBox({ key: randomBytes(16), source: 'WXGATE_SECRET_KEY' }), /must be 32 bytes/);
});

test('with a previous key, old values open and are reported stale; sealing always uses the current key', () => {
  const old = key();
  const sealedBefore = new SecretBox(old).seal('secret', 'ctx');
  const rotated = new SecretBox(key(), [{ ...old, source: 'WXGATE_SECRET_KEY_PREVIOUS' }]);
  assert.equal(rotated.state(sealedBefore), 'stale');
  assert.equal(rotated.open(sealedBefore, 'ctx'), 'secret');
  const resealed = rotated.seal('secret', 'ctx');
  assert.equal(rotated.state(resealed), 'current');
  assert.throws(() => new SecretBox(old).open(resealed, 'ctx'), /another key/, 'the old key alone cannot read the new value');
});

test('without WXGATE_SECRET_KEY a key file is made once in the data directory, mode 0600, and read on later starts', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'wxgate-keys-')), 'data');
  const first = loadSecretBox({ dataDir });
  const file = join(dataDir, KEY_FILE);
  assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const again = loadSecretBox({ dataDir });
  assert.equal(again.currentKeyId, first.currentKeyId);
  assert.equal(again.open(first.seal('x', 'c'), 'c'), 'x');
  const configured = randomBytes(32);
  assert.equal(loadSecretBox({ dataDir, current: configured }).currentKeyId, keyId(configured), 'the setting wins over the file');
});
