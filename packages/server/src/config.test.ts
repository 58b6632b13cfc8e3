// Unit tests of configuration loading: defaults, env, file, and errors that name the setting.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, decodeSecretKey, loadConfig } from './config.ts';

test('defaults: 127.0.0.1:8000, ./data, sandbox, the vendor rate limit', () => {
  const config = loadConfig({});
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8000);
  assert.equal(config.dataDir, './data');
  assert.equal(config.driver, 'sandbox');
  assert.deepEqual(config.rateLimit, { maxCalls: 100, windowSeconds: 60, lockSeconds: 1800 });
  assert.equal(config.allowUnauthenticatedDirect, false);
});

test('environment variables override the file, which overrides defaults', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wxgate-config-')), 'config.json');
  writeFileSync(file, JSON.stringify({ port: 9000, rateLimit: { maxCalls: 50 }, logLevel: 'warn' }));
  const config = loadConfig({ WXGATE_CONFIG: file, PORT: '9100', WXGATE_RATE_LIMIT_LOCK_SECONDS: '60', WXGATE_ALLOW_UNAUTHENTICATED_DIRECT: 'true' });
  assert.equal(config.port, 9100);
  assert.deepEqual(config.rateLimit, { maxCalls: 50, windowSeconds: 60, lockSeconds: 60 });
  assert.equal(config.logLevel, 'warn');
  assert.equal(config.allowUnauthenticatedDirect, true);
});

test('invalid settings stop the start with a message naming the setting', () => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT \(port\)/],
    [{ WXGATE_RATE_LIMIT_MAX_CALLS: '0' }, /WXGATE_RATE_LIMIT_MAX_CALLS/],
    [{ WXGATE_DRIVER: 'relay' }, /WXGATE_DRIVER/],
    [{ WXGATE_ADMIN_TOKEN: 'short' }, /WXGATE_ADMIN_TOKEN/],
    [{ WXGATE_APP_KEY: 'only-the-key-here' }, /WXGATE_APP_KEY and WXGATE_APP_SECRET/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ WXGATE_ALLOW_UNAUTHENTICATED_DIRECT: 'maybe' }, /WXGATE_ALLOW_UNAUTHENTICATED_DIRECT/],
    [{ WXGATE_CONFIG: '/nonexistent/wxgate.json' }, /WXGATE_CONFIG/],
    [{ WXGATE_ALLOW_PRIVATE_URLS: '127.0.0.1, 10.0.0.0/33' }, /WXGATE_ALLOW_PRIVATE_URLS \(allowPrivateUrls\): 10\.0\.0\.0\/33 is not a valid CIDR/],
    [{ WXGATE_REDIS_URL: 'http://redis:6379', WXGATE_DATABASE_URL: 'postgres://db/wx' }, /WXGATE_REDIS_URL \(redisUrl\): must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ WXGATE_REDIS_URL: 'redis://:hunter2@redis:6379' }, /WXGATE_REDIS_URL \(redisUrl\) needs WXGATE_DATABASE_URL/],
    [{ WXGATE_REDIS_URL: 'redis://redis:6379', WXGATE_DATABASE_URL: 'postgres://db/wx' }, /WXGATE_REDIS_URL \(redisUrl\) needs WXGATE_SECRET_KEY/],
    [{ WXGATE_MEDIA_STORE: 's3' }, /WXGATE_MEDIA_STORE \(media\.store\)/],
    [{ WXGATE_MEDIA_STORE: 'postgres' }, /WXGATE_MEDIA_STORE=postgres \(media\.store\) needs WXGATE_DATABASE_URL \(databaseUrl\)/],
    [{ WXGATE_MEDIA_STORE: 'postgres', WXGATE_DATABASE_URL: 'postgres://u:hunter2@db/wx', WXGATE_MEDIA_MAX_BYTES: String(1 << 30) },
      /WXGATE_MEDIA_MAX_BYTES \(media\.maxObjectBytes\): at most 1048576000 with WXGATE_MEDIA_STORE=postgres/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message) && !err.message.includes('hunter2'), JSON.stringify(env));
  }
  assert.equal(loadConfig({ WXGATE_REDIS_URL: 'redis://127.0.0.1:6379', WXGATE_DATABASE_URL: 'postgres://db/wx', WXGATE_SECRET_KEY: 'ab'.repeat(32) }).redisUrl, 'redis://127.0.0.1:6379');
  assert.equal(loadConfig({}).media.store, 'local');
  assert.equal(loadConfig({ WXGATE_MEDIA_STORE: 'postgres', WXGATE_DATABASE_URL: 'postgres://db/wx' }).media.store, 'postgres');
  assert.equal(loadConfig({ WXGATE_MEDIA_STORE: 'local', WXGATE_MEDIA_MAX_BYTES: String(1 << 30) }).media.maxObjectBytes, 1 << 30, 'files have no such limit');
  const file = join(mkdtempSync(join(tmpdir(), 'wxgate-config-')), 'config.json');
  writeFileSync(file, JSON.stringify({ bodyLimitBytes: 'lots' }));
  assert.throws(() => loadConfig({ WXGATE_CONFIG: file }), /bodyLimitBytes/);
  writeFileSync(file, JSON.stringify({ prot: 8000 }));
  assert.throws(() => loadConfig({ WXGATE_CONFIG: file }), ConfigError, 'unknown keys in the file are refused');
});

