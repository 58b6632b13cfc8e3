// Upstream callbacks through the relay: a flood of 5,000 events with duplicates arrives once each and in order; the
// notify endpoint authenticates by token, dedups vendor-style repeats, tracks logins and feeds the mirror.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RelayDriver } from '../../../src/driver/relay/relay-driver.ts';
import { FakeUpstream } from '../../fake-upstream.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';
import { startRelayPair, type RelayPair } from '../../relay-harness.ts';

const msg = (i: number) => ({
  from_username: 'wxid_sender00000001', to_username: 'wxid_me', chatroom_sender: '', chatroom: '', is_chatroom_msg: 0,
  msg_id: String(9_000_000 + i), msg_type: 1, content: `flood ${i}`, desc: '', source: '', create_time: 1_767_225_600 + i,
});

describe('a callback flood through the relay', () => {
  let pair: RelayPair;
  let receiver: Receiver;
  before(async () => {
    pair = await startRelayPair();
    receiver = await new Receiver().start();
  });
  after(async () => {
    await pair.close();
    await receiver.close();
  });

  test('5,000 upstream events, batched and partly delivered twice, reach the tenant exactly once each and in order', { timeout: 60_000 }, async () => {
    const TOTAL = 5000;
    const guid = await pair.relay.createInstance();
    await pair.relay.direct('/client/set_notify_url', { guid, notify_url: receiver.url });
    // The tenant asked for 1011 batches too (one of our pipeline's options the upstream may not have).
    await pair.relay.direct('/events/set_filters', { guid, batch_window_ms: 20 });
    const upstreamGuid = await pair.upstreamGuid(guid);
    const upstreamInstance = (await pair.upstream.app.services.instances.find(upstreamGuid))!;
    // The upstream coalesces what piles up into 1011 batches; the relay splits them back into 1010s.
    await pair.upstream.app.services.instances.setCallbackOptions(upstreamInstance, { ...upstreamInstance.callbackOptions, batchWindowMs: 20 });
    const current = (await pair.upstream.app.services.instances.find(upstreamGuid))!;
    for (let i = 0; i < TOTAL; i += 250) {
      await pair.upstream.app.services.events.publish(current, Array.from({ length: 250 }, (_, k) => ({ notifyType: 1010, data: msg(i + k) })));
      // Halfway, the upstream delivers a stretch again (as after a crash, or an operator's replay).
      if (i === 2500) {
        await pair.settle(30_000);
        const replay = await pair.upstream.direct('/events/replay', { guid: upstreamGuid, from_sn: 1000, to_sn: 1600 });
        assert.equal(replay.body.data.requeued, 601);
      }
    }
    await pair.settle(30_000);
    const delivered = () => receiver.received.filter((x) => x.json.guid === guid)
      .flatMap((x) => (x.json.notify_type === 1011 ? x.json.data as Array<{ msg_id: string }> : [x.json.data as { msg_id: string }]));
    await receiver.until(() => delivered().length >= TOTAL, 30_000);

    const ids = delivered().map((m) => m.msg_id);
    assert.equal(ids.length, TOTAL, 'no duplicate reached the tenant');
    assert.deepEqual(ids, Array.from({ length: TOTAL }, (_, i) => msg(i).msg_id), 'in the order the upstream produced them');
    assert.ok(receiver.received.every((x) => x.json.notify_type === 1010 || x.json.notify_type === 1011));
    assert.equal((await pair.relay.direct('/events/list', { guid, after_sn: 0, limit: 1 })).body.data.last_sn, TOTAL);
    const archived: string[] = [];
    for (let after = 0; ;) {
      const page = (await pair.relay.direct('/events/messages', { guid, after_seq: after, limit: 500 })).body.data;
      if (page.messages.length === 0) break;
      archived.push(...page.messages.map((m: { msg_id: string; direction: string }) => m.msg_id));
      after = page.next_seq;
    }
    assert.deepEqual(archived, ids, 'the archive (/events/messages) holds every message once, in order');
  });
});

