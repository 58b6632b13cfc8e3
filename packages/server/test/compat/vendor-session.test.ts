// Vendor clients on a fresh default server: the default wire itself, instances, QR login, status, profile, notify URL,
// and the 1010 callback read as clients read it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { startVendorServer, vendorSession, type Account, type VendorServer } from './vendor-server.ts';
import { vendorClients, type Clients } from './vendor-clients.ts';

describe('vendor clients: session', () => {
  let server: VendorServer;
  let c: Clients;
  let alice: Account;

  before(async () => {
    ({ server, c, alice } = await vendorSession({ nickname: 'Alice', avatar_url: 'https://wx.qlogo.cn/mmhead/alice/0' }));
  });
  after(() => server.close());

  test('nothing to configure: the vendor wire and guid-only private CDN are the defaults, and the first app uses them', async () => {
    const defaults = loadConfig({ DATA_DIR: server.config.dataDir });
    assert.equal(defaults.responseMode, 'raw');
    assert.equal(defaults.cdnGuidAccess, true);
    assert.equal((await server.app.store.apps.findByKey(server.appKey))!.mode, 'raw');
    // An app seeded by WXGATE_APP_KEY / WXGATE_APP_SECRET answers on the same wire.
    const seeded = await startVendorServer({ WXGATE_APP_KEY: 'seededkey0123456', WXGATE_APP_SECRET: 'seeded-secret-0123456789abcdef' });
    try {
      assert.equal((await seeded.app.store.apps.findByKey('seededkey0123456'))!.mode, 'raw');
      const answer = await vendorClients(seeded.baseUrl, seeded.appKey, seeded.appSecret).ts.call('/client/all_clients', {});
      assert.equal(answer.ok, true, JSON.stringify(answer.body));
      assert.deepEqual(Object.keys(answer.body), ['errcode', 'err_code', 'errmsg', 'data']);
    } finally {
      await seeded.close();
    }
  });

  test('create_client and get_client_status: data.guid, data.status 0 stopped, 1 running, 2 online — as the vendor documents', async () => {
    for (const client of Object.values(c)) {
      const created = await client.call('/client/create_client', { auto_start: true });
      assert.ok(created.ok, `${client.name}: ${JSON.stringify(created.body)}`);
      const guid = created.body.data.guid;
      assert.match(guid, /^[0-9a-f-]{36}$/);
      const running = await client.call('/client/get_client_status', { guid });
      assert.ok(running.ok, client.name);
      assert.equal(running.body.data.status, 1, client.name);
      assert.ok((await client.call('/client/stop_client', { guid })).ok, client.name);
      assert.equal((await client.call('/client/get_client_status', { guid })).body.data.status, 0, client.name);
    }
    const online = await c.ts.call('/client/get_client_status', { guid: alice.guid });
    assert.equal(online.payload.status, 2);
    assert.equal(typeof online.payload.status, 'number');
  });

  test('QR login: data.qrcode is a base64 PNG of data.qrcode_content; check_login_qrcode data.status 0 → 1 → 2', async () => {
    const { guid } = (await c.ts.call('/client/create_client', { auto_start: true })).payload;
    const qr = await c.ts.call('/login/get_login_qrcode', { guid });
    assert.ok(qr.ok, JSON.stringify(qr.body));
    assert.equal(Buffer.from(qr.payload.qrcode, 'base64').subarray(1, 4).toString('latin1'), 'PNG');
    assert.match(qr.payload.qrcode_content, /^http:\/\/weixin\.qq\.com\/x\//);
    const status = async () => {
      const answer = await c.first.call('/login/check_login_qrcode', { guid });
      assert.ok(answer.ok, JSON.stringify(answer.body));
      return answer.payload.status as number;
    };
    assert.equal(await status(), 0);
    const { wxid } = await server.control('/sandbox/people/create', { nickname: 'Scanner' });
    await server.control('/sandbox/login/scan', { guid, action: 'scan', wxid });
    assert.equal(await status(), 1);
    await server.control('/sandbox/login/scan', { guid, action: 'confirm' });
    assert.equal(await status(), 2);
    assert.equal((await c.go.call('/client/get_client_status', { guid })).body.data.status, 2);
  });

  test('get_profile: userInfo and userInfoExt at the top level, read directly, through data ?? body, and merged', async () => {
    const ts = await c.ts.call('/user/get_profile', { guid: alice.guid });
    assert.ok(ts.ok, JSON.stringify(ts.body));
    const info = ts.payload.userInfo || ts.payload;
    assert.equal(info.userName.string, alice.wxid);
    assert.equal(info.nickName.string, 'Alice');
    // The avatar stays where WeChat puts it.
    assert.equal(info.smallHeadImgUrl, undefined);
    assert.match(ts.payload.userInfoExt.smallHeadImgUrl, /^https?:\/\//);
    assert.equal(ts.body.baseResponse.ret, 0);

    const strict = await c.strict.call('/user/get_profile', { guid: alice.guid });
    assert.ok(strict.ok, JSON.stringify(strict.body));
    assert.equal(strict.payload.userName.string, alice.wxid);
    assert.equal(typeof strict.payload.bigHeadImgUrl, 'string');

    const go = await c.go.call('/user/get_profile', { guid: alice.guid });
    assert.ok(go.ok);
    assert.equal(go.body.userInfo.nickName.string, 'Alice');
  });

  test('set_notify_url through every client, and the gateway and direct paths answer alike', async () => {
    for (const client of Object.values(c)) {
      const set = await client.call('/client/set_notify_url', { guid: alice.guid, notify_url: server.receiver.url });
      assert.ok(set.ok, `${client.name}: ${JSON.stringify(set.body)}`);
    }
    const direct = await c.go.direct('/client/set_notify_url', { guid: alice.guid, notify_url: server.receiver.url });
    assert.ok(direct.ok);
    assert.deepEqual(Object.keys(direct.body), ['errcode', 'err_code', 'errmsg', 'data']);
  });

  test('a 1010 as an adapter parses it: msg_id a string, is_chatroom_msg === 1 or 0, create_time an integer', async () => {
    const bob = await server.account({ nickname: 'Bob' });
    await server.control('/sandbox/friend/request', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    await server.control('/sandbox/friend/accept', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    const sent = await c.ts.call('/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content: 'hello from the adapter' });
    assert.ok(sent.ok, JSON.stringify(sent.body));
    const match = (r: { json: any }) => r.json.guid === bob.guid && r.json.notify_type === 1010 && r.json.data.content === 'hello from the adapter';
    await server.receiver.until((all) => all.some(match));
    const { data } = server.receiver.received.find(match)!.json;
    assert.equal(typeof data.msg_id, 'string');
    assert.equal(data.msg_id, sent.payload.list[0].newMsgId);
    assert.equal(data.is_chatroom_msg === 1, false);
    assert.equal(data.is_chatroom_msg, 0);
    assert.ok(Number.isInteger(data.create_time));
    assert.equal(data.from_username, alice.wxid);
    assert.equal(data.to_username, bob.wxid);
    assert.equal(data.msg_type, 1);
  });
});
