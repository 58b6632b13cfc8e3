// The relay in front of a sandbox wxgate, in both upstream modes: instances map to upstream instances, calls and
// errors come back translated, callbacks reach the tenant signed by the relay, lifecycle calls are forwarded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { Receiver } from '../../receiver.ts';
import { startRelayPair, type RelayPair } from '../../relay-harness.ts';

async function logIn(pair: RelayPair, guid: string, nickname = 'Alice'): Promise<string> {
  const qr = await pair.relay.direct('/login/get_login_qrcode', { guid });
  assert.equal(qr.status, 200, qr.text);
  const person = await pair.phone('/sandbox/people/create', { nickname });
  await pair.phone('/sandbox/login/scan', { guid, action: 'scan', wxid: person.wxid });
  await pair.phone('/sandbox/login/scan', { guid, action: 'confirm' });
  return person.wxid as string;
}

const MODES = [
  { name: 'gateway (POST /open/GuidRequest with the upstream app\'s key and secret)', options: { mode: 'gateway' as const } },
  { name: 'direct (POST /<module>/<action>, credentials in headers)', options: { mode: 'direct' as const } },
  { name: 'direct without credentials (a private upstream)', options: { mode: 'direct' as const, anonymousDirect: true } },
];

for (const { name, options } of MODES) {
  describe(`relay, upstream mode ${name}`, () => {
    let pair: RelayPair;
    let receiver: Receiver;
    before(async () => {
      pair = await startRelayPair(options);
      receiver = await new Receiver().start();
    });
    after(async () => {
      await pair.close();
      await receiver.close();
    });

    test('an instance is an upstream instance; login, profile and errors pass through; the tenant gets signed callbacks', async () => {
      const guid = await pair.relay.createInstance();
      const upstreamGuid = await pair.upstreamGuid(guid);
      assert.notEqual(upstreamGuid, guid, 'the upstream has its own guid');
      const upstreamStatus = (await pair.upstream.direct('/client/get_client_status', { guid: upstreamGuid })).body.data;
      assert.match(upstreamStatus.notify_url, new RegExp(`^${pair.relayUrl}/upstream/notify/[\\w-]{43}$`), 'the upstream calls back on the relay');

      // The tenant's notify_url stays here; the upstream keeps calling the relay.
      assert.equal((await pair.relay.direct('/client/set_notify_url', { guid, notify_url: receiver.url })).status, 200);
      assert.equal((await pair.upstream.direct('/client/get_client_status', { guid: upstreamGuid })).body.data.notify_url, upstreamStatus.notify_url);

      const wxid = await logIn(pair, guid);
      const status = (await pair.relay.direct('/client/get_client_status', { guid })).body.data;
      assert.equal(status.status, 2);
      assert.equal(status.login_wxid, wxid);
      const profile = await pair.relay.gateway('/user/get_profile', { guid });
      assert.equal(profile.body.data.userInfo.userName.string, wxid);

      // An upstream refusal arrives as our catalog error, with the upstream's words.
      const again = await pair.relay.direct('/login/get_login_qrcode', { guid });
      assert.equal(again.status, 409);
      assert.equal(again.body.errcode, 40912);

      await receiver.until((r) => r.filter((x) => x.json.guid === guid).length >= 7);
      const got = receiver.received.filter((x) => x.json.guid === guid);
      assert.deepEqual(got.map((x) => x.json.notify_type), [1002, 1002, 1002, 1003, 1001, 1005, 1009]);
      const secret = (await pair.relay.direct('/events/get_signing_secrets', {})).body.data.secrets[0].secret;
      for (const delivery of got) {
        new Webhook(secret).verify(delivery.body, {
          'webhook-id': String(delivery.headers['webhook-id']),
          'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
          'webhook-signature': String(delivery.headers['webhook-signature']),
        });
      }
      const listed = (await pair.relay.direct('/events/list', { guid })).body.data;
      assert.equal(listed.last_sn, 7, 'the relay\'s own event log');
    });

    test('a raw-mode tenant gets WeChat objects at the top level, as from the vendor', async () => {
      const guid = await pair.relay.createInstance();
      const wxid = await logIn(pair, guid, 'Raw');
      await pair.relay.admin('/admin/set_app_mode', { app_key: pair.relay.appKey, mode: 'raw' });
      try {
        const profile = await pair.relay.direct('/user/get_profile', { guid });
        assert.equal(profile.body.baseResponse.ret, 0);
        assert.equal(profile.body.userInfo.userName.string, wxid);
        const status = await pair.relay.direct('/client/get_client_status', { guid });
        assert.deepEqual([status.body.errcode, status.body.data.status], [0, 2]);
      } finally {
        await pair.relay.admin('/admin/set_app_mode', { app_key: pair.relay.appKey, mode: 'standard' });
      }
    });
  });
}

