// Junk bodies on every /room, /label, /sns, /sandbox/room and /sandbox/sns endpoint, from a logged-in account with a
// real room, label and post (so valid bodies with a field or two spoiled reach the world's rules), never produce a
// 5xx (501 "not supported" excepted).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { endpointList, type EndpointSpec } from '@wxgate/contract';
import { fuzzEndpoints, junkBody } from '../../fuzz-bodies.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { ok } from '../../sandbox-helpers.ts';

interface Known { guid: string; me: string; friend: string; other: string; room: string; post: string }

const TEXT_POST = '<TimelineObject><contentDesc>x</contentDesc><ContentObject><contentStyle>2</contentStyle></ContentObject></TimelineObject>';

/** A body each endpoint would accept, to spoil a field or two at a time. */
function validBody(path: string, k: Known): Record<string, unknown> | undefined {
  const inRoom = { room_username: k.room };
  const msgInfo = { from_username: k.room, to_username: k.me, chatroom_sender: k.friend, create_time: 1, desc: '', msg_id: '1', msg_type: 1, chatroom: k.room, source: '', content: 'x' };
  const bodies: Record<string, Record<string, unknown>> = {
    '/room/get_chatroom_detail': inRoom,
    '/room/get_chatroom_member_detail': { ...inRoom, version: 0 },
    '/room/create_chatroom': { username_list: [k.friend, k.other] },
    '/room/add_chatroom_member': { ...inRoom, username_list: [k.other] },
    '/room/invite_chatroom_member': { ...inRoom, username_list: [k.other] },
    '/room/del_chatroom_member': { ...inRoom, username_list: [k.other] },
    '/room/modify_chatroom_name': { ...inRoom, name: '群' },
    '/room/set_chatroom_announcement': { ...inRoom, announcement: '公告' },
    '/room/modify_chatroom_display_name': { ...inRoom, display_name: '我' },
    '/room/modify_chatroom_show_name_flag': { ...inRoom, status: 1 },
    '/room/modify_chatroom_contact_flag': { ...inRoom, status: 1 },
    '/room/modify_chatroom_fold_flag': { ...inRoom, status: 1 },
    '/room/modify_chatroom_disturb_flag': { ...inRoom, status: 1 },
    '/room/modify_chatroom_top_flag': { ...inRoom, status: 1 },
    '/room/add_chatroom_member_friend': { ...inRoom, username: k.friend, verify_content: 'hi' },
    '/room/quit_chatroom': inRoom,
    '/room/tranfer_chatroom_owner': { ...inRoom, username: k.friend },
    '/room/set_top_msg': { ...inRoom, summary: 's', msg_info: msgInfo },
    '/room/remove_top_msg': { ...inRoom, msg_id: '1' },
    '/room/get_top_msg_list': inRoom,
    '/room/get_chatroom_qrcode': inRoom,
    '/label/get_contact_label_list': {},
    '/label/add_contact_label': { label_name: 'L' },
    '/label/update_contact_label': { label_id: 1, label_name: 'M' },
    '/label/del_contact_label': { label_id: 1 },
    '/label/modify_contact_label_list': { username_list: [k.friend], label_id_list: [1] },
    '/label/get_contacts': { label_id_list: [1] },
    '/label/get_label_usage_amount': { label_id_list: [1] },
    '/sns/sns_timeline': { max_id: k.post, first_page_md5: '' },
    '/sns/sns_userpage': { username: k.friend, max_id: '' },
    '/sns/sns_post': { object_desc: TEXT_POST, group_user_list: [k.friend] },
    '/sns/sns_object_detail': { object_id: k.post },
    '/sns/sns_comment': { object_id: k.post, content: 'c', reply_comment_id: '1' },
    '/sns/sns_delete_comment': { object_id: k.post, comment_id: '1' },
    '/sns/sns_like': { object_id: k.post, status: 1 },
    '/sns/sns_delete': { object_id: k.post },
    '/sandbox/room/create': { owner_wxid: k.friend, member_wxids: [k.me, k.other] },
    '/sandbox/room/join': { room_username: k.room, wxid: k.other },
    '/sandbox/room/set_admin': { room_username: k.room, wxid: k.me, member_wxid: k.friend },
    '/sandbox/room/dissolve': { room_username: k.room, wxid: k.me },
    '/sandbox/sns/post': { wxid: k.friend, content: 'p' },
    '/sandbox/sns/comment': { wxid: k.friend, object_id: k.post, content: 'c' },
    '/sandbox/sns/like': { wxid: k.friend, object_id: k.post, status: 1 },
  };
  return bodies[path];
}

function junkFor(spec: EndpointSpec, k: Known): fc.Arbitrary<Record<string, unknown>> {
  return junkBody(spec, {
    guid: k.guid,
    plausible: [
    k.me, k.friend, k.other, k.room, k.post, '12345678901@chatroom', '0', '1', '-1', '', ' ', '18446744073709551616', '9'.repeat(40),
    '<TimelineObject>', '<TimelineObject><username>wxid_else</username></TimelineObject>', Buffer.from(TEXT_POST).toString('base64'),
    '<![CDATA[', '长'.repeat(3000), 'notify@all',,
    ],
    template: validBody(spec.path, k),
  });
}

/** Calls that end the room or the post run last, so the others meet them alive. */
const ENDINGS = ['/room/quit_chatroom', '/room/tranfer_chatroom_owner', '/sns/sns_delete', '/sandbox/room/dissolve'];

describe('fuzz: rooms, labels, Moments', () => {
  let h: Harness;
  let known: Known;
  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    const guid = await h.createInstance();
    const me = (await ok(h.direct('/sandbox/people/create', { nickname: 'Fuzz' }))).wxid;
    const friend = (await ok(h.direct('/sandbox/people/create', { nickname: 'Friend', friends: [me] }))).wxid;
    const other = (await ok(h.direct('/sandbox/people/create', { nickname: 'Other', friends: [me, friend] }))).wxid;
    await ok(h.direct('/login/get_login_qrcode', { guid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid: me }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
    const room = (await ok(h.direct('/room/create_chatroom', { guid, username_list: [friend, other] }))).chatRoomName.string;
    const post = (await ok(h.direct('/sns/sns_post', { guid, object_desc: TEXT_POST }))).snsObject.id;
    known = { guid, me, friend, other, room, post };
  });
  after(() => h.close());

  test('every room, label, sns and their /sandbox endpoint survives junk on both transports', async () => {
    const specs = endpointList
      .filter((e) => ['room', 'label', 'sns'].includes(e.module) || /^\/sandbox\/(room|sns)\//.test(e.path))
      .sort((a, b) => Number(ENDINGS.includes(a.path)) - Number(ENDINGS.includes(b.path)));
    assert.equal(specs.length, 21 + 7 + 8 + 7);
    const codes = await fuzzEndpoints(h, specs, (spec) => junkFor(spec, known), { numRuns: 25, seed: 4040, allow501: true });
    for (const status of [200, 403, 404, 409, 422]) assert.ok((codes.get(status) ?? 0) > 0, `saw ${JSON.stringify([...codes])}`);
    assert.equal((await h.direct('/client/get_client_status', { guid: known.guid })).body.data.status, 2);
  });
});
