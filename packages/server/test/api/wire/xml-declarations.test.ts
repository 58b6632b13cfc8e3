// Every request field that carries XML refuses DTD declarations (billion laughs, external entities) with a 422 naming
// the field, on both transports, and nothing is sent, posted or pinned; the same bodies without the DTD go through;
// through the relay they are refused before the upstream sees them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hostileVariants } from '../../hostile-xml.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { startRelayPair, type RelayPair } from '../../relay-harness.ts';
import { loggedIn, ok, outbox } from '../../sandbox-helpers.ts';

const APP_MSG = (title: string) => `<msg><appmsg appid="" sdkver="0"><title>${title}</title><type>5</type><url>https://example.com/</url></appmsg></msg>`;
const POST = (text: string) => `<TimelineObject><contentDesc>${text}</contentDesc><ContentObject><contentStyle>2</contentStyle></ContentObject></TimelineObject>`;
const SOURCE = (text: string) => `<msgsource><silence>0</silence><signature>${text}</signature></msgsource>`;

describe('XML with declarations', () => {
  let h: Harness;
  let me: { guid: string; wxid: string };
  let friend: string;
  let room: string;
  let roomMsgId: string;
  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    me = await loggedIn(h, { nickname: 'Me' });
    friend = (await ok(h.direct('/sandbox/people/create', { nickname: 'Friend', friends: [me.wxid] }))).wxid;
    const other = (await ok(h.direct('/sandbox/people/create', { nickname: 'Other', friends: [me.wxid, friend] }))).wxid;
    room = (await ok(h.direct('/room/create_chatroom', { guid: me.guid, username_list: [friend, other] }))).chatRoomName.string;
    roomMsgId = (await ok(h.direct('/msg/send_text', { guid: me.guid, to_username: room, content: 'pin me' }))).list[0].newMsgId;
  });
  after(() => h.close());

  /** Everything a send, post or pin would change: callbacks, the archive both ways, the timeline, the pinned list. */
  async function worldState() {
    return {
      events: (await outbox(h, me.guid)).length,
      direct: (await ok(h.direct('/sandbox/messages/list', { wxid: friend }))).messages.length,
      inRoom: (await ok(h.direct('/sandbox/messages/list', { wxid: friend, talker: room }))).messages.length,
      timeline: (await ok(h.direct('/sns/sns_timeline', { guid: me.guid }))).objectCount,
      pinned: (await ok(h.direct('/room/get_top_msg_list', { guid: me.guid, room_username: room }))).count,
    };
  }

  const msgInfo = (content: string) => ({
    from_username: room, to_username: me.wxid, chatroom_sender: me.wxid, create_time: 1, desc: '', msg_id: roomMsgId,
    msg_type: 49, chatroom: room, source: '', content,
  });
  const referMsg = (content: string, source = '') => ({ msg_type: 49, msg_id: '1', from_username: friend, from_nickname: 'F', source, content });
  const card = (text: string) => `<msg username="${friend}" nickname="F">${text}</msg>`;

  /** Each XML field: the body around a document, and the document (its root and its text); `document('x')` is served. */
  const FIELDS: ReadonlyArray<{ path: string; loc: string[]; body: (xml: string) => Record<string, unknown>; root: string; document: (text: string) => string }> = [
    { path: '/msg/send_share_card_raw', loc: ['xml'], body: (xml) => ({ guid: me.guid, to_username: friend, xml }), root: 'msg', document: card },
    { path: '/msg/send_app_msg', loc: ['xml'], body: (xml) => ({ guid: me.guid, to_username: friend, appid: '', xml }), root: 'msg', document: APP_MSG },
    { path: '/sns/sns_post', loc: ['object_desc'], body: (xml) => ({ guid: me.guid, object_desc: xml }), root: 'TimelineObject', document: POST },
    { path: '/sns/sns_post', loc: ['object_desc'], body: (xml) => ({ guid: me.guid, object_desc: Buffer.from(xml).toString('base64') }), root: 'TimelineObject', document: POST },
    { path: '/sandbox/sns/post', loc: ['object_desc'], body: (xml) => ({ wxid: friend, object_desc: xml }), root: 'TimelineObject', document: POST },
    { path: '/msg/send_refer_msg', loc: ['refer_msg', 'content'], body: (xml) => ({ guid: me.guid, to_username: friend, content: 'reply', refer_msg: referMsg(xml) }), root: 'msg', document: APP_MSG },
    { path: '/msg/send_refer_msg', loc: ['refer_msg', 'source'], body: (xml) => ({ guid: me.guid, to_username: friend, content: 'reply', refer_msg: referMsg(APP_MSG('q'), xml) }), root: 'msgsource', document: SOURCE },
    { path: '/room/set_top_msg', loc: ['msg_info', 'content'], body: (xml) => ({ guid: me.guid, room_username: room, summary: 's', msg_info: msgInfo(xml) }), root: 'msg', document: APP_MSG },
  ];

  test('every XML field refuses each declaration with a 422 naming it, changing nothing; without the DTD it goes through', async () => {
    let sent = 0;
    for (const field of FIELDS) {
      for (const [name, xml] of Object.entries(hostileVariants(field.root, field.document))) {
        const state = await worldState();
        const body = field.body(xml);
        // Both transports, alternately.
        const res = sent++ % 2 === 0 ? await h.gateway(field.path, body) : await h.direct(field.path, body);
        const where = `${field.path} ${field.loc.join('.')} ${name}`;
        assert.equal(res.status, 422, `${where}: ${res.text}`);
        assert.deepEqual(res.body.detail.map((i: { loc: unknown[] }) => i.loc), [['body', ...field.loc]], where);
        assert.match(res.body.detail[0].msg, /declarations/, where);
        assert.deepEqual(await worldState(), state, `${where} changed the world`);
      }
      // The declaration is what refused them: the same document without it is served, and shows in the state compared above.
      const state = await worldState();
      await ok(h.direct(field.path, field.body(field.document('x'))));
      assert.notDeepEqual(await worldState(), state, `${field.path} ${field.loc.join('.')} without the DTD`);
    }
  });

  test('a quoted or pinned text message is text: declaration-looking words in it are not refused', async () => {
    const text = '<!DOCTYPE is just a word in a text message';
    const sent = await ok(h.direct('/msg/send_refer_msg', { guid: me.guid, to_username: friend, content: 'reply', refer_msg: { ...referMsg(text), msg_type: 1 } }));
    assert.equal(sent.baseResponse.ret, 0);
    await ok(h.direct('/room/set_top_msg', { guid: me.guid, room_username: room, summary: 's', msg_info: { ...msgInfo(text), msg_type: 1 } }));
    const pinned = await ok(h.direct('/room/get_top_msg_list', { guid: me.guid, room_username: room }));
    assert.ok(pinned.topMsgList.some((m: { msgInfo: { content: string } }) => m.msgInfo.content === text), JSON.stringify(pinned));
  });
});

