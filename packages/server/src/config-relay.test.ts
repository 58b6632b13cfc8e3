// Unit tests of the relay settings: env names, defaults, per-tenant overrides from the file, and refusals that name the
// setting without ever printing a secret.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const RELAY = {
  WXGATE_DRIVER: 'relay',
  WXGATE_PUBLIC_URL: 'https://wxgate.example.com',
  WXGATE_RELAY_BASE_URL: 'https://chat-api.example.com',
  WXGATE_RELAY_APP_KEY: 'vendor-key-0123456789',
  WXGATE_RELAY_APP_SECRET: 'vendor-secret-0123456789abcdef',
};

test('relay settings from the environment, with gateway mode and a 15 s budget by default', () => {
  const config = loadConfig(RELAY);
  assert.equal(config.driver, 'relay');
  assert.equal(config.publicUrl, 'https://wxgate.example.com');
  assert.deepEqual(config.relay, {
    baseUrl: 'https://chat-api.example.com', mode: 'gateway', appKey: RELAY.WXGATE_RELAY_APP_KEY, appSecret: RELAY.WXGATE_RELAY_APP_SECRET,
    timeoutMs: 15_000, tenants: {},
  });
  const direct = loadConfig({ ...RELAY, WXGATE_RELAY_MODE: 'direct', WXGATE_RELAY_APP_KEY: '', WXGATE_RELAY_APP_SECRET: '', WXGATE_RELAY_TIMEOUT_MS: '2500' });
  assert.equal(direct.relay.mode, 'direct');
  assert.equal(direct.relay.appKey, undefined, 'direct mode may run without credentials (a private upstream)');
  assert.equal(direct.relay.timeoutMs, 2500);
});

test('per-tenant upstream overrides come from the config file', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wxgate-config-')), 'config.json');
  writeFileSync(file, JSON.stringify({ relay: { tenants: { 'our-app-key-1': { appKey: 'their-key-000001', appSecret: 'their-secret-000001' } } } }));
  const config = loadConfig({ ...RELAY, WXGATE_CONFIG: file });
  assert.deepEqual(config.relay.tenants, { 'our-app-key-1': { appKey: 'their-key-000001', appSecret: 'their-secret-000001' } });
});

test('the sandbox ignores relay settings it does not need', () => {
  assert.equal(loadConfig({ WXGATE_RELAY_MODE: 'direct' }).driver, 'sandbox');
});

test('invalid relay settings stop the start naming the setting, never echoing a secret', () => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ ...RELAY, WXGATE_RELAY_BASE_URL: '' }, /WXGATE_RELAY_BASE_URL \(relay\.baseUrl\) is required/],
    [{ ...RELAY, WXGATE_RELAY_BASE_URL: 'ftp://x' }, /WXGATE_RELAY_BASE_URL/],
    [{ ...RELAY, WXGATE_PUBLIC_URL: '' }, /WXGATE_PUBLIC_URL \(publicUrl\) is required/],
    [{ ...RELAY, WXGATE_PUBLIC_URL: 'not a url' }, /WXGATE_PUBLIC_URL/],
    [{ ...RELAY, WXGATE_RELAY_MODE: 'proxy' }, /WXGATE_RELAY_MODE \(relay\.mode\)/],
    [{ ...RELAY, WXGATE_RELAY_TIMEOUT_MS: 'soon' }, /WXGATE_RELAY_TIMEOUT_MS/],
    [{ ...RELAY, WXGATE_RELAY_TIMEOUT_MS: '5' }, /WXGATE_RELAY_TIMEOUT_MS \(relay\.timeoutMs\)/],
    [{ ...RELAY, WXGATE_RELAY_APP_SECRET: '' }, /WXGATE_RELAY_APP_KEY and WXGATE_RELAY_APP_SECRET .* together/],
    [{ ...RELAY, WXGATE_RELAY_APP_KEY: '', WXGATE_RELAY_APP_SECRET: '' }, /required with WXGATE_RELAY_MODE=gateway/],
    [{ WXGATE_DRIVER: 'puppet' }, /WXGATE_DRIVER \(driver\)/],
  ];
  for (const [env, pattern] of cases) {
    assert.throws(() => loadConfig(env), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes(RELAY.WXGATE_RELAY_APP_SECRET), 'the secret is never printed');
      return true;
    }, JSON.stringify(env));
  }
});
