// No proxy password or app secret appears in any response body or log line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTenant, startHarness } from '../harness.ts';

test('proxy passwords and app secrets never reach a response body or a log line', async () => {
  const h = await startHarness();
  try {
    const proxyPassword = 'Pr0xyPa55word-XYZ';
    const proxyUser = 'proxyuser-abc';
    const proxy = `socks5://${proxyUser}:${proxyPassword}@10.10.1.10:3128`;
    const bodies: string[] = [];
    const guid = await h.createInstance({ auto_start: true, proxy });
    const other = await createTenant(h, 'second');
    const calls = [
      await h.direct('/client/set_proxy', { guid, proxy }),
      await h.gateway('/client/restore_client', { guid, proxy }),
      await h.direct('/client/get_client_status', { guid }),
      await h.gateway('/client/get_client_status', { guid }),
      await h.direct('/client/set_proxy', { guid, proxy: `ftp://${proxyUser}:${proxyPassword}@x:1` }),
      await h.direct('/client/get_client_version', { guid }),
      await h.direct('/client/all_clients', {}),
      await h.gateway('/client/all_clients', {}, { appKey: h.appKey, appSecret: h.appSecret + 'wrong' }),
      await h.direct('/client/all_clients', {}, { appKey: other.appKey, appSecret: other.appSecret }),
      await h.admin('/admin/list_apps'),
      await h.direct('/msg/send_text', { guid, to_username: 'wxid_x', content: h.appSecret.slice(0, 3) }),
    ];
    for (const res of calls) bodies.push(res.text);
    const everything = [...bodies, ...h.logs];
    assert.ok(h.logs.length > 10, 'the test saw the log stream');
    for (const secret of [proxyPassword, proxyUser, h.appSecret, other.appSecret]) {
      const leaks = everything.filter((line) => line.includes(secret));
      assert.deepEqual(leaks, [], `leaked ${secret.slice(0, 4)}…`);
    }
    assert.ok(bodies.some((b) => b.includes('socks5://***:***@10.10.1.10:3128')), 'the masked form is shown');
  } finally {
    await h.close();
  }
});