describe('XML with declarations through the relay', () => {
  let pair: RelayPair;
  let guid: string;
  before(async () => {
    pair = await startRelayPair();
    guid = await pair.relay.createInstance({ auto_start: true });
  });
  after(() => pair.close());

  /** Calls of `path` the upstream received (fastify logs each incoming request). */
  const upstreamSaw = (path: string) => pair.upstream.logs.filter((l) => l.includes('incoming request') && l.includes(path)).length;

  test('the relay refuses them at validation, before anything reaches the upstream', async () => {
    const cases = [
      { path: '/msg/send_share_card_raw', loc: ['xml'], root: 'msg', body: (xml: string) => ({ guid, to_username: 'wxid_friend', xml }) },
      { path: '/msg/send_app_msg', loc: ['xml'], root: 'msg', body: (xml: string) => ({ guid, to_username: 'wxid_friend', appid: '', xml }) },
      { path: '/sns/sns_post', loc: ['object_desc'], root: 'TimelineObject', body: (xml: string) => ({ guid, object_desc: Buffer.from(xml).toString('base64') }) },
      { path: '/msg/send_refer_msg', loc: ['refer_msg', 'source'], root: 'msgsource', body: (xml: string) => ({ guid, to_username: 'wxid_friend', content: 'r', refer_msg: { msg_type: 1, msg_id: '1', from_username: 'wxid_b', source: xml, content: 'q' } }) },
    ];
    for (const c of cases) {
      for (const [name, xml] of Object.entries(hostileVariants(c.root, (text) => `<${c.root}>${text}</${c.root}>`))) {
        const res = await pair.relay.direct(c.path, c.body(xml));
        assert.equal(res.status, 422, `${c.path} ${name}: ${res.text}`);
        assert.deepEqual(res.body.detail[0].loc, ['body', ...c.loc], `${c.path} ${name}`);
      }
      assert.equal(upstreamSaw(c.path), 0, `${c.path} reached the upstream`);
    }
  });
});
