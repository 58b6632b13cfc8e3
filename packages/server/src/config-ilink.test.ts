// Unit tests of the ilink driver's settings: env names, Tencent's server by default, refusals that name the setting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('ilink settings: Tencent\'s server, its CDN and a 15 s budget by default, all from the environment', () => {
  const config = loadConfig({ WXGATE_DRIVER: 'ilink' });
  assert.equal(config.driver, 'ilink');
  assert.deepEqual(config.ilink, { baseUrl: 'https://ilinkai.weixin.qq.com', timeoutMs: 15_000, cdnUrl: 'https://novac2c.cdn.weixin.qq.com/c2c' });
  const own = loadConfig({ WXGATE_DRIVER: 'ilink', WXGATE_ILINK_BASE_URL: 'http://10.0.0.5:8000', WXGATE_ILINK_TIMEOUT_MS: '2500', WXGATE_ILINK_CDN_URL: 'http://10.0.0.5:8000/ilink/cdn' });
  assert.deepEqual(own.ilink, { baseUrl: 'http://10.0.0.5:8000', timeoutMs: 2500, cdnUrl: 'http://10.0.0.5:8000/ilink/cdn' });
});

test('a bad ilink setting stops the start, naming it', () => {
  assert.throws(() => loadConfig({ WXGATE_DRIVER: 'ilink', WXGATE_ILINK_BASE_URL: 'ftp://ilink.example.com' }),
    (err: unknown) => err instanceof ConfigError && err.message.includes('WXGATE_ILINK_BASE_URL'));
  assert.throws(() => loadConfig({ WXGATE_DRIVER: 'ilink', WXGATE_ILINK_CDN_URL: 'cdn.example.com' }),
    (err: unknown) => err instanceof ConfigError && err.message.includes('WXGATE_ILINK_CDN_URL'));
  assert.throws(() => loadConfig({ WXGATE_DRIVER: 'ilink', WXGATE_ILINK_TIMEOUT_MS: 'soon' }),
    (err: unknown) => err instanceof ConfigError && err.message.includes('WXGATE_ILINK_TIMEOUT_MS'));
  assert.throws(() => loadConfig({ WXGATE_DRIVER: 'ilink', WXGATE_ILINK_TIMEOUT_MS: '5' }),
    (err: unknown) => err instanceof ConfigError && err.message.includes('WXGATE_ILINK_TIMEOUT_MS'));
  assert.throws(() => loadConfig({ WXGATE_DRIVER: 'wechat' }), (err: unknown) => err instanceof ConfigError && err.message.includes('WXGATE_DRIVER'));
});
