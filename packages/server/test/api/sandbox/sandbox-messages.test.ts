// Messages in the sandbox over HTTP: every non-media send through both transports reaches the receiver's webhook as
// the 1010 WeChat would produce (fields and parsed XML); refusals carry WeChat's ret; revoke honours the 2-minute
// window; /sandbox/messages/* plays the other side.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { startHarness, type Harness } from '../../harness.ts';
import { Receiver, type Received } from '../../receiver.ts';
import { friendsAliceAndBob, loggedIn as loggedInAccount, ok } from '../../sandbox-helpers.ts';

const FAST = { webhook: { timeoutMs: 2000, retrySchedule: [0, 0.05, 0.1], maxInFlight: 64 } };
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const parse = (text: string): any => xml.parse(text);

const HEX_ID = '3057020100044b30490201000204a1d3b7f402032f55f90204' + 'cd'.repeat(20);
const AES = 'fedcba9876543210fedcba9876543210';
const MD5 = '0cc175b9c0f1b6a831c399e269772661';

type Transport = 'direct' | 'gateway';

/** The newMsgId a send answered, whatever its WeChat shape. */
const newMsgIdOf = (data: any): string => data.list?.[0]?.newMsgId ?? data.newMsgId ?? data.emojiItem?.[0]?.newMsgId;

interface SendCase {
  readonly path: string;
  readonly body: (peer: string) => Record<string, unknown>;
  readonly msgType: number;
  /** Checks the parsed content the receiver got. */
  readonly check: (content: string, ctx: { alice: string; bob: string }) => void;
}

