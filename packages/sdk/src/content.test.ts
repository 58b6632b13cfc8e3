// parseMessageContent on catalog §7 samples and on the edge cases live traffic has (prefixes, bad XML, unknown types).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMessageContent } from './content.ts';

describe('parseMessageContent', () => {
  test('the revoke sample of the catalog', () => {
    const content = '<sysmsg type="revokemsg"><revokemsg><session>wxid_abc</session><msgid>583100271</msgid><newmsgid>2024578957280591112</newmsgid>' +
      '<replacemsg><![CDATA["Super Mario" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>';
    assert.deepEqual(parseMessageContent({ msg_type: 10002, content }), {
      kind: 'revoke', msgType: 10002, session: 'wxid_abc', msgId: '583100271', newMsgId: '2024578957280591112', replaceMsg: '"Super Mario" 撤回了一条消息',
    });
  });

  test('64-bit ids keep every digit', () => {
    const content = '<?xml version="1.0"?><msg><appmsg appid="" sdkver="0"><title>re</title><type>57</type><refermsg><type>1</type>' +
      '<svrid>9223372036854775807</svrid><content>&lt;msg&gt;quoted&lt;/msg&gt;</content><createtime>1700000000</createtime></refermsg></appmsg></msg>';
    const parsed = parseMessageContent({ msg_type: 49, content });
    assert.ok(parsed.kind === 'quote');
    assert.equal(parsed.refer.msgId, '9223372036854775807');
    assert.equal(parsed.refer.content, '<msg>quoted</msg>');
    assert.equal(parsed.refer.createTime, 1_700_000_000);
  });

  test('a group sender prefix is stripped when a source left it in', () => {
    const parsed = parseMessageContent({ msg_type: 48, content: 'wxid_f270ma4san5q22:\n<msg><location x="1.5" y="2.5" label="L" poiname="P" /></msg>' });
    assert.ok(parsed.kind === 'location');
    assert.deepEqual([parsed.latitude, parsed.longitude, parsed.attrs.poiname], [1.5, 2.5, 'P']);
  });

  test('appmsg types without a parser of their own are generic, with the element for the rest', () => {
    const parsed = parseMessageContent({ msg_type: 49, content: '<msg><appmsg appid="wx1"><title>红包</title><type>2001</type><wcpayinfo><x>1</x></wcpayinfo></appmsg></msg>' });
    assert.ok(parsed.kind === 'app');
    assert.deepEqual([parsed.appType, parsed.appId, parsed.title], [2001, 'wx1', '红包']);
    assert.deepEqual(parsed.appmsg.wcpayinfo, { x: '1' });
  });

  test('system lines: plain text, a sysmsgtemplate, and other sysmsg types', () => {
    assert.deepEqual(parseMessageContent({ msg_type: 10000, content: '你已添加了Bob，现在可以开始聊天了。' }), {
      kind: 'system', msgType: 10000, text: '你已添加了Bob，现在可以开始聊天了。', sysmsgType: '', xml: null,
    });
    const template = parseMessageContent({
      msg_type: 10002,
      content: '<sysmsg type="sysmsgtemplate"><sysmsgtemplate><content_template type="tmpl_type_profile"><template><![CDATA["$username$"邀请你加入了群聊]]></template></content_template></sysmsgtemplate></sysmsg>',
    });
    assert.ok(template.kind === 'system');
    assert.deepEqual([template.sysmsgType, template.text], ['sysmsgtemplate', '"$username$"邀请你加入了群聊']);
  });

  test('content that is not what its type promises, and unknown types, come back as unknown without throwing', () => {
    assert.equal(parseMessageContent({ msg_type: 3, content: 'not xml at all' }).kind, 'unknown');
    assert.equal(parseMessageContent({ msg_type: 3, content: '<msg><img' }).kind, 'unknown');
    assert.equal(parseMessageContent({ msg_type: 10002, content: '' }).kind, 'unknown');
    const status = parseMessageContent({ msg_type: 51, content: "<msg><op id='5'><username>filehelper</username></op></msg>" });
    assert.deepEqual([status.kind, status.msgType], ['unknown', 51]);
  });

  test('content declaring a DTD is left unparsed: no entity expansion, no external entity', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE msg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
      + '<msg><appmsg><title>&b;</title><type>5</type><url>https://example.com</url></appmsg></msg>';
    assert.equal(parseMessageContent({ msg_type: 49, content: laughs }).kind, 'unknown');
    const external = '<!DOCTYPE msg [<!ENTITY x SYSTEM "file:///etc/passwd">]><msg><img cdnmidimgurl="&x;" /></msg>';
    assert.equal(parseMessageContent({ msg_type: 3, content: external }).kind, 'unknown');
    // The same words inside CDATA are text, and the message parses.
    const quoted = '<msg><appmsg><title><![CDATA[<!DOCTYPE is a word]]></title><type>5</type><url>https://example.com</url></appmsg></msg>';
    assert.equal(parseMessageContent({ msg_type: 49, content: quoted }).kind, 'link');
  });
});
