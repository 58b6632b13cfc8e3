// The typed client against a live wxgate: both transports × both response modes, and WxgateError on 422 and 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WxgateError, type ResponseMode, type Transport } from '../src/index.ts';
import { loggedIn, startLiveServer, type LiveServer } from './live-server.ts';

describe('WxgateClient round trip', () => {
  let live: LiveServer;
  before(async () => {
    live = await startLiveServer();
  });
  after(async () => {
    await live.close();
  });

  const setMode = (mode: ResponseMode) => live.admin.call('/admin/set_app_mode', { app_key: live.h.appKey, mode });

  for (const mode of ['standard', 'raw'] as const) {
    for (const transport of ['direct', 'gateway'] as const satisfies readonly Transport[]) {
      test(`${transport} transport, ${mode} mode: raw and wrapper endpoints unwrap to the typed payload`, async () => {
        await setMode(mode);
        const told = live.client({ transport, mode });
        // A client not told the mode tells them apart by the body's shape.
        const guessing = live.client({ transport });
        const me = await loggedIn(told, `${transport}-${mode}`);

        const status = await told.call('/client/get_client_status', { guid: me.guid });
        assert.equal(status.status, 2);
        assert.equal(status.login_wxid, me.wxid);
        assert.equal((await guessing.call('/client/get_client_status', { guid: me.guid })).status, 2);

        const sent = await told.call('/msg/send_text', { guid: me.guid, to_username: 'filehelper', content: 'hello' });
        assert.equal(sent.baseResponse.ret, 0);
        assert.match(sent.list[0]!.newMsgId, /^\d+$/);
        const again = await guessing.call('/msg/send_text', { guid: me.guid, to_username: 'filehelper', content: 'again' });
        assert.equal(again.list[0]!.ret, 0);

        // The server really answers in the mode under test: top-level WeChat object in raw mode, an envelope otherwise.
        const wire = await live.h.direct('/msg/send_text', { guid: me.guid, to_username: 'filehelper', content: 'wire' });
        assert.equal(wire.body.baseResponse !== undefined, mode === 'raw', wire.text);

        const profile = await told.call('/user/get_profile', { guid: me.guid });
        assert.equal(profile.baseResponse.ret, 0);
        // The same calls as methods: client.api.<module>.<action>.
        const viaApi = await told.api.msg.send_text({ guid: me.guid, to_username: 'filehelper', content: 'as a method' });
        assert.match(viaApi.list[0]!.newMsgId, /^\d+$/);
        assert.equal((await told.api.client.get_client_status({ guid: me.guid })).status, 2);
        const archive = await told.api.events.messages({ guid: me.guid, talker: 'filehelper' });
        assert.equal(archive.messages.at(-1)!.content, 'as a method');
        // Untyped paths still go through request().
        assert.equal(((await told.request('/client/get_client_status', { guid: me.guid })) as { status: number }).status, 2);
      });
    }
  }

  test('a 422 throws WxgateError with the failing field, in both modes and over both transports', async () => {
    for (const mode of ['standard', 'raw'] as const) {
      await setMode(mode);
      for (const transport of ['direct', 'gateway'] as const) {
        const client = live.client({ transport, mode });
        const { guid } = await client.call('/client/create_client', {});
        const err = await client.call('/msg/send_text', { guid, to_username: 'filehelper' } as never).then(
          () => assert.fail('expected a validation error'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof WxgateError, String(err));
        assert.equal(err.code, 422);
        assert.equal(err.status, 422);
        assert.ok(err.errors.some((e) => e.loc.includes('content')), JSON.stringify(err.errors));
      }
    }
    await setMode('standard');
  });

  test('a 404 throws WxgateError with the catalog code and the precise status in both modes: unknown instance, unknown path', async () => {
    for (const mode of ['standard', 'raw'] as const) {
      await setMode(mode);
      for (const transport of ['direct', 'gateway'] as const) {
        const client = live.client({ transport });
        await assert.rejects(
          client.call('/client/get_client_status', { guid: '00000000-0000-4000-8000-000000000000' }),
          (e: unknown) => e instanceof WxgateError && e.code === 40402 && e.status === 404 && e.data === null,
        );
        await assert.rejects(client.request('/nosuch/endpoint', {}), (e: unknown) => e instanceof WxgateError && e.code === 40401 && e.status === 404);
      }
    }
    // On the vendor's wire the unknown instance is a business failure: HTTP 200, the code in the body.
    const wire = await live.h.direct('/client/get_client_status', { guid: '00000000-0000-4000-8000-000000000000' });
    assert.equal(wire.status, 200);
    assert.equal(wire.body.errcode, 40402);
    await setMode('standard');
  });

  test('wrong credentials and an unreachable server are WxgateErrors too', async () => {
    await assert.rejects(live.client({ appSecret: 'wrong' }).call('/client/all_clients', {}), (e: unknown) => e instanceof WxgateError && e.status === 401);
    const nobody = live.client({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    await assert.rejects(nobody.call('/client/all_clients', {}), (e: unknown) => e instanceof WxgateError && e.code === -1 && e.status === 0);
  });
});
