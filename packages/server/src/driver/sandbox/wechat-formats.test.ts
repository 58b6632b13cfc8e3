// Unit tests of the sandbox's WeChat formats: ids, pinyin of names, the friend-request XML and the contact object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxPerson } from '../../storage/sandbox-ports.ts';
import { SandboxIds, seededRandom } from './ids.ts';
import { namePinyin } from './contact/pinyin.ts';
import { contactObject, unknownContactObject } from './wechat-objects.ts';
import { friendRequestXml, xmlAttr } from './wechat-xml.ts';

const person: SandboxPerson = {
  appId: 'app', wxid: 'wxid_abcdefghij0123', alias: 'a_li', nickname: '李"雷"<&>', sex: 1, signature: "it's me", country: 'CN',
  province: 'Guangdong', city: 'Shenzhen', phone: '', qq: '', bigHeadImgUrl: 'https://wx.qlogo.cn/mmhead/ver_1/x/0',
  smallHeadImgUrl: 'https://wx.qlogo.cn/mmhead/ver_1/x/132', needsVerification: true, kind: 'simulated', createdAt: 0,
};

test('ids have WeChat\'s formats, and a seeded source repeats itself', () => {
  const ids = new SandboxIds(seededRandom('s'));
  assert.match(ids.wxid(), /^wxid_[a-z0-9]{14}$/);
  assert.match(ids.encryptUsername(), /^v3_[0-9a-f]+@stranger$/);
  assert.match(ids.strangerTicket(), /^v4_[0-9a-f]+@stranger$/);
  assert.match(ids.loginUuid(), /^[\w-]{20}$/);
  assert.match(ids.pin(), /^\d{6}$/);
  const msgId = ids.msgId();
  assert.match(msgId, /^[1-9]\d*$/);
  assert.ok(BigInt(msgId) < 2n ** 63n);
  const again = new SandboxIds(seededRandom('s'));
  const other = new SandboxIds(seededRandom('t'));
  assert.equal(again.wxid(), new SandboxIds(seededRandom('s')).wxid());
  assert.notEqual(other.wxid(), new SandboxIds(seededRandom('s')).wxid());
});

test('names are indexed as WeChat does: pinyin for Han characters (in context), Latin kept', () => {
  assert.deepEqual(namePinyin('张三'), { quanPin: 'zhangsan', pyinitial: 'ZS' });
  assert.deepEqual(namePinyin('重庆小王'), { quanPin: 'chongqingxiaowang', pyinitial: 'CQXW' });
  assert.deepEqual(namePinyin('Alice 2'), { quanPin: 'Alice2', pyinitial: 'ALICE2' });
  assert.deepEqual(namePinyin('🙂'), { quanPin: '', pyinitial: '' });
});

test('the friend-request XML escapes what people type and carries what verify_friend needs', () => {
  assert.equal(xmlAttr('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  const xml = friendRequestXml({ from: person, encryptUsername: 'v3_00@stranger', ticket: 'v4_11@stranger', content: 'hi "there" & <you>', scene: 30 });
  assert.ok(xml.startsWith('<msg fromusername="wxid_abcdefghij0123" encryptusername="v3_00@stranger" fromnickname="李&quot;雷&quot;&lt;&amp;&gt;"'));
  assert.match(xml, / content="hi &quot;there&quot; &amp; &lt;you&gt;"/);
  assert.match(xml, / ticket="v4_11@stranger"/);
  assert.match(xml, / scene="30"/);
  assert.match(xml, / opcode="2"/);
  assert.match(xml, / sign="it&apos;s me"/);
  assert.ok(xml.endsWith('<brandlist count="0" ver="0"></brandlist></msg>'));
  assert.ok(!/[<>]/.test(xml.slice(5, xml.indexOf('><brandlist'))), 'no raw angle brackets inside the attributes');
});

test('contact objects: SKBuiltinString wrappers, {} for empty, contact bits and v3 names only for strangers', () => {
  const stranger = contactObject(person, { encryptUsername: 'v3_x@stranger' });
  assert.deepEqual(stranger.userName, { string: person.wxid });
  assert.deepEqual(stranger.remark, {});
  assert.equal(stranger.bitVal, 0);
  assert.equal(stranger.encryptUserName, 'v3_x@stranger');
  const entry = { appId: 'app', ownerWxid: 'me', contactWxid: person.wxid, remark: '老李', pinned: true, addScene: 17, seq: 9, createdAt: 0, labelIds: [2, 5] };
  const friend = contactObject(person, { entry, encryptUsername: 'v3_x@stranger' });
  assert.deepEqual(friend.remark, { string: '老李' });
  assert.deepEqual(friend.remarkQuanPin, { string: 'laoli' });
  assert.equal(friend.bitVal, 1 | 2 | 2048);
  assert.equal(friend.addContactScene, 17);
  assert.equal(friend.encryptUserName, '', 'friends are named by wxid');
  assert.equal(friend.labelIdList, '2,5', 'the viewer\'s labels, as WeChat\'s comma-separated labelIdlist');
  assert.equal(stranger.labelIdList, '');
  assert.deepEqual(unknownContactObject('wxid_x').nickName, {});
});