test('speech-to-text: pocketsphinx by default; the command engine needs a command with {wav}; bad settings stop the start', () => {
  const defaults = loadConfig({});
  assert.deepEqual(defaults.stt, { engine: 'pocketsphinx', pocketsphinxPath: 'pocketsphinx_continuous', timeoutMs: 60_000 });
  const command = loadConfig({ WXGATE_STT_ENGINE: 'command', WXGATE_STT_COMMAND: 'asr --model /m/zh {wav}', WXGATE_STT_LANGUAGES: 'zh-CN, en-US', WXGATE_STT_TIMEOUT_MS: '9000' });
  assert.equal(command.stt.engine, 'command');
  assert.equal(command.stt.command, 'asr --model /m/zh {wav}');
  assert.deepEqual(command.stt.languages, ['zh-CN', 'en-US']);
  assert.equal(command.stt.timeoutMs, 9000);
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ WXGATE_STT_ENGINE: 'whisper' }, /WXGATE_STT_ENGINE/],
    [{ WXGATE_STT_ENGINE: 'command' }, /WXGATE_STT_COMMAND \(stt\.command\) is required/],
    [{ WXGATE_STT_ENGINE: 'command', WXGATE_STT_COMMAND: 'asr --model /m/zh' }, /must contain \{wav\}/],
    [{ WXGATE_STT_COMMAND: 'asr {wav}' }, /set WXGATE_STT_ENGINE=command/],
    [{ WXGATE_STT_TIMEOUT_MS: 'soon' }, /WXGATE_STT_TIMEOUT_MS/],
    [{ WXGATE_STT_TIMEOUT_MS: '10' }, /WXGATE_STT_TIMEOUT_MS \(stt\.timeoutMs\)/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message), JSON.stringify(env));
  }
});

test('secret keys: 32 bytes as hex or base64; anything else stops the start naming the setting, never echoing the value', () => {
  const hex = 'ab'.repeat(32);
  const base64 = Buffer.alloc(32, 7).toString('base64');
  const config = loadConfig({ WXGATE_SECRET_KEY: hex, WXGATE_SECRET_KEY_PREVIOUS: base64 });
  assert.deepEqual(decodeSecretKey(config.secretKey!), Buffer.from(hex, 'hex'));
  assert.deepEqual(decodeSecretKey(config.secretKeyPrevious!), Buffer.alloc(32, 7));
  assert.deepEqual(decodeSecretKey(Buffer.alloc(32, 7).toString('base64url')), Buffer.alloc(32, 7), 'URL-safe base64 too');
  assert.equal(loadConfig({}).secretKey, undefined, 'unset: the key file in the data directory');
  for (const [name, value] of [['WXGATE_SECRET_KEY', 'ab'.repeat(31)], ['WXGATE_SECRET_KEY', 'correct horse battery staple'], ['WXGATE_SECRET_KEY_PREVIOUS', Buffer.alloc(24).toString('base64')]] as const) {
    assert.throws(() => loadConfig({ [name]: value }), (err: unknown) => err instanceof ConfigError
      && err.message.startsWith(`invalid setting ${name} (`) && /openssl rand -base64 32/.test(err.message) && !err.message.includes(value), `${name}=${value}`);
  }
});
