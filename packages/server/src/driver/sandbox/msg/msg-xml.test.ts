// Unit tests of the message formats (catalog §7): what the builders write parses back to what went in, escaping holds,
// and caller XML is checked and passed through as written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { readXml } from '../../../wechat/caller-xml.ts';
import { callerAppMsg, callerCardXml, elementSpan, withoutReferMsg } from './msg-xml-input.ts';
import {
  appMsgXml, cardXml, cdata, emojiXml, locationXml, msgSource, patSysMsg, pushText, revokeSysMsg, xmlText,
} from './msg-xml.ts';

const parseXml = (xml: string) => readXml(xml, 'xml');

const tricky = 'a & b <c> "d" \'e\' ]]> f';

const expect422 = (fn: () => unknown, field: string) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError && err.error === 'VALIDATION', String(err));
    assert.deepEqual((err.data as { errors: Array<{ loc: string[] }> }).errors[0]!.loc, ['body', field]);
    return;
  }
  assert.fail('expected a 422');
};

test('escaping: text, attributes and CDATA survive anything people type', () => {
  assert.equal(xmlText('<a & b>'), '&lt;a &amp; b&gt;');
  assert.equal(parseXml(`<x>${cdata(tricky)}</x>`).x, tricky);
  const card = parseXml(cardXml({
    username: 'wxid_x', nickname: tricky, alias: '', bigHeadImgUrl: 'https://h/0?a=1&b=2', smallHeadImgUrl: '', province: '', city: '', signature: tricky, sex: 2,
    fullPy: '', shortPy: '', antispamTicket: 'v4_1@stranger',
  })).msg as Record<string, string>;
  assert.deepEqual([card.username, card.nickname, card.sign, card.bigheadimgurl, card.scene, card.antispamticket], ['wxid_x', tricky, tricky, 'https://h/0?a=1&b=2', '17', 'v4_1@stranger']);
});

test('location (48) and emoji (47) carry their attributes', () => {
  const loc = (parseXml(locationXml({ latitude: -33.8568, longitude: 151.2153, scale: 15, label: 'Bennelong Point', poiName: 'Opera <House>', fromUsername: 'wxid_a' })).msg as any).location;
  assert.deepEqual([loc.x, loc.y, loc.scale, loc.label, loc.poiname, loc.maptype], ['-33.8568', '151.2153', '15', 'Bennelong Point', 'Opera <House>', 'roadmap']);
  const emoji = (parseXml(emojiXml({ fromUsername: 'wxid_a', toUsername: '1@chatroom', md5: 'ab'.repeat(16), size: 10, cdnUrl: 'http://e/1', aesKey: '', externUrl: '' })).msg as any);
  assert.deepEqual([emoji.emoji.md5, emoji.emoji.len, emoji.emoji.tousername, emoji.gameext.type], ['ab'.repeat(16), '10', '1@chatroom', '0']);
});

test('appmsg (49): envelope, appattach thumb, refermsg with escaped XML content, weappinfo, finderFeed', () => {
  const inner = appMsgXml({ appid: '', type: 5, title: 'inner & <title>', fromUsername: 'wxid_b' });
  const outer = appMsgXml({
    appid: 'wx1', type: 57, title: 'reply', fromUsername: 'wxid_a',
    thumb: { fileId: '3057', aesKey: 'k'.repeat(32), size: 9, md5: 'm'.repeat(32) },
    refer: { msgType: 49, msgId: '42', fromUsr: '1@chatroom', chatUsr: 'wxid_b', displayName: 'B', content: inner, msgSource: '<msgsource />', createTime: 7 },
  });
  assert.ok(outer.startsWith('<?xml version="1.0"?>\n<msg>\n'));
  const msg = parseXml(outer).msg as any;
  assert.equal(msg.fromusername, 'wxid_a');
  assert.equal(msg.appmsg.appid, 'wx1');
  assert.equal(msg.appmsg.appattach.cdnthumburl, '3057');
  assert.deepEqual([msg.appmsg.refermsg.svrid, msg.appmsg.refermsg.fromusr, msg.appmsg.refermsg.chatusr, msg.appmsg.refermsg.createtime], ['42', '1@chatroom', 'wxid_b', '7']);
  assert.equal(msg.appmsg.refermsg.content, inner.trim(), 'the quoted XML comes back (the parser trims the final newline)');
  assert.equal((parseXml(msg.appmsg.refermsg.content).msg as any).appmsg.title, 'inner & <title>');

  const mini = parseXml(appMsgXml({
    appid: '', type: 33, title: 't', fromUsername: 'a', miniProgram: { username: 'gh_1@app', appid: 'wxm', appName: 'M', iconUrl: 'i', pagePath: 'p?x=1&y=]]>' },
  })).msg as any;
  assert.deepEqual([mini.appmsg.weappinfo.appid, mini.appmsg.weappinfo.pagepath, mini.appmsg.sourceusername], ['wxm', 'p?x=1&y=]]>', 'gh_1@app']);
  const finder = parseXml(appMsgXml({
    appid: '', type: 51, title: 't', fromUsername: 'a',
    finder: { objectId: '1', objectNonceId: '2', username: 'u', nickname: 'n', avatar: '', desc: 'd', thumbUrl: '', url: 'v', feedType: 4 },
  })).msg as any;
  assert.deepEqual([finder.appmsg.finderFeed.objectId, finder.appmsg.finderFeed.mediaList.media.url], ['1', 'v']);
});

