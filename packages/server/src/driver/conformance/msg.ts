// Conformance: one-to-one messages — every non-media send with the 1010 the receiver gets (fields and parsed XML), the
// sender's own view, quotes of quotes, revoke inside and outside WeChat's window, read marks, simulated people on the
// other side, and WeChat's refusals, which change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import {
  call, eventsSince, expectError, logIn, wechatRet, type ConformanceInstance, type ConformanceSubject, type Make, withSubject,
} from './subject.ts';

/** The 1010 payload with every observed field (spec README §3). */
export interface NewMsgData {
  from_username: string;
  to_username: string;
  chatroom_sender: string;
  chatroom: string;
  is_chatroom_msg: number;
  msg_id: string;
  msg_type: number;
  content: string;
  desc: string;
  source: string;
  create_time: number;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: true });
/** WeChat XML as plain objects (attributes and children as keys). */
export const parse = (text: string): any => xml.parse(text);

/** The 1010s an instance got since `mark`. */
export const messagesSince = (s: ConformanceSubject, guid: string, mark: number): NewMsgData[] =>
  eventsSince(s, guid, mark).filter((e) => e.notifyType === 1010).map((e) => e.data as NewMsgData);

/** The one 1010 an instance got since `mark`. */
export function onlyMessage(s: ConformanceSubject, guid: string, mark: number): NewMsgData {
  const got = messagesSince(s, guid, mark);
  assert.equal(got.length, 1, `expected one 1010 on ${guid}, got ${got.length}`);
  return got[0]!;
}

/** Every observed field is there with its type. */
export function assertObservedShape(m: NewMsgData): void {
  assert.deepEqual(Object.keys(m).sort(), [
    'chatroom', 'chatroom_sender', 'content', 'create_time', 'desc', 'from_username', 'is_chatroom_msg', 'msg_id', 'msg_type', 'source', 'to_username',
  ]);
  assert.match(m.msg_id, /^[1-9]\d*$/);
  assert.ok(BigInt(m.msg_id) < 2n ** 64n);
  assert.ok(Number.isInteger(m.create_time) && m.create_time > 1_000_000_000);
  assert.ok(parse(m.source).msgsource, 'source is <msgsource>');
}

/** Two logged-in accounts that are friends. */
export async function twoFriends(s: ConformanceSubject, names: [string, string] = ['Alice', 'Bob']) {
  const a = await s.newInstance();
  const b = await s.newInstance();
  const alice = await logIn(s, a, (await s.phone.createPerson({ nickname: names[0] })).wxid);
  const bob = await logIn(s, b, (await s.phone.createPerson({ nickname: names[1] })).wxid);
  await s.phone.sendFriendRequest(alice, bob, 'hi', 3);
  await s.phone.acceptFriendRequest(alice, bob);
  return { a, b, alice, bob };
}

const mark = (s: ConformanceSubject, i: ConformanceInstance) => s.events(i.guid).length;
const HEX_ID = '3057020100044b30490201000204a1d3b7f402032f55f90204' + 'ab'.repeat(20);
const AES = '0123456789abcdef0123456789abcdef';
const MD5 = 'e10adc3949ba59abbe56e057f20f883e';