describe('relay lifecycle forwarding', () => {
  let pair: RelayPair;
  before(async () => {
    pair = await startRelayPair();
  });
  after(() => pair.close());

  const upstreamStatus = async (guid: string) => (await pair.upstream.direct('/client/get_client_status', { guid: await pair.upstreamGuid(guid) })).body;

  test('stop, restore, proxy, bridge and upgrade are applied upstream first; remove deletes the upstream instance', async () => {
    const guid = await pair.relay.createInstance({ auto_start: true, client_type: 241 });
    const upstreamGuid = await pair.upstreamGuid(guid);
    await pair.relay.direct('/client/stop_client', { guid });
    assert.equal((await upstreamStatus(guid)).data.status, 0);
    assert.equal((await pair.relay.direct('/client/get_client_status', { guid })).body.data.status, 0);
    await pair.relay.direct('/client/restore_client', { guid, proxy: 'socks5://u:p@10.1.2.3:1080' });
    const restored = (await upstreamStatus(guid)).data;
    assert.equal(restored.status, 1);
    assert.equal(restored.proxy, 'socks5://***:***@10.1.2.3:1080');
    await pair.relay.direct('/client/set_bridge', { guid, bridge: 'b-1' });
    await pair.relay.direct('/client/update_client', { guid, new_client_type: 242 });
    assert.deepEqual([(await upstreamStatus(guid)).data.bridge, (await upstreamStatus(guid)).data.client_type], ['b-1', 242]);

    // An upstream refusal of a settings call changes nothing here either.
    const downgrade = await pair.relay.direct('/client/update_client', { guid, new_client_type: 100 });
    assert.equal(downgrade.status, 409);
    assert.equal((await pair.relay.direct('/client/get_client_status', { guid })).body.data.client_type, 242);

    assert.equal((await pair.relay.direct('/client/remove_client', { guid })).status, 200);
    const gone = await pair.upstream.direct('/client/get_client_status', { guid: upstreamGuid });
    assert.equal(gone.body.errcode, 40402, 'the upstream instance wxgate created is removed with ours');
    assert.equal(await pair.driver.upstreamGuidOf(guid), undefined);
  });

  test('create_client can adopt an existing upstream instance (payload relay.upstream_guid); remove then only detaches it', async () => {
    const existing = await pair.upstream.createInstance();
    const guid = await pair.relay.createInstance({ auto_start: true, payload: JSON.stringify({ relay: { upstream_guid: existing } }) });
    assert.equal(await pair.upstreamGuid(guid), existing);
    assert.match((await pair.upstream.direct('/client/get_client_status', { guid: existing })).body.data.notify_url, /\/upstream\/notify\//);

    const twice = await pair.relay.direct('/client/create_client', { payload: JSON.stringify({ relay: { upstream_guid: existing } }) });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.errcode, 40961);
    const unknown = await pair.relay.direct('/client/create_client', { payload: JSON.stringify({ relay: { upstream_guid: '0b7d6d7e-1111-4222-8333-444455556666' } }) });
    assert.equal(unknown.status, 422);
    assert.deepEqual(unknown.body.errors[0].loc, ['body', 'payload']);
    const malformed = await pair.relay.direct('/client/create_client', { payload: JSON.stringify({ relay: { upstream_guid: 'nope' } }) });
    assert.equal(malformed.status, 422);

    await pair.relay.direct('/client/remove_client', { guid });
    const after = await pair.upstream.direct('/client/get_client_status', { guid: existing });
    assert.equal(after.status, 200, 'an adopted upstream instance outlives ours');
    assert.equal(after.body.data.notify_url, '', 'and no longer calls the relay');
  });

  test('the relay has no simulated world of its own: /sandbox/* answers 501', async () => {
    const res = await pair.relay.direct('/sandbox/people/list', {});
    assert.equal(res.status, 501);
  });
});