describe('the notify endpoint', () => {
  const upstream = new FakeUpstream();
  let relay: Harness;
  let guid: string;
  let token: string;
  const notify = (body: unknown, headers: Record<string, string> = {}, path = `/upstream/notify/${token}`) =>
    relay.app.http.inject({ method: 'POST', url: path, payload: body as never, headers: { 'content-type': 'application/json', ...headers } });
  const upstreamGuid = async () => (await relay.app.store.relay.mappings.get(guid))!.upstreamGuid;

  before(async () => {
    await upstream.start();
    relay = await startHarness({
      driver: 'relay', publicUrl: 'http://relay.example',
      relay: { baseUrl: upstream.url, mode: 'direct', timeoutMs: 2000, tenants: {} },
    }, undefined, { realTime: true });
    guid = await relay.createInstance();
    const registered = upstream.callsTo('/client/set_notify_url')[0]!.data.notify_url as string;
    assert.match(registered, /^http:\/\/relay\.example\/upstream\/notify\/[\w-]{43}$/);
    token = registered.split('/').pop()!;
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });

  const events = async () => (await relay.direct('/events/list', { guid, limit: 1000 })).body.data.events as Array<{ notify_type: number; data: any }>;

  test('authenticates by token (no app credentials, no rate limit) and refuses what does not belong', async () => {
    const up = await upstreamGuid();
    assert.equal((await notify({ guid: up, notify_type: 1006, data: { wxid: '', reason: 'x', time: 1 } }, {}, '/upstream/notify/not-a-token')).statusCode, 404);
    assert.equal((await notify({ guid: crypto.randomUUID(), notify_type: 1006, data: {} })).statusCode, 400, 'another upstream instance\'s guid');
    assert.equal((await notify({ guid: up, data: {} })).statusCode, 400, 'no notify_type');
    assert.equal((await notify('[1,2]')).statusCode, 400);
    // More callbacks than the rate limit allows calls (100 a minute): callbacks are not calls.
    for (let i = 0; i < 120; i++) {
      const res = await notify({ guid: up, notify_type: 1006, data: { reason: 'heartbeat', time: i } });
      assert.equal(res.statusCode, 200, res.body);
    }
    assert.equal((await events()).filter((e) => e.notify_type === 1006).length, 120);
    assert.ok(!relay.logs.join('').includes(token), 'the token (a credential) stays out of the log');
  });

  test('vendor-style repeats (no webhook-id) are dropped: by msg_id for messages, by payload for the rest', async () => {
    const up = await upstreamGuid();
    const before = (await events()).length;
    const m = { ...msg(1), msg_id: '777001' };
    assert.equal(JSON.parse((await notify({ guid: up, notify_type: 1010, data: m })).body).accepted, 1);
    assert.equal(JSON.parse((await notify({ guid: up, notify_type: 1010, data: { ...m, desc: 'resent' } })).body).duplicates, 1);
    const batch = await notify({ guid: up, notify_type: 1011, data: [m, { ...m, msg_id: '777002' }] });
    assert.deepEqual([JSON.parse(batch.body).accepted, JSON.parse(batch.body).duplicates], [1, 1]);
    const sync = { guid: up, notify_type: 1007, data: { wxid: '', reason: 'timeout', time: 5 } };
    await notify(sync);
    await notify(sync);
    // With a webhook-id (a wxgate upstream), the id decides: a new id is a new event even with the same payload.
    await notify({ guid: up, notify_type: 1039, data: { userName: { string: 'wxid_x' } } }, { 'webhook-id': 'evt_a' });
    await notify({ guid: up, notify_type: 1039, data: { userName: { string: 'wxid_x' } } }, { 'webhook-id': 'evt_a' });
    await notify({ guid: up, notify_type: 1039, data: { userName: { string: 'wxid_x' } } }, { 'webhook-id': 'evt_b' });
    const added = (await events()).slice(before);
    assert.deepEqual(added.map((e) => e.notify_type), [1010, 1010, 1007, 1039, 1039]);
    assert.deepEqual(added.slice(0, 2).map((e) => e.data.msg_id), ['777001', '777002']);
  });

  test('logins follow the callbacks; a login that does not name the account is looked up on the upstream', async () => {
    const up = await upstreamGuid();
    upstream.script = (c) => (c.path === '/user/get_profile'
      ? { body: { baseResponse: { ret: 0, errMsg: {} }, userInfo: { userName: { string: 'wxid_vendor00000001' } }, userInfoExt: {} } }
      : { body: { errcode: 0, data: {} } });
    await notify({ guid: up, notify_type: 1003, data: { nick_name: 'someone' } });
    await (relay.app.services.driver as RelayDriver).settled();
    const status = (await relay.direct('/client/get_client_status', { guid })).body.data;
    assert.deepEqual([status.status, status.login_wxid], [2, 'wxid_vendor00000001']);
    await notify({ guid: up, notify_type: 1004, data: { wxid: 'wxid_vendor00000001', reason: 'phone', time: 9 } });
    assert.equal((await relay.direct('/client/get_client_status', { guid })).body.data.status, 1);
  });

  test('the mirror answers the local-store endpoints an upstream does not serve: labels, OpenIM friends and rooms, room members', async () => {
    const up = await upstreamGuid();
    const LOCAL = /^\/(label\/get_contacts|label\/get_label_usage_amount|openim\/get_openim_(friends|rooms|room_members))$/;
    upstream.script = (c) => (LOCAL.test(c.path) ? { status: 404, raw: 'Not Found' } : { body: { errcode: 0, data: {} } });
    const contact = (wxid: string, labels: string) => ({ userName: { string: wxid }, nickName: { string: wxid }, labelIdList: labels, bitVal: 1 });
    await notify({ guid: up, notify_type: 1200, data: contact('wxid_labelled0000001', '1,3') });
    await notify({ guid: up, notify_type: 1200, data: contact('wxid_labelled0000002', '3') });
    await notify({ guid: up, notify_type: 1200, data: contact('wxid_unlabelled00001', '') });
    await notify({ guid: up, notify_type: 1202, data: { tpUsername: 'zhang@openim', nickname: '张', type: 1, source: 1 } });
    await notify({ guid: up, notify_type: 1202, data: { tpUsername: 'team@im.chatroom', nickname: 'Team', type: 2, source: 1 } });
    const local = async (path: string, body: Record<string, unknown>) => {
      const res = await relay.gateway(path, { guid, ...body });
      assert.equal(res.status, 200, res.text);
      return res.body.data;
    };
    assert.deepEqual(await local('/label/get_contacts', { label_id_list: [3] }), [
      { username: 'wxid_labelled0000001', nickname: 'wxid_labelled0000001', remark: '', alias: '', small_head_img_url: '', label_id_list: [1, 3] },
      { username: 'wxid_labelled0000002', nickname: 'wxid_labelled0000002', remark: '', alias: '', small_head_img_url: '', label_id_list: [3] },
    ]);
    assert.deepEqual(await local('/label/get_label_usage_amount', { label_id_list: [1, 3, 9] }), [{ label_id: 1, count: 1 }, { label_id: 3, count: 2 }, { label_id: 9, count: 0 }]);
    assert.deepEqual(await local('/label/get_label_usage_amount', { label_id_list: [] }), [{ label_id: 1, count: 1 }, { label_id: 3, count: 2 }], 'no ids: every label seen');
    assert.deepEqual(await local('/openim/get_openim_friends', {}), { list: [{ tpUsername: 'zhang@openim', nickname: '张', type: 1, source: 1 }], total: 1 });
    assert.equal((await local('/openim/get_openim_rooms', { page_size: 10 })).total, 1);

    // A deleted contact leaves the mirror.
    await notify({ guid: up, notify_type: 1201, data: { userName: { string: 'wxid_labelled0000002' }, deleteContactScene: 0 } });
    assert.equal((await local('/label/get_label_usage_amount', { label_id_list: [3] }))[0].count, 1);

    // Members come from the upstream's member list answers.
    upstream.script = (c) => (c.path === '/openim/get_openim_room_member_detail'
      ? { body: { baseResponse: { ret: 0, errMsg: {} }, memberList: [{ userName: 'zhang@openim', nickName: '张' }, { userName: 'li@openim', nickName: '李' }] } }
      : LOCAL.test(c.path) ? { status: 501, body: { code: 50101, errcode: 50101, message: 'not supported by this driver', errmsg: 'not supported by this driver', data: null } }
        : { body: { errcode: 0, data: {} } });
    await local('/openim/get_openim_room_member_detail', { room_username: 'team@im.chatroom' });
    const members = await local('/openim/get_openim_room_members', { room_username: 'team@im.chatroom', page_num: 2, page_size: 1 });
    assert.deepEqual(members, { list: [{ userName: 'li@openim', nickName: '李' }], total: 2 });
  });

  test('a callback that arrives before its instance is stored is refused with 503 (the upstream retries), not dropped', async () => {
    const early = crypto.randomUUID();
    await relay.app.store.relay.mappings.insert({
      guid: early, appId: 'nobody', upstreamGuid: crypto.randomUUID(), notifyToken: 'early-token-0000000000000000000000000000000', adopted: false, registeredNotifyUrl: '', createdAt: 0,
    });
    const res = await notify({ notify_type: 1006, data: {} }, {}, '/upstream/notify/early-token-0000000000000000000000000000000');
    await relay.app.store.relay.mappings.delete(early);
    assert.equal(res.statusCode, 503);
  });
});