test('revoke and pat system messages (10002) match the captured layout', () => {
  assert.equal(
    revokeSysMsg({ session: 'wxid', localId: 583100271, msgId: '2024578957280591112', replaceMsg: '"Super Mario" 撤回了一条消息' }),
    '<sysmsg type="revokemsg"><revokemsg><session>wxid</session><msgid>583100271</msgid><newmsgid>2024578957280591112</newmsgid><replacemsg><![CDATA["Super Mario" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>',
  );
  const pat = (parseXml(patSysMsg({ fromUsername: 'wxid_a', chatUsername: '1@chatroom', pattedUsername: 'wxid_b' })).sysmsg as any);
  assert.equal(pat.type, 'pat');
  assert.equal(pat.pat.template, '"${wxid_a}" 拍了拍 "${wxid_b}"');
  assert.equal((parseXml(patSysMsg({ fromUsername: 'wxid_a', chatUsername: 'x', pattedUsername: 'wxid_a' })).sysmsg as any).pat.template, '"${wxid_a}" 拍了拍自己');
});

test('msgsource: atuserlist only with mentions, room size only in rooms', () => {
  const group = parseXml(msgSource({ atUserList: ['wxid_a', 'notify@all'], memberCount: 3, signature: 'v1_x' })).msgsource as any;
  assert.deepEqual([group.atuserlist, group.membercount, group.silence, group.signature], ['wxid_a,notify@all', '3', '0', 'v1_x']);
  const single = parseXml(msgSource({ signature: 'v1_y' })).msgsource as any;
  assert.equal(single.atuserlist, undefined);
  assert.equal(single.membercount, undefined);
});

test('push text as WeChat notifications show it', () => {
  assert.equal(pushText({ senderName: 'Super Mario', msgType: 3, appType: 0, text: '' }), 'Super Mario : [图片]');
  assert.equal(pushText({ senderName: 'A', msgType: 1, appType: 0, text: 'hi' }), 'A : hi');
  assert.equal(pushText({ senderName: 'A', msgType: 49, appType: 57, text: 'reply' }), 'A : reply');
  assert.equal(pushText({ senderName: 'A', msgType: 49, appType: 6, text: 'a.pdf' }), 'A : [文件]a.pdf');
  assert.equal(pushText({ senderName: 'A', msgType: 10002, appType: 0, text: '' }), '');
});

test('caller appmsg XML: well-formed, one <appmsg>, <type> agreeing with app_type; passed through as written', () => {
  const element = '<appmsg appid="x" sdkver="0"><title>T &amp; t</title><type>5</type><des><![CDATA[</appmsg>]]></des></appmsg>';
  const ok = callerAppMsg(`<?xml version="1.0"?><msg>${element}<fromusername>spoof</fromusername></msg>`, 5);
  assert.deepEqual([ok.element, ok.type, ok.title], [element, 5, 'T & t']);
  assert.equal(callerAppMsg(element, 0).type, 5, 'app_type 0 takes the XML\'s type');
  const typed = callerAppMsg('<appmsg appid="" sdkver="0" title="a>b"><title>x</title></appmsg>', 33);
  assert.equal(typed.element, '<appmsg appid="" sdkver="0" title="a>b"><type>33</type><title>x</title></appmsg>');
  expect422(() => callerAppMsg('<appmsg><type>5</type>', 5), 'xml');
  expect422(() => callerAppMsg('<msg><title>no appmsg</title></msg>', 5), 'xml');
  expect422(() => callerAppMsg('<appmsg><type>5</type></appmsg>', 6), 'app_type');
  expect422(() => callerAppMsg('<appmsg><title>x</title></appmsg>', 0), 'xml');
  expect422(() => callerAppMsg('<appmsg><type>five</type></appmsg>', 0), 'xml');
  expect422(() => callerAppMsg(`<appmsg><type>5</type><des>${'x'.repeat(70_000)}</des></appmsg>`, 5), 'xml');
});

test('caller card XML needs a username; elementSpan skips CDATA and comments; withoutReferMsg drops the inner quote', () => {
  assert.deepEqual(callerCardXml('<msg username="wxid_c" nickname="C" />'), { username: 'wxid_c', nickname: 'C' });
  expect422(() => callerCardXml('<msg nickname="C" />'), 'xml');
  expect422(() => callerCardXml('not xml <'), 'xml');
  const doc = '<msg><!-- <refermsg> --><x><![CDATA[<refermsg>]]></x><refermsg><content>a</content></refermsg></msg>';
  const span = elementSpan(doc, 'refermsg')!;
  assert.equal(doc.slice(span.start, span.end), '<refermsg><content>a</content></refermsg>');
  assert.equal(withoutReferMsg(doc), '<msg><!-- <refermsg> --><x><![CDATA[<refermsg>]]></x></msg>');
  assert.equal(withoutReferMsg('<msg>\n\t<refermsg/>\n</msg>'), '<msg>\n</msg>');
});