export function msgConformance(make: Make): void {
  test('send_text: WeChat\'s answer, the receiver\'s 1010 with every observed field, and the sender\'s own view', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    const [ma, mb] = [mark(s, a), mark(s, b)];
    const sent = await call(a.session, '/msg/send_text', { to_username: bob, content: '你好 Bob' });
    assert.equal(sent.baseResponse.ret, 0);
    assert.equal(sent.count, 1);
    const entry = sent.list[0]!;
    assert.equal(entry.ret, 0);
    assert.equal(entry.type, 1);
    assert.equal(entry.toUserName?.string, bob);
    assert.match(entry.newMsgId, /^[1-9]\d*$/);
    assert.ok(entry.createTime > 0 && entry.serverTime >= entry.createTime);

    const got = onlyMessage(s, b.guid, mb);
    assertObservedShape(got);
    assert.deepEqual(
      [got.from_username, got.to_username, got.chatroom_sender, got.chatroom, got.is_chatroom_msg, got.msg_type, got.content, got.desc],
      [alice, bob, '', '', 0, 1, '你好 Bob', 'Alice : 你好 Bob'],
    );
    assert.equal(got.msg_id, entry.newMsgId);
    assert.equal(got.create_time, entry.createTime);

    // The sender's instance sees its own message as WeChat syncs it to the account's other devices.
    const own = onlyMessage(s, a.guid, ma);
    assert.deepEqual([own.from_username, own.to_username, own.msg_id, own.content, own.desc], [alice, bob, entry.newMsgId, '你好 Bob', '']);

    // A remark the receiver gave the sender names them in the push text.
    await call(b.session, '/contact/modify_remark', { username: alice, remark: '老同学' });
    const mb2 = mark(s, b);
    await call(a.session, '/msg/send_text', { to_username: bob, content: 'again' });
    assert.equal(onlyMessage(s, b.guid, mb2).desc, '老同学 : again');
  }));

  test('cards, locations, links, appmsgs, mini-programs, Channels videos and pats arrive as WeChat\'s XML', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    const carol = await s.phone.createPerson({ nickname: 'Carol', alias: 'carol_card' });
    const receive = async <T>(send: () => Promise<T>) => {
      const from = mark(s, b);
      const answer = await send();
      return { answer, got: onlyMessage(s, b.guid, from) };
    };

    const card = await receive(() => call(a.session, '/msg/send_share_card', { to_username: bob, share_username: carol.wxid }));
    assert.equal(card.got.msg_type, 42);
    const cardMsg = parse(card.got.content).msg;
    assert.deepEqual([cardMsg.username, cardMsg.nickname, cardMsg.alias], [carol.wxid, 'Carol', 'carol_card']);
    assert.match(cardMsg.antispamticket, /^v4_.+@stranger$/);
    assert.equal(card.got.desc, 'Alice : [名片]');

    const raw = `<?xml version="1.0"?>\n<msg username="${carol.wxid}" nickname="卡罗尔" scene="17" />`;
    const rawCard = await receive(() => call(a.session, '/msg/send_share_card_raw', { to_username: bob, xml: raw }));
    assert.equal(rawCard.got.content, raw, 'raw XML passes through');

    const location = await receive(() => call(a.session, '/msg/send_location', { to_username: bob, latitude: 22.543096, longitude: 114.057865, title: '深圳市民中心', address: '福田区福中三路', scale: 16 }));
    assert.equal(location.got.msg_type, 48);
    const loc = parse(location.got.content).msg.location;
    assert.deepEqual([loc.x, loc.y, loc.scale, loc.poiname, loc.label, loc.fromusername], ['22.543096', '114.057865', '16', '深圳市民中心', '福田区福中三路', alice]);
    assert.equal(location.got.desc, 'Alice : [位置]');

    const link = await receive(() => call(a.session, '/msg/send_link_card_cdn', {
      to_username: bob, title: '标题 & <更多>', desc: '描述', url: 'https://example.com/a?b=1&c=2', thumb_file_id: HEX_ID, thumb_aes_key: AES, thumb_file_size: 1234, thumb_file_md5: MD5,
    }));
    assert.equal(link.got.msg_type, 49);
    const linkMsg = parse(link.got.content).msg;
    assert.deepEqual([linkMsg.appmsg.type, linkMsg.appmsg.title, linkMsg.appmsg.des, linkMsg.appmsg.url], ['5', '标题 & <更多>', '描述', 'https://example.com/a?b=1&c=2']);
    assert.deepEqual([linkMsg.appmsg.appattach.cdnthumburl, linkMsg.appmsg.appattach.cdnthumbaeskey, linkMsg.appmsg.appattach.cdnthumblength], [HEX_ID, AES, '1234']);
    assert.equal(linkMsg.fromusername, alice);
    assert.equal(link.got.desc, 'Alice : [链接]标题 & <更多>');
    assert.equal(link.answer.fromUserName, alice);
    assert.equal(link.answer.newMsgId, link.got.msg_id);
    assert.equal(link.answer.list?.[0]?.newMsgId, link.got.msg_id, 'every send also answers list[0].newMsgId');

    const appXml = '<appmsg appid="wx1234567890" sdkver="0"><title>音乐</title><des>歌手</des><type>3</type><url>https://music.example/1</url></appmsg>';
    const app = await receive(() => call(a.session, '/msg/send_app_msg', { to_username: bob, app_type: 3, xml: `<msg>${appXml}</msg>`, appid: 'wx1234567890' }));
    assert.ok(app.got.content.includes(appXml), 'the appmsg element passes through as written');
    assert.equal(parse(app.got.content).msg.appmsg.type, '3');
    assert.equal(app.answer.appId, 'wx1234567890');
    assert.equal(app.got.desc, 'Alice : [音乐]音乐');

    const mini = await receive(() => call(a.session, '/msg/send_mini_app', {
      to_username: bob, username: 'gh_0123456789ab@app', appid: 'wxabcdef0123456789', appname: '小程序', appicon: 'https://icon.example/i.png', title: '打开看看', page_path: 'pages/index/index.html?id=1',
      file_id: HEX_ID, aes_key: AES, file_size: 2048, file_md5: MD5,
    }));
    const weapp = parse(mini.got.content).msg.appmsg;
    assert.equal(weapp.type, '33');
    assert.deepEqual([weapp.weappinfo.appid, weapp.weappinfo.username, weapp.weappinfo.pagepath], ['wxabcdef0123456789', 'gh_0123456789ab@app', 'pages/index/index.html?id=1']);
    assert.equal(mini.got.desc, 'Alice : [小程序]打开看看');

    const finder = await receive(() => call(a.session, '/msg/send_finder_video', {
      to_username: bob, object_id: '14264546891234567890', object_nonce_id: '987654321_0_0_0', username: 'v2_abc@finder', nickname: '视频号作者', avatar: 'https://a.example/a.jpg',
      desc: '一段视频', thumb_url: 'https://a.example/t.jpg', url: 'https://a.example/v.mp4', feed_type: 4,
    }));
    const feed = parse(finder.got.content).msg.appmsg;
    assert.equal(feed.type, '51');
    assert.deepEqual([feed.finderFeed.objectId, feed.finderFeed.objectNonceId, feed.finderFeed.nickname, feed.finderFeed.mediaList.media.url], ['14264546891234567890', '987654321_0_0_0', '视频号作者', 'https://a.example/v.mp4']);
    assert.equal(finder.got.desc, 'Alice : [视频号]');

    const pat = await receive(() => call(a.session, '/msg/send_pat', { to_username: bob, patted_username: bob }));
    assert.equal(pat.got.msg_type, 10002);
    const patInfo = parse(pat.got.content).sysmsg;
    assert.equal(patInfo.type, 'pat');
    assert.deepEqual([patInfo.pat.fromusername, patInfo.pat.chatusername, patInfo.pat.pattedusername], [alice, bob, bob]);
    assert.match(patInfo.pat.template, /拍了拍/);
    await call(a.session, '/msg/send_pat', { to_username: bob, patted_username: alice });
    await expectError(call(a.session, '/msg/send_pat', { to_username: bob, patted_username: carol.wxid }), 'VALIDATION');
  }));

  test('emoji: by CDN upload, by URL, then by md5 from the world\'s store; an unknown md5 is refused', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    const unknown = await expectError(call(a.session, '/msg/send_emoji_md5', { to_username: bob, file_md5: MD5, file_size: 4096 }), 'EMOJI_NOT_FOUND');
    assert.equal(wechatRet(unknown), -2);

    let from = mark(s, b);
    const uploaded = await call(a.session, '/msg/send_emoji', { to_username: bob, file_id: HEX_ID, aes_key: AES, file_size: 4096, file_md5: MD5 });
    assert.equal(uploaded.emojiItemCount, 1);
    assert.deepEqual([uploaded.emojiItem[0]!.md5, uploaded.emojiItem[0]!.totalLen], [MD5, 4096]);
    const emoji = onlyMessage(s, b.guid, from);
    assert.equal(emoji.msg_type, 47);
    const attrs = parse(emoji.content).msg.emoji;
    assert.deepEqual([attrs.md5, attrs.len, attrs.cdnurl, attrs.aeskey], [MD5, '4096', HEX_ID, AES]);
    assert.equal(emoji.desc, 'Alice : [动画表情]');

    from = mark(s, b);
    const byMd5 = await call(a.session, '/msg/send_emoji_md5', { to_username: bob, file_md5: MD5.toUpperCase(), file_size: 4096 });
    assert.equal(byMd5.emojiItem[0]!.newMsgId, onlyMessage(s, b.guid, from).msg_id);
    await expectError(call(a.session, '/msg/send_emoji_md5', { to_username: bob, file_md5: MD5, file_size: 1 }), 'EMOJI_NOT_FOUND');

    from = mark(s, b);
    await call(a.session, '/msg/send_emoji_url', { to_username: bob, url: 'https://emoji.example/cat.gif' });
    const byUrl = parse(onlyMessage(s, b.guid, from).content).msg.emoji;
    assert.equal(byUrl.cdnurl, 'https://emoji.example/cat.gif');
    // Once sent, anyone can send it by md5 (its size unknown: 0).
    await call(b.session, '/msg/send_emoji_md5', { to_username: alice, file_md5: byUrl.md5, file_size: 0 });
  }));

  test('quotes: send_refer_msg builds <refermsg> from the archive; a quote of a quote carries the reply, not the chain', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    const first = await call(a.session, '/msg/send_text', { to_username: bob, content: '原始消息' });
    const firstId = first.list[0]!.newMsgId;
    let from = mark(s, a);
    const reply = await call(b.session, '/msg/send_refer_msg', {
      to_username: alice, content: '第一层回复', refer_msg: { msg_type: 1, msg_id: firstId, from_username: alice, from_nickname: '', source: '', content: '' },
    });
    const quote = onlyMessage(s, a.guid, from);
    assert.equal(quote.msg_type, 49);
    assert.equal(quote.desc, 'Bob : 第一层回复');
    const appmsg = parse(quote.content).msg.appmsg;
    assert.deepEqual([appmsg.type, appmsg.title], ['57', '第一层回复']);
    assert.deepEqual(
      [appmsg.refermsg.type, appmsg.refermsg.svrid, appmsg.refermsg.fromusr, appmsg.refermsg.chatusr, appmsg.refermsg.displayname, appmsg.refermsg.content],
      ['1', firstId, alice, alice, 'Alice', '原始消息'],
    );
    assert.equal(reply.newMsgId, quote.msg_id);

    from = mark(s, b);
    await call(a.session, '/msg/send_refer_msg', {
      to_username: bob, content: '第二层回复', refer_msg: { msg_type: 49, msg_id: reply.newMsgId, from_username: bob, from_nickname: 'Bobby', source: '', content: '' },
    });
    const second = parse(onlyMessage(s, b.guid, from).content).msg.appmsg;
    assert.equal(second.refermsg.type, '49');
    assert.equal(second.refermsg.displayname, 'Bobby', 'from_nickname names the quoted sender');
    const quoted = parse(second.refermsg.content).msg.appmsg;
    assert.deepEqual([quoted.type, quoted.title], ['57', '第一层回复']);
    assert.equal(quoted.refermsg, undefined, 'the inner quote is not carried along');

    // A message outside this chat (or unknown) is quoted as the caller described it.
    from = mark(s, b);
    await call(a.session, '/msg/send_refer_msg', {
      to_username: bob, content: '引用外部', refer_msg: { msg_type: 1, msg_id: '123', from_username: 'wxid_someone', from_nickname: '某人', source: '', content: '外部内容' },
    });
    const outside = parse(onlyMessage(s, b.guid, from).content).msg.appmsg.refermsg;
    assert.deepEqual([outside.svrid, outside.fromusr, outside.displayname, outside.content], ['123', 'wxid_someone', '某人', '外部内容']);
  }));

  test('revoke within 2 minutes: the peer gets revokemsg, the sender "你撤回了一条消息", the archive keeps both; later it is refused (-430)', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    const sent = await call(a.session, '/msg/send_text', { to_username: bob, content: '说错了' });
    const msgId = sent.list[0]!.newMsgId;
    s.advance(119_000);
    const [ma, mb] = [mark(s, a), mark(s, b)];
    const revoked = await call(a.session, '/msg/revoke_msg', { to_username: bob, msg_id: msgId, client_msg_id: sent.list[0]!.clientMsgId });
    assert.equal(revoked.baseResponse.ret, 0);
    assert.equal(revoked.sysWording, '你撤回了一条消息');
    const notice = onlyMessage(s, b.guid, mb);
    assertObservedShape(notice);
    assert.deepEqual([notice.msg_type, notice.from_username, notice.to_username], [10002, alice, bob]);
    const sys = parse(notice.content).sysmsg;
    assert.equal(sys.type, 'revokemsg');
    assert.deepEqual([sys.revokemsg.session, sys.revokemsg.newmsgid, sys.revokemsg.replacemsg], [alice, msgId, '"Alice" 撤回了一条消息']);
    assert.match(sys.revokemsg.msgid, /^\d+$/);
    assert.equal(parse(onlyMessage(s, a.guid, ma).content).sysmsg.revokemsg.replacemsg, '你撤回了一条消息');

    const archive = await s.phone.messagesOf(bob, alice);
    const original = archive.find((m) => m.msgId === msgId)!;
    assert.equal(original.content, '说错了');
    assert.equal(original.revoked, true);
    assert.equal(archive.at(-1)!.msgId, notice.msg_id, 'the revoke is archived too');

    await expectError(call(a.session, '/msg/revoke_msg', { to_username: bob, msg_id: msgId }), 'MESSAGE_ALREADY_REVOKED');
    const late = await call(a.session, '/msg/send_text', { to_username: bob, content: '太晚了' });
    s.advance(120_001);
    const refused = await expectError(call(a.session, '/msg/revoke_msg', { to_username: bob, msg_id: late.list[0]!.newMsgId }), 'REVOKE_TIME_LIMIT');
    assert.equal(wechatRet(refused), -430);
    await expectError(call(b.session, '/msg/revoke_msg', { to_username: alice, msg_id: late.list[0]!.newMsgId }), 'MESSAGE_NOT_FOUND');
    await expectError(call(a.session, '/msg/revoke_msg', { to_username: bob, msg_id: '12345' }), 'MESSAGE_NOT_FOUND');
  }));

  test('refusals carry WeChat\'s ret and change nothing: deleted friend (-44), unknown user (-4), risk control (-106), too long', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    const stranger = await s.phone.createPerson({ nickname: 'Stranger' });
    await s.phone.deleteFriend(bob, alice);
    const [ma, mb] = [mark(s, a), mark(s, b)];
    const before = await s.phone.messagesOf(alice);

    const deleted = await expectError(call(a.session, '/msg/send_text', { to_username: bob, content: 'hi?' }), 'NOT_A_FRIEND');
    assert.equal(wechatRet(deleted), -44);
    assert.equal(wechatRet(await expectError(call(a.session, '/msg/send_text', { to_username: stranger.wxid, content: 'hi' }), 'NOT_A_FRIEND')), -44);
    assert.equal(wechatRet(await expectError(call(a.session, '/msg/send_text', { to_username: 'wxid_nobody00000000', content: 'hi' }), 'WECHAT_USER_NOT_FOUND')), -4);
    await expectError(call(a.session, '/msg/send_text', { to_username: bob, content: '   ' }), 'VALIDATION');
    // Bob still has nobody refusing him: Alice kept Bob, so his messages reach her.
    await call(b.session, '/msg/send_text', { to_username: alice, content: '我删了你但你还在' });

    await s.phone.restrictSending(bob, 600);
    assert.equal(wechatRet(await expectError(call(b.session, '/msg/send_text', { to_username: alice, content: 'muted' }), 'SEND_RESTRICTED')), -106);
    s.advance(601_000);
    await call(b.session, '/msg/send_text', { to_username: alice, content: 'free again' });
    const long = await expectError(call(b.session, '/msg/send_text', { to_username: alice, content: '长'.repeat(16_385) }), 'CONTENT_TOO_LONG');
    assert.equal(wechatRet(long), -2);
    await call(b.session, '/msg/send_text', { to_username: alice, content: '长'.repeat(16_384) });

    assert.equal(messagesSince(s, a.guid, ma).filter((m) => m.from_username === alice).length, 0, 'no refused message was delivered or echoed');
    assert.equal((await s.phone.messagesOf(alice)).length, before.length + 3, 'only the three accepted messages were archived');
    assert.equal(messagesSince(s, b.guid, mb).length, 3, 'Bob\'s own views of his three messages');
  }));

  test('simulated people send every kind, revoke and pat; the phone reads what the instance sent them; read marks', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const alice = await logIn(s, a, (await s.phone.createPerson({ nickname: 'Alice' })).wxid);
    const dave = await s.phone.createPerson({ nickname: 'Dave', friends: [alice] });
    let from = mark(s, a);
    const sends: Array<[string, Record<string, unknown>, number]> = [
      ['/msg/send_text', { content: 'hello from Dave' }, 1],
      ['/msg/send_location', { latitude: 39.9, longitude: 116.4, title: '天安门' }, 48],
      ['/msg/send_share_card', { share_username: alice }, 42],
      ['/msg/send_link_card_cdn', { title: 't', desc: 'd', url: 'https://x.example', thumb_file_id: HEX_ID, thumb_aes_key: AES, thumb_file_size: 1, thumb_file_md5: MD5 }, 49],
      ['/msg/send_emoji_url', { url: 'https://emoji.example/dog.gif' }, 47],
      ['/msg/send_pat', { patted_username: alice }, 10002],
    ];
    const ids: string[] = [];
    for (const [path, body, msgType] of sends) {
      const { msgId } = await s.phone.sendMessage(dave.wxid, path, { to_username: alice, ...body });
      const got = onlyMessage(s, a.guid, from);
      assert.deepEqual([got.msg_type, got.from_username, got.to_username, got.msg_id], [msgType, dave.wxid, alice, msgId], path);
      ids.push(msgId);
      from = mark(s, a);
    }
    await s.phone.revokeMessage(dave.wxid, alice, ids[0]!);
    assert.equal(parse(onlyMessage(s, a.guid, from).content).sysmsg.revokemsg.newmsgid, ids[0]);

    // What the instance sends Dave is on his phone, readable any number of times.
    const sent = await call(a.session, '/msg/send_text', { to_username: dave.wxid, content: '收到' });
    const onPhone = await s.phone.messagesOf(dave.wxid, alice);
    assert.deepEqual(onPhone.at(-1), { msgId: sent.list[0]!.newMsgId, from: alice, to: dave.wxid, msgType: 1, appType: 0, content: '收到', revoked: false, unread: true });
    assert.deepEqual(await s.phone.messagesOf(dave.wxid, alice), onPhone, 'reading consumes nothing');

    // Read marks: what Dave sent is unread on Alice's side until she marks the chat read.
    assert.ok((await s.phone.messagesOf(alice, dave.wxid)).some((m) => m.from === dave.wxid && m.unread));
    const read = await call(a.session, '/msg/set_session_read', { to_username: dave.wxid });
    assert.equal(read.baseResponse.ret, 0);
    assert.ok((await s.phone.messagesOf(alice, dave.wxid)).every((m) => !m.unread));
  }));

  test('filehelper and oneself: only the account\'s own views get it', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const alice = await logIn(s, a);
    const from = mark(s, a);
    await call(a.session, '/msg/send_text', { to_username: 'filehelper', content: 'note to self' });
    const own = onlyMessage(s, a.guid, from);
    assert.deepEqual([own.from_username, own.to_username, own.content], [alice, 'filehelper', 'note to self']);
    assert.equal((await s.phone.messagesOf(alice, 'filehelper')).length, 1);
  }));

  test('sending needs a logged-in account', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await expectError(call(a.session, '/msg/send_text', { to_username: 'filehelper', content: 'x' }), 'NOT_LOGGED_IN');
    await expectError(call(a.session, '/msg/set_session_read', { to_username: 'filehelper' }), 'NOT_LOGGED_IN');
  }));
}