const SENDS: readonly SendCase[] = [
  { path: '/msg/send_text', body: (to) => ({ to_username: to, content: '你好 <b>&' }), msgType: 1, check: (c) => assert.equal(c, '你好 <b>&') },
  {
    path: '/msg/send_location', msgType: 48,
    body: (to) => ({ to_username: to, latitude: 31.2304, longitude: 121.4737, title: '外滩', address: '中山东一路' }),
    check: (c, { alice }) => assert.deepEqual(pick(parse(c).msg.location, 'x', 'y', 'poiname', 'label', 'fromusername'), ['31.2304', '121.4737', '外滩', '中山东一路', alice]),
  },
  {
    path: '/msg/send_share_card', msgType: 42,
    body: (to) => ({ to_username: to, share_username: 'wxid_sharedperson01', share_nickname: '名片人', share_head_img: 'https://h.example/1.jpg' }),
    check: (c) => assert.deepEqual(pick(parse(c).msg, 'username', 'nickname', 'smallheadimgurl'), ['wxid_sharedperson01', '名片人', 'https://h.example/1.jpg']),
  },
  {
    path: '/msg/send_share_card_raw', msgType: 42,
    body: (to) => ({ to_username: to, xml: '<msg username="wxid_rawcard000001" nickname="Raw" />' }),
    check: (c) => assert.equal(c, '<msg username="wxid_rawcard000001" nickname="Raw" />'),
  },
  {
    path: '/msg/send_link_card_cdn', msgType: 49,
    body: (to) => ({ to_username: to, title: 'Link', desc: 'Desc', url: 'https://example.com/x', thumb_file_id: HEX_ID, thumb_aes_key: AES, thumb_file_size: 321, thumb_file_md5: MD5 }),
    check: (c) => {
      const a = parse(c).msg.appmsg;
      assert.deepEqual([a.type, a.title, a.url, a.appattach.cdnthumburl, a.appattach.cdnthumbmd5], ['5', 'Link', 'https://example.com/x', HEX_ID, MD5]);
    },
  },
  {
    path: '/msg/send_app_msg', msgType: 49,
    body: (to) => ({ to_username: to, app_type: 5, appid: '', xml: '<appmsg appid="" sdkver="0"><title>Raw link</title><type>5</type><url>https://r.example</url></appmsg>' }),
    check: (c, { alice }) => {
      const m = parse(c).msg;
      assert.deepEqual([m.appmsg.type, m.appmsg.title, m.fromusername], ['5', 'Raw link', alice]);
    },
  },
  {
    path: '/msg/send_mini_app', msgType: 49,
    body: (to) => ({
      to_username: to, username: 'gh_miniprogram01@app', appid: 'wx0123456789abcdef', appname: 'Mini', appicon: '', title: 'Open me', page_path: 'pages/a.html',
      file_id: HEX_ID, aes_key: AES, file_size: 99, file_md5: MD5,
    }),
    check: (c) => {
      const a = parse(c).msg.appmsg;
      assert.deepEqual([a.type, a.title, a.weappinfo.appid, a.weappinfo.pagepath], ['33', 'Open me', 'wx0123456789abcdef', 'pages/a.html']);
    },
  },
  {
    path: '/msg/send_finder_video', msgType: 49,
    body: (to) => ({ to_username: to, object_id: '1400000000000000001', username: 'v2_author@finder', nickname: 'Author', url: 'https://f.example/v', desc: 'clip' }),
    check: (c) => {
      const a = parse(c).msg.appmsg;
      assert.deepEqual([a.type, a.finderFeed.objectId, a.finderFeed.username, a.finderFeed.desc], ['51', '1400000000000000001', 'v2_author@finder', 'clip']);
    },
  },
  {
    path: '/msg/send_emoji', msgType: 47,
    body: (to) => ({ to_username: to, file_id: HEX_ID, aes_key: AES, file_size: 777, file_md5: MD5 }),
    check: (c) => assert.deepEqual(pick(parse(c).msg.emoji, 'md5', 'len', 'cdnurl'), [MD5, '777', HEX_ID]),
  },
  {
    path: '/msg/send_emoji_md5', msgType: 47,
    body: (to) => ({ to_username: to, file_md5: MD5, file_size: 777 }),
    check: (c) => assert.equal(parse(c).msg.emoji.md5, MD5),
  },
  {
    path: '/msg/send_emoji_url', msgType: 47,
    body: (to) => ({ to_username: to, url: 'https://emoji.example/wave.gif' }),
    check: (c) => assert.equal(parse(c).msg.emoji.externurl, 'https://emoji.example/wave.gif'),
  },
  {
    path: '/msg/send_pat', msgType: 10002,
    body: (to) => ({ to_username: to, patted_username: to }),
    check: (c, { alice, bob }) => assert.deepEqual(pick(parse(c).sysmsg.pat, 'fromusername', 'pattedusername'), [alice, bob]),
  },
];

function pick(o: Record<string, unknown>, ...keys: string[]): unknown[] {
  return keys.map((k) => o[k]);
}

