// The door for caller XML: declarations (billion laughs, external entities) refused as a 422 naming the field, before
// any parser sees them; declaration-looking text inside CDATA, comments and processing instructions left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, type ValidationIssue } from '@wxgate/contract';
import { hostileVariants } from '../../test/hostile-xml.ts';
import { MAX_XML_BYTES, readXml, readXmlInOrder, refuseXmlDeclarations, type XmlField } from './caller-xml.ts';

function refusal(fn: () => unknown): ValidationIssue {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError && error.error === 'VALIDATION', String(error));
    const issues = (error.data as { errors: ValidationIssue[] }).errors;
    assert.equal(issues.length, 1);
    return issues[0]!;
  }
  return assert.fail('expected a 422');
}

test('every declaration is a 422 on the field, from both parsing doors and the declaration check, before any parsing', () => {
  const card = (text: string) => `<msg username="wxid_a" nickname="A">${text}</msg>`;
  assert.deepEqual(readXml(card('x'), 'xml').msg, { username: 'wxid_a', nickname: 'A', '#text': 'x' });
  for (const [name, xml] of Object.entries(hostileVariants('msg', card))) {
    for (const [door, field] of [[readXml, 'xml'], [readXmlInOrder, 'object_desc'], [refuseXmlDeclarations, ['refer_msg', 'content']]] as const) {
      const issue = refusal(() => (door as (xml: string, field: XmlField) => unknown)(xml, field));
      assert.deepEqual(issue.loc, ['body', ...(typeof field === 'string' ? [field] : field)], name);
      assert.equal(issue.type, 'xml_error', name);
      assert.match(issue.msg, /declarations .*not accepted/, name);
    }
  }
});

test('declaration-looking text in CDATA, comments and processing instructions is content, not a declaration', () => {
  const xml = '<?xml version="1.0"?><?note <!DOCTYPE x>?><msg><!-- <!DOCTYPE y> --><appmsg><des><![CDATA[<!DOCTYPE html><!ENTITY z "1">]]></des></appmsg></msg>';
  refuseXmlDeclarations(xml, 'xml');
  const msg = readXml(xml, 'xml').msg as { appmsg: { des: string } };
  assert.equal(msg.appmsg.des, '<!DOCTYPE html><!ENTITY z "1">');
  assert.equal(Object.keys(readXmlInOrder(xml, 'xml').at(-1)!)[0], 'msg');
  // Plain text (a quoted text message) and WeChat's group prefix are not XML at all, and carry nothing to refuse.
  refuseXmlDeclarations('wxid_a:\n<msg><appmsg><title>t</title></appmsg></msg>', ['refer_msg', 'content']);
});

test('the predefined entities still read as text', () => {
  assert.deepEqual(readXml('<msg username="a&amp;b" nickname="&lt;&quot;张三&quot;&gt;"/>', 'xml').msg, { username: 'a&b', nickname: '<"张三">' });
});

test('size and well-formedness are checked at the same door, naming the field', () => {
  assert.deepEqual(refusal(() => readXml(`<x>${'a'.repeat(MAX_XML_BYTES)}</x>`, 'xml')).loc, ['body', 'xml']);
  const broken = refusal(() => readXmlInOrder('<TimelineObject><id>1</TimelineObject>', 'object_desc'));
  assert.deepEqual([broken.loc, broken.type], [['body', 'object_desc'], 'xml_error']);
  assert.match(broken.msg, /not well-formed/);
});
