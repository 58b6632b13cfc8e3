// Rooms, labels and Moments in the sandbox through HTTP: both transports, refusals with their status, code and
// WeChat's ret, the /sandbox/room and /sandbox/sns control API, persistence across a restart, isolation between apps,
// and the optional new-device risk control (WXGATE_NEW_DEVICE_RISK_CONTROL).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { type Creds, loggedIn, ok, outbox } from '../../sandbox-helpers.ts';

/** status, code and WeChat's ret of a refusal. */
async function refused(res: Promise<{ status: number; body: any }>): Promise<[number, number, number | undefined]> {
  const r = await res;
  return [r.status, r.body.code, r.body.data?.baseResponse?.ret];
}

const textPost = (text: string) => `<TimelineObject><contentDesc>${text}</contentDesc><ContentObject><contentStyle>2</contentStyle></ContentObject></TimelineObject>`;

describe('sandbox rooms, labels and Moments over HTTP', () => {
  test('both transports, refusals with their status and ret, the control API, and everything survives a restart', async () => {
    let h = await startHarness();
    try {
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const bob = await loggedIn(h, { nickname: 'Bob', friends: [alice.wxid] });
      const carol = (await ok(h.direct('/sandbox/people/create', { nickname: 'Carol', friends: [alice.wxid, bob.wxid] }))).wxid;

      const created = await ok(h.gateway('/room/create_chatroom', { guid: alice.guid, username_list: [bob.wxid, carol] }));
      const room = created.chatRoomName.string;
      assert.deepEqual(await refused(h.direct('/room/del_chatroom_member', { guid: bob.guid, room_username: room, username_list: [carol] })), [403, 40321, -66]);
      assert.deepEqual(await refused(h.gateway('/room/get_chatroom_detail', { guid: alice.guid, room_username: '12345678901@chatroom' })), [404, 40420, -21]);
      assert.deepEqual(await refused(h.direct('/room/add_chatroom_member', { guid: alice.guid, room_username: room, username_list: [bob.wxid] })), [409, 40922, -2]);
      assert.deepEqual(await refused(h.direct('/sandbox/room/set_admin', { room_username: room, wxid: bob.wxid, member_wxid: carol })), [403, 40320, -66]);
      const noInvite = await h.direct('/sandbox/room/join', { room_username: room, wxid: carol });
      assert.deepEqual([noInvite.status, noInvite.body.code], [404, 40426]);

      // Carol (simulated) creates a second room with both accounts and appoints Bob; Alice posts, Carol comments.
      const second = (await ok(h.direct('/sandbox/room/create', { owner_wxid: carol, member_wxids: [alice.wxid, bob.wxid], name: '读书会' }))).room_username;
      await ok(h.direct('/sandbox/room/set_admin', { room_username: second, wxid: carol, member_wxid: bob.wxid }));
      await ok(h.direct('/room/set_chatroom_announcement', { guid: bob.guid, room_username: second, announcement: '本周读《活着》' }));
      const label = (await ok(h.direct('/label/add_contact_label', { guid: alice.guid, label_name: '书友' }))).labelPairList[0].labelId;
      await ok(h.direct('/label/modify_contact_label_list', { guid: alice.guid, username_list: [carol], label_id_list: [label] }));
      const post = (await ok(h.gateway('/sns/sns_post', { guid: alice.guid, object_desc: textPost('读完了'), group_contact_tag_id_list: [label] }))).snsObject.id;
      await ok(h.direct('/sandbox/sns/comment', { wxid: carol, object_id: post, content: '怎么样' }));
      assert.deepEqual(await ok(h.direct('/sandbox/sns/like', { wxid: carol, object_id: post })), { like_count: 1 });
      const hidden = await h.direct('/sandbox/sns/like', { wxid: bob.wxid, object_id: post });
      assert.deepEqual([hidden.status, hidden.body.code, hidden.body.data.baseResponse.ret], [404, 40423, -203], 'Bob is not in the label');
      const bobPost = (await ok(h.direct('/sandbox/sns/post', { wxid: bob.wxid, content: '你好' }))).object_id;

      const before = {
        members: await ok(h.direct('/room/get_chatroom_member_detail', { guid: alice.guid, room_username: room })),
        detail: await ok(h.direct('/room/get_chatroom_detail', { guid: alice.guid, room_username: second })),
        labels: await ok(h.direct('/label/get_contact_label_list', { guid: alice.guid })),
        post: await ok(h.direct('/sns/sns_object_detail', { guid: alice.guid, object_id: post })),
        timeline: await ok(h.direct('/sns/sns_timeline', { guid: alice.guid })),
      };
      assert.deepEqual(before.timeline.objectList.map((o: { id: string }) => o.id), [bobPost, post]);
      h = await h.restart();
      assert.deepEqual(await ok(h.direct('/room/get_chatroom_member_detail', { guid: alice.guid, room_username: room })), before.members);
      assert.deepEqual(await ok(h.direct('/room/get_chatroom_detail', { guid: alice.guid, room_username: second })), before.detail);
      assert.deepEqual(await ok(h.direct('/label/get_contact_label_list', { guid: alice.guid })), before.labels);
      assert.deepEqual(await ok(h.direct('/sns/sns_object_detail', { guid: alice.guid, object_id: post })), before.post);

      // Carol dissolves her room: both accounts hear 1045; the room is gone.
      const markBob = (await outbox(h, bob.guid)).length;
      assert.deepEqual(await ok(h.direct('/sandbox/room/dissolve', { room_username: second, wxid: carol })), { members_removed: 3 });
      assert.deepEqual((await outbox(h, bob.guid)).slice(markBob).map((e) => e.notifyType), [1045]);
      assert.deepEqual(await refused(h.direct('/room/get_chatroom_detail', { guid: bob.guid, room_username: second })), [404, 40420, -21]);

      // A world reset takes rooms, labels and posts with it.
      await ok(h.direct('/sandbox/world/reset', {}));
      const again = await loggedIn(h, { nickname: 'Again' });
      assert.deepEqual(await refused(h.direct('/room/get_chatroom_detail', { guid: again.guid, room_username: room })), [404, 40420, -21]);
      assert.deepEqual((await ok(h.direct('/label/get_contact_label_list', { guid: again.guid }))).labelPairList, []);
      assert.equal((await h.direct('/sns/sns_object_detail', { guid: again.guid, object_id: post })).body.code, 40423);
    } finally {
      await h.close();
    }
  });

  test('another app sees none of the rooms, labels or posts', async () => {
    const h = await startHarness();
    try {
      const other = await createTenant(h);
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const friends = [];
      for (const nickname of ['F1', 'F2']) friends.push((await ok(h.direct('/sandbox/people/create', { nickname, friends: [alice.wxid] }))).wxid);
      const room = (await ok(h.direct('/room/create_chatroom', { guid: alice.guid, username_list: friends }))).chatRoomName.string;
      const post = (await ok(h.direct('/sns/sns_post', { guid: alice.guid, object_desc: textPost('hi') }))).snsObject.id;
      const stranger = await loggedIn(h, { nickname: 'Elsewhere' }, other);
      assert.deepEqual(await refused(h.direct('/room/get_chatroom_detail', { guid: stranger.guid, room_username: room }, other)), [404, 40420, -21]);
      assert.equal((await h.direct('/sandbox/room/join', { room_username: room, wxid: stranger.wxid }, other)).body.code, 40420);
      assert.equal((await h.direct('/sns/sns_object_detail', { guid: stranger.guid, object_id: post }, other)).body.code, 40423);
      assert.equal((await h.direct('/sandbox/sns/comment', { wxid: friends[0], object_id: post, content: 'x' }, other)).body.code, 40412);
    } finally {
      await h.close();
    }
  });

  test('new-device risk control (off by default): no Moments posts or friend adds in a device\'s first 3 days, then allowed', async () => {
    assert.equal(loadConfig({}).newDeviceRiskControl, false);
    assert.equal(loadConfig({ WXGATE_NEW_DEVICE_RISK_CONTROL: 'true' }).newDeviceRiskControl, true);
    assert.throws(() => loadConfig({ WXGATE_NEW_DEVICE_RISK_CONTROL: 'sometimes' }), /WXGATE_NEW_DEVICE_RISK_CONTROL/);

    const off = await startHarness();
    try {
      const alice = await loggedIn(off);
      await ok(off.direct('/sns/sns_post', { guid: alice.guid, object_desc: textPost('day one') }));
    } finally {
      await off.close();
    }

    const h = await startHarness({ newDeviceRiskControl: true });
    try {
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const loginAt = Math.floor(h.clock.now() / 1000);
      const bob = (await ok(h.direct('/sandbox/people/create', { nickname: 'Bob', friends: [alice.wxid] }))).wxid;
      const carol = (await ok(h.direct('/sandbox/people/create', { nickname: 'Carol', friends: [bob] }))).wxid;
      const room = (await ok(h.direct('/sandbox/room/create', { owner_wxid: bob, member_wxids: [alice.wxid, carol] }))).room_username;

      h.clock.advance(2 * 24 * 3600_000);
      const post = await h.direct('/sns/sns_post', { guid: alice.guid, object_desc: textPost('too early') });
      assert.deepEqual([post.status, post.body.code, post.body.data.baseResponse.ret, post.body.data.allowed_after], [403, 40322, -24, loginAt + 3 * 86_400]);
      assert.match(post.body.message, /3 days/);
      assert.deepEqual(await refused(h.direct('/contact/add_friend', { guid: alice.guid, username: carol, scene: 3 })), [403, 40322, -24]);
      assert.deepEqual(await refused(h.direct('/room/add_chatroom_member_friend', { guid: alice.guid, room_username: room, username: carol })), [403, 40322, -24]);
      assert.equal((await ok(h.direct('/sns/sns_timeline', { guid: alice.guid }))).objectCount, 0, 'nothing was posted');
      // Answering others is not adding: a request Carol sends can be accepted.
      const request = await ok(h.direct('/sandbox/friend/request', { from_wxid: carol, to_wxid: alice.wxid }));
      await ok(h.direct('/contact/verify_friend', { guid: alice.guid, username: request.encryptusername, ticket: request.ticket, opcode: 3 }));

      h.clock.advance(24 * 3600_000);
      await ok(h.direct('/sns/sns_post', { guid: alice.guid, object_desc: textPost('day four') }));
      // A second device starts its own 3 days.
      const tablet = await h.createInstance();
      await ok(h.direct('/login/get_login_qrcode', { guid: tablet }));
      await ok(h.direct('/sandbox/login/scan', { guid: tablet, action: 'scan', wxid: alice.wxid }));
      await ok(h.direct('/sandbox/login/scan', { guid: tablet, action: 'confirm' }));
      assert.deepEqual(await refused(h.direct('/sns/sns_post', { guid: tablet, object_desc: textPost('new tablet') })), [403, 40322, -24]);
    } finally {
      await h.close();
    }
  });
});