describe('sandbox messages over HTTP', () => {
  let h: Harness;
  let receiver: Receiver;
  let a: { guid: string; wxid: string };
  let b: { guid: string; wxid: string };

  const loggedIn = (nickname: string) => loggedInAccount(h, { nickname });

  const call = (transport: Transport, path: string, body: Record<string, unknown>) => (transport === 'direct' ? h.direct(path, body) : h.gateway(path, body));
  const newMsgFor = (guid: string, msgId: string): Promise<Received> => receiver.newMsg(guid, msgId);

  before(async () => {
    h = await startHarness(FAST, undefined, { realTime: true });
    receiver = await new Receiver().start();
    ({ a, b } = await friendsAliceAndBob(h, receiver.url));
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  for (const transport of ['direct', 'gateway'] as const) {
    test(`every non-media send through the ${transport} transport reaches the receiver's webhook as WeChat's 1010`, async () => {
      for (const send of SENDS) {
        const data = await ok(call(transport, send.path, { guid: a.guid, ...send.body(b.wxid) }));
        assert.equal(data.baseResponse.ret, 0, send.path);
        const msgId = newMsgIdOf(data);
        assert.match(msgId, /^[1-9]\d*$/, send.path);
        assert.equal(data.list[0].newMsgId, msgId, `${send.path}: list[0].newMsgId`);
        const got = (await newMsgFor(b.guid, msgId)).json.data;
        assert.deepEqual(
          [got.from_username, got.to_username, got.chatroom_sender, got.chatroom, got.is_chatroom_msg, got.msg_type],
          [a.wxid, b.wxid, '', '', 0, send.msgType],
          send.path,
        );
        assert.ok(parse(got.source).msgsource, `${send.path}: <msgsource>`);
        send.check(got.content, { alice: a.wxid, bob: b.wxid });
      }
    });
  }

  test('quote of a quote over HTTP, and raw response mode keeps the WeChat object at the top level', async () => {
    const first = await ok(h.gateway('/msg/send_text', { guid: b.guid, to_username: a.wxid, content: 'question?' }));
    const reply = await ok(h.direct('/msg/send_refer_msg', {
      guid: a.guid, to_username: b.wxid, content: 'answer', refer_msg: { msg_type: 1, msg_id: first.list[0].newMsgId, from_username: b.wxid },
    }));
    const again = await ok(h.gateway('/msg/send_refer_msg', {
      guid: b.guid, to_username: a.wxid, content: 'thanks', refer_msg: { msg_type: 49, msg_id: reply.newMsgId, from_username: a.wxid },
    }));
    const onA = await ok(h.direct('/sandbox/messages/list', { wxid: a.wxid, talker: b.wxid }));
    const thanks = onA.messages.find((m: any) => m.msg_id === again.newMsgId);
    const refer = parse(thanks.content).msg.appmsg.refermsg;
    assert.equal(refer.svrid, reply.newMsgId);
    assert.equal(parse(refer.content).msg.appmsg.title, 'answer');
    assert.equal(parse(refer.content).msg.appmsg.refermsg, undefined);
    assert.equal(parse((await newMsgFor(b.guid, reply.newMsgId)).json.data.content).msg.appmsg.refermsg.content, 'question?');

    await ok(h.admin('/admin/set_app_mode', { app_key: h.appKey, mode: 'raw' }));
    try {
      const raw = await h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'raw mode' });
      assert.equal(raw.status, 200);
      assert.equal(raw.body.baseResponse.ret, 0);
      assert.match(raw.body.list[0].newMsgId, /^\d+$/);
    } finally {
      await ok(h.admin('/admin/set_app_mode', { app_key: h.appKey, mode: 'standard' }));
    }
  });

  test('revoke: inside 2 minutes the receiver gets revokemsg; outside, 409 with WeChat\'s ret -430', async () => {
    const sent = await ok(h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'oops' }));
    const msgId = sent.list[0].newMsgId;
    h.clock.advance(60_000);
    await ok(h.gateway('/msg/revoke_msg', { guid: a.guid, to_username: b.wxid, msg_id: msgId, client_msg_id: sent.list[0].clientMsgId }));
    const match = (r: Received) => r.json.guid === b.guid && r.json.data?.msg_type === 10002 && r.json.data.content.includes(msgId);
    await receiver.until((all) => all.some(match));
    const revoke = parse(receiver.received.find(match)!.json.data.content).sysmsg.revokemsg;
    assert.deepEqual([revoke.newmsgid, revoke.replacemsg], [msgId, '"Alice" 撤回了一条消息']);

    const late = await ok(h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'too late' }));
    h.clock.advance(121_000);
    const refused = await h.direct('/msg/revoke_msg', { guid: a.guid, to_username: b.wxid, msg_id: late.list[0].newMsgId });
    assert.deepEqual([refused.status, refused.body.code, refused.body.data.baseResponse.ret], [409, 40941, -430]);
  });

  test('refusals over HTTP: deleted friend 409/-44, unknown user 404/-4, risk control 403/-106, too long 413, bad fields 422', async () => {
    const carol = await loggedIn('Carol');
    await ok(h.direct('/sandbox/friend/request', { from_wxid: carol.wxid, to_wxid: a.wxid }));
    await ok(h.direct('/sandbox/friend/accept', { from_wxid: carol.wxid, to_wxid: a.wxid }));
    await ok(h.direct('/contact/del_friend', { guid: carol.guid, username: a.wxid }));
    const deleted = await h.gateway('/msg/send_text', { guid: a.guid, to_username: carol.wxid, content: 'still there?' });
    assert.deepEqual([deleted.status, deleted.body.code, deleted.body.data.baseResponse.ret], [409, 40910, -44]);
    const unknown = await h.direct('/msg/send_location', { guid: a.guid, to_username: 'wxid_ghost000000000', latitude: 1, longitude: 2 });
    assert.deepEqual([unknown.status, unknown.body.code, unknown.body.data.baseResponse.ret], [404, 40410, -4]);

    const restricted = await ok(h.direct('/sandbox/messages/restrict', { wxid: a.wxid, seconds: 300 }));
    assert.ok(restricted.until > 0);
    const muted = await h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'muted' });
    assert.deepEqual([muted.status, muted.body.code, muted.body.data.baseResponse.ret], [403, 40340, -106]);
    assert.deepEqual(await ok(h.direct('/sandbox/messages/restrict', { wxid: a.wxid, seconds: 0 })), { until: 0 });

    const long = await h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'x'.repeat(16_385) });
    assert.deepEqual([long.status, long.body.code], [413, 41340]);
    const badLocation = await h.direct('/msg/send_location', { guid: a.guid, to_username: b.wxid, latitude: 91, longitude: 0 });
    assert.deepEqual([badLocation.status, badLocation.body.errors[0].loc], [422, ['body', 'latitude']]);
    const badXml = await h.direct('/msg/send_app_msg', { guid: a.guid, to_username: b.wxid, appid: '', xml: '<appmsg><type>5</type>' });
    assert.deepEqual([badXml.status, badXml.body.errors[0].loc], [422, ['body', 'xml']]);
  });

  test('/sandbox/messages: a simulated person sends and revokes, the list reads both sides without consuming, read marks show', async () => {
    const dave = await ok(h.direct('/sandbox/people/create', { nickname: 'Dave', friends: [b.wxid] }));
    const sent = await ok(h.direct('/sandbox/messages/send', { from_wxid: dave.wxid, path: '/msg/send_text', body: { to_username: b.wxid, content: 'from Dave' } }));
    assert.deepEqual([sent.from_username, sent.to_username, sent.msg_type, sent.content, sent.revoked], [dave.wxid, b.wxid, 1, 'from Dave', false]);
    const got = (await newMsgFor(b.guid, sent.msg_id)).json.data;
    assert.deepEqual([got.from_username, got.desc], [dave.wxid, 'Dave : from Dave']);

    const revoke = await ok(h.gateway('/sandbox/messages/revoke', { wxid: dave.wxid, to_username: b.wxid, msg_id: sent.msg_id }));
    assert.deepEqual([revoke.msg_type, revoke.revokes_msg_id], [10002, sent.msg_id]);
    await newMsgFor(b.guid, revoke.msg_id);

    const answer = await ok(h.direct('/msg/send_text', { guid: b.guid, to_username: dave.wxid, content: 'hi Dave' }));
    const page = await ok(h.direct('/sandbox/messages/list', { wxid: dave.wxid, talker: b.wxid }));
    assert.deepEqual(page.messages.map((m: any) => [m.msg_id, m.revoked]), [[sent.msg_id, true], [revoke.msg_id, false], [answer.list[0].newMsgId, false]]);
    assert.equal(page.messages[2].unread, true);
    assert.deepEqual(await ok(h.direct('/sandbox/messages/list', { wxid: dave.wxid, talker: b.wxid })), page, 'reading consumes nothing');
    const next = await ok(h.direct('/sandbox/messages/list', { wxid: dave.wxid, after_seq: page.next_seq }));
    assert.deepEqual(next.messages, []);

    await ok(h.direct('/msg/set_session_read', { guid: b.guid, to_username: dave.wxid }));
    const bobSide = await ok(h.direct('/sandbox/messages/list', { wxid: b.wxid, talker: dave.wxid }));
    assert.ok(bobSide.messages.every((m: any) => !m.unread));

    const bad = await h.direct('/sandbox/messages/send', { from_wxid: dave.wxid, path: '/msg/send_location', body: { to_username: b.wxid } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e: any) => e.loc).sort(), [['body', 'body', 'latitude'], ['body', 'body', 'longitude']]);
    const unknownPerson = await h.direct('/sandbox/messages/send', { from_wxid: 'wxid_nobody', path: '/msg/send_text', body: { to_username: b.wxid, content: 'x' } });
    assert.equal(unknownPerson.body.code, 40412);
    const media = await h.direct('/sandbox/messages/send', { from_wxid: dave.wxid, path: '/msg/send_image', body: {} });
    assert.equal(media.status, 422, 'media sends are not among the paths yet');
  });

  for (const transport of ['direct', 'gateway'] as const) {
    test(`groups through the ${transport} transport: text, @member and @all reach the members' webhooks with the room as sender`, async () => {
      const eve = await ok(h.direct('/sandbox/people/create', { nickname: 'Eve', friends: [a.wxid] }));
      const { room_username: room } = await ok(h.direct('/sandbox/room/create', { owner_wxid: a.wxid, member_wxids: [b.wxid, eve.wxid], name: transport }));
      const text = await ok(call(transport, '/msg/send_text', { guid: a.guid, to_username: room, content: 'hello room' }));
      const got = (await newMsgFor(b.guid, text.list[0].newMsgId)).json.data;
      assert.deepEqual(
        [got.from_username, got.to_username, got.chatroom_sender, got.chatroom, got.is_chatroom_msg, got.content, got.desc],
        [room, b.wxid, a.wxid, room, 1, 'hello room', 'Alice : hello room'],
      );
      assert.equal(parse(got.source).msgsource.membercount, '3');

      const at = await ok(call(transport, '/msg/send_room_at', { guid: a.guid, to_username: room, content: '@Bob 你好', at_list: [b.wxid] }));
      const mention = (await newMsgFor(b.guid, at.list[0].newMsgId)).json.data;
      assert.deepEqual([parse(mention.source).msgsource.atuserlist, mention.desc], [b.wxid, 'Alice在群聊中@了你']);
      const all = await ok(call(transport, '/msg/send_room_at', { guid: a.guid, to_username: room, content: '@所有人', at_list: ['notify@all'] }));
      assert.equal(parse((await newMsgFor(b.guid, all.list[0].newMsgId)).json.data.source).msgsource.atuserlist, 'notify@all');

      const notAdmin = await call(transport, '/msg/send_room_at', { guid: b.guid, to_username: room, content: '@所有人', at_list: ['notify@all'] });
      assert.deepEqual([notAdmin.status, notAdmin.body.code, notAdmin.body.data.baseResponse.ret], [403, 40341, -66]);
      // Eve (simulated) reads the room on her phone.
      const onEve = await ok(h.direct('/sandbox/messages/list', { wxid: eve.wxid, talker: room }));
      assert.deepEqual(onEve.messages.map((m: any) => m.msg_id), [text.list[0].newMsgId, at.list[0].newMsgId, all.list[0].newMsgId]);
    });
  }

  test('media sends refuse file ids the CDN does not hold (404; round trips: media-messages.test.ts)', async () => {
    for (const path of ['/msg/send_image', '/msg/send_video', '/msg/send_file']) {
      const res = await h.direct(path, { guid: a.guid, to_username: b.wxid, file_id: HEX_ID, aes_key: AES, file_size: 1, file_md5: MD5, file_name: 'a.txt' });
      assert.deepEqual([res.status, res.body.code], [404, 40450], path);
    }
  });
});
