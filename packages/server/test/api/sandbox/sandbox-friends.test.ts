// Friends in the sandbox through HTTP: two instances of one app become friends the WeChat way, deletion is one-sided,
// refusals carry WeChat's ret and change nothing, apps do not see each other's worlds, and /sandbox/* is the
// sandbox's alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Driver } from '../../../src/driver/driver.ts';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { type Creds, loggedIn, ok, outbox } from '../../sandbox-helpers.ts';

const contactsOf = async (h: Harness, guid: string): Promise<string[]> => (await ok(h.direct('/contact/init_contact', { guid }))).contactUsernameList;

describe('sandbox friends over HTTP', () => {
  test('two instances become friends: search → add_friend → verify_friend, both see each other and got the callbacks', async () => {
    const h = await startHarness();
    try {
      const a = await loggedIn(h, { nickname: 'Alice' });
      const b = await loggedIn(h, { nickname: 'Bob', alias: 'bob_wx' });
      const markA = (await outbox(h, a.guid)).length;
      const markB = (await outbox(h, b.guid)).length;

      const found = await ok(h.gateway('/contact/search_contact', { guid: a.guid, username: 'bob_wx', search_scene: 2 }));
      assert.match(found.userName.string, /^v3_\w+@stranger$/);
      await ok(h.direct('/contact/add_friend', { guid: a.guid, username: found.userName.string, ticket: found.antispamTicket, verify_content: 'Hi Bob', scene: 3 }));

      const request = (await outbox(h, b.guid)).slice(markB).find((e) => e.notifyType === 1010)!;
      const msg = request.data as { msg_type: number; from_username: string; content: string };
      assert.equal(msg.msg_type, 37);
      assert.equal(msg.from_username, 'fmessage');
      const encryptusername = /encryptusername="([^"]+)"/.exec(msg.content)![1]!;
      const ticket = / ticket="([^"]+)"/.exec(msg.content)![1]!;
      const accepted = await ok(h.direct('/contact/verify_friend', { guid: b.guid, username: encryptusername, ticket, scene: 3, opcode: 3 }));
      assert.equal(accepted.userName, a.wxid);

      const aliceView = await ok(h.direct('/contact/get_contact', { guid: a.guid, username_list: [b.wxid, 'wxid_unknown0000000'] }));
      assert.equal(aliceView.contactList[0].nickName.string, 'Bob');
      assert.equal(aliceView.contactList[0].alias, 'bob_wx');
      assert.equal(aliceView.contactList[1].userName.string, 'wxid_unknown0000000', 'unknown names come back, not an error');
      assert.deepEqual(aliceView.ret, [0, -4]);
      assert.equal((await ok(h.direct('/contact/get_contact', { guid: b.guid, username_list: [a.wxid] }))).contactList[0].nickName.string, 'Alice');
      assert.deepEqual(await contactsOf(h, a.guid), [b.wxid]);
      assert.deepEqual(await contactsOf(h, b.guid), [a.wxid]);

      assert.deepEqual((await outbox(h, a.guid)).slice(markA).map((e) => e.notifyType), [1200, 1040, 1010]);
      const bobEvents = (await outbox(h, b.guid)).slice(markB);
      assert.deepEqual(bobEvents.map((e) => e.notifyType), [1010, 1200, 1040, 1010]);
      assert.equal((bobEvents[3]!.data as { msg_type: number; content: string }).content, '你已添加了Alice，现在可以开始聊天了。');
      assert.equal((bobEvents[3]!.data as { msg_type: number }).msg_type, 10000);

      // One-sided deletion: Alice drops Bob; Bob keeps Alice and hears nothing.
      const markB2 = (await outbox(h, b.guid)).length;
      await ok(h.direct('/contact/del_friend', { guid: a.guid, username: b.wxid }));
      assert.deepEqual(await contactsOf(h, a.guid), []);
      assert.deepEqual(await contactsOf(h, b.guid), [a.wxid]);
      assert.equal((await outbox(h, b.guid)).length, markB2);
      const refused = await h.direct('/contact/verify_friend', { guid: b.guid, username: a.wxid, opcode: 1 });
      assert.deepEqual([refused.status, refused.body.code, refused.body.data.baseResponse.ret], [409, 40910, -44]);
    } finally {
      await h.close();
    }
  });

  test('bad input: unknown wxid, wrong opcode, expired ticket — a clear error, WeChat\'s ret, and nothing changed', async () => {
    const h = await startHarness();
    try {
      const a = await loggedIn(h);
      const target = await ok(h.direct('/sandbox/people/create', { nickname: 'Target', phone: '+8613700137000' }));
      const found = await ok(h.direct('/contact/search_contact', { guid: a.guid, username: '+8613700137000', search_scene: 1 }));
      const mark = (await outbox(h, a.guid)).length;

      const unknown = await h.direct('/contact/add_friend', { guid: a.guid, username: 'wxid_doesnotexist00', scene: 3 });
      assert.deepEqual([unknown.status, unknown.body.code, unknown.body.data.baseResponse.ret], [404, 40410, -4]);
      assert.match(unknown.body.message, /wxid_doesnotexist00/);

      const opcode = await h.direct('/contact/verify_friend', { guid: a.guid, username: target.wxid, opcode: 9 });
      assert.equal(opcode.status, 422);
      assert.deepEqual(opcode.body.errors[0].loc, ['body', 'opcode']);

      h.clock.advance(25 * 3600_000);
      const expired = await h.direct('/contact/add_friend', { guid: a.guid, username: found.userName.string, ticket: found.antispamTicket, scene: 15 });
      assert.deepEqual([expired.status, expired.body.code, expired.body.data.baseResponse.ret], [409, 40911, -48]);
      assert.match(expired.body.message, /expired/);

      const missing = await h.direct('/sandbox/friend/request', { from_wxid: 'wxid_ghost000000000', to_wxid: target.wxid });
      assert.deepEqual([missing.status, missing.body.code], [404, 40412]);
      const noRequest = await h.direct('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: target.wxid });
      assert.deepEqual([noRequest.status, noRequest.body.code], [404, 40413]);

      assert.equal((await outbox(h, a.guid)).length, mark, 'no callbacks');
      assert.deepEqual(await contactsOf(h, a.guid), []);
      const people = await ok(h.direct('/sandbox/people/list', {}));
      assert.deepEqual(people.people.map((p: { contact_count: number }) => p.contact_count), [0, 0]);
    } finally {
      await h.close();
    }
  });

  test('another app\'s world is invisible, through the API and the control API', async () => {
    const h = await startHarness();
    try {
      const other = await createTenant(h);
      const a = await loggedIn(h, { nickname: 'Alice', alias: 'alice_here' });
      const b = await loggedIn(h, { nickname: 'Stranger' }, other);

      const search = await h.direct('/contact/search_contact', { guid: b.guid, username: 'alice_here', search_scene: 2 }, other);
      assert.deepEqual([search.status, search.body.code], [404, 40410]);
      const request = await h.direct('/sandbox/friend/request', { from_wxid: b.wxid, to_wxid: a.wxid }, other);
      assert.deepEqual([request.status, request.body.code], [404, 40412]);
      const theirs = await ok(h.direct('/sandbox/people/list', {}, other));
      assert.deepEqual(theirs.people.map((p: { wxid: string }) => p.wxid), [b.wxid]);
      // Another app's instance answers like an unknown one, for the control API too.
      const foreign = await h.direct('/sandbox/login/scan', { guid: a.guid, action: 'scan' }, other);
      assert.deepEqual([foreign.status, foreign.body.code], [404, 40402]);

      // The world is app-wide: a reset given a guid is refused rather than emptying every instance's world.
      for (const res of [await h.direct('/sandbox/world/reset', { guid: b.guid }, other), await h.gateway('/sandbox/world/reset', { guid: b.guid }, other)]) {
        assert.equal(res.status, 422, res.text);
        assert.deepEqual(res.body.errors, [{ loc: ['body', 'guid'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' }]);
      }
      assert.equal((await h.direct('/client/get_client_status', { guid: b.guid }, other)).body.data.status, 2, 'nothing was reset');
      assert.equal((await ok(h.direct('/sandbox/people/list', {}, other))).total, 1);

      // A reset empties only the caller's world, and logs its instances out.
      const reset = await ok(h.direct('/sandbox/world/reset', {}, other));
      assert.deepEqual(reset, { people_removed: 1, logged_out: [b.guid] });
      assert.equal((await h.direct('/client/get_client_status', { guid: b.guid }, other)).body.data.status, 1);
      assert.equal((await h.direct('/client/get_client_status', { guid: a.guid })).body.data.status, 2);
      assert.equal((await ok(h.direct('/sandbox/people/list', {}))).total, 1);
    } finally {
      await h.close();
    }
  });

  test('people/create checks what it is given', async () => {
    const h = await startHarness();
    try {
      const first = await ok(h.direct('/sandbox/people/create', { wxid: 'wxid_fixed00000001', alias: 'taken_id', phone: '13000000000', qq: '10001', sex: 2, nickname: '张三' }));
      assert.deepEqual([first.wxid, first.alias, first.sex, first.kind, first.needs_verification], ['wxid_fixed00000001', 'taken_id', 2, 'simulated', true]);
      for (const [body, code] of [
        [{ wxid: 'wxid_fixed00000001' }, 40918],
        [{ alias: 'taken_id' }, 40918],
        [{ wxid: 'taken_id' }, 40918],
        [{ phone: '13000000000' }, 40918],
        [{ wxid: 'gh_official01' }, 422],
        [{ wxid: 'bad id!' }, 422],
        [{ sex: 3 }, 422],
        [{ friends: ['wxid_nobody000000000'] }, 40412],
      ] as const) {
        const res = await h.direct('/sandbox/people/create', body);
        assert.equal(res.body.code, code, JSON.stringify(body));
      }
      assert.equal((await ok(h.direct('/sandbox/people/list', {}))).total, 1, 'refused creations left no one behind');
    } finally {
      await h.close();
    }
  });

  test('/sandbox/* answers NOT_SUPPORTED when the driver is not the sandbox', async () => {
    const other: Driver = {
      name: 'test-double',
      capabilities: () => [],
      open: async (instance) => ({ guid: instance.guid, operations: {}, close: async () => {} }),
      close: async () => {},
    };
    const h = await startHarness({}, undefined, { driver: other });
    try {
      const guid = await h.createInstance();
      for (const [path, body] of [['/sandbox/people/list', {}], ['/sandbox/login/scan', { guid, action: 'scan' }], ['/sandbox/world/reset', {}]] as const) {
        const res = await h.direct(path, body);
        assert.deepEqual([res.status, res.body.code], [501, 50101], path);
        assert.match(res.body.message, /test-double/);
      }
    } finally {
      await h.close();
    }
  });
});
