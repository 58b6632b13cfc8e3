// Request validation: pydantic's lax conversions (as the vendor's FastAPI models accept), FastAPI-shaped issues.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contract } from '@wxgate/contract';
import { validateRequest } from './validation.ts';

const GUID = '3f2b8c1e-6a0d-4e7f-9b21-5c4d3e2f1a0b';

test('numeric text is an integer, as pydantic reads it: "length": "1234" on check_voice_trans', () => {
  const body: Record<string, unknown> = { guid: GUID, voice_id: 'v1', msg_id: '7123456789012345678', length: '1234' };
  assert.deepEqual(validateRequest(contract['/msg/check_voice_trans'], body), []);
  assert.equal(body.length, 1234);
  // A string field keeps its text: a 64-bit msg_id must not turn into a lossy number.
  assert.equal(body.msg_id, '7123456789012345678');
});

test('text that is not an integer, and a number for a string field, stay validation errors naming the field', () => {
  for (const length of ['12.5', '1e3', 'abc', '', ' ']) {
    const issues = validateRequest(contract['/msg/check_voice_trans'], { guid: GUID, voice_id: 'v1', msg_id: '1', length });
    assert.deepEqual(issues.map((i) => i.loc), [['body', 'length']], `length ${JSON.stringify(length)}`);
  }
  const issues = validateRequest(contract['/msg/send_text'], { guid: GUID, to_username: 12345, content: 'hi' });
  assert.deepEqual(issues, [{ loc: ['body', 'to_username'], msg: 'Input should be a valid string', type: 'string_type' }]);
});

test('booleans from 0/1 and true/false/yes/no/on/off text; anything else is refused', () => {
  const spec = contract['/client/create_client'];
  for (const [given, expected] of [[1, true], [0, false], ['true', true], ['False', false], ['yes', true], ['off', false]] as const) {
    const body: Record<string, unknown> = { auto_start: given };
    assert.deepEqual(validateRequest(spec, body), [], String(given));
    assert.equal(body.auto_start, expected, String(given));
  }
  assert.deepEqual(validateRequest(spec, { auto_start: 2 }).map((i) => i.type), ['bool_type']);
  assert.deepEqual(validateRequest(spec, { auto_start: 'maybe' }).map((i) => i.type), ['bool_type']);
});

test('conversions reach nested objects and arrays', () => {
  const body = { guid: GUID, to_username: 'wxid_a', content: 'x', refer_msg: { msg_type: '1', msg_id: '9', from_username: 'wxid_b', from_nickname: 'B', source: '', content: 'c' } };
  const issues = validateRequest(contract['/msg/send_refer_msg'], body);
  assert.ok(!issues.some((i) => i.loc.join('.') === 'body.refer_msg.msg_type'), JSON.stringify(issues));
  assert.equal(body.refer_msg.msg_type as unknown, 1);
});

test('integers outside their bounds answer pydantic\'s less_than_equal / greater_than_equal naming the field', () => {
  const spec = contract['/client/update_client'];
  for (const value of [1e308, 2e19, 2 ** 32, '4294967296', '20000000000000000000']) {
    assert.deepEqual(validateRequest(spec, { guid: GUID, new_client_type: value }), [
      { loc: ['body', 'new_client_type'], msg: 'Input should be less than or equal to 4294967295', type: 'less_than_equal' },
    ], String(value));
  }
  for (const value of [-1, -1e308, '-2147483649']) {
    assert.deepEqual(validateRequest(spec, { guid: GUID, new_client_type: value }), [
      { loc: ['body', 'new_client_type'], msg: 'Input should be greater than or equal to 0', type: 'greater_than_equal' },
    ], String(value));
  }
  // The edges themselves pass, converted from text too.
  for (const [value, expected] of [[4294967295, 4294967295], ['4294967295', 4294967295], [0, 0], [-0, 0], ['-0', 0]] as const) {
    const body: Record<string, unknown> = { guid: GUID, new_client_type: value };
    assert.deepEqual(validateRequest(spec, body), [], String(value));
    assert.equal(body.new_client_type, expected);
  }
  // Nested and array members are bounded too (a WeChat ret code is int32, a label id uint32).
  const refer = { msg_type: 2 ** 32, msg_id: '1', from_username: 'wxid_b' };
  assert.deepEqual(validateRequest(contract['/msg/send_refer_msg'], { guid: GUID, to_username: 'wxid_a', content: 'x', refer_msg: refer }).map((i) => [i.loc, i.type]),
    [[['body', 'refer_msg', 'msg_type'], 'less_than_equal']]);
  assert.deepEqual(validateRequest(contract['/label/get_contacts'], { guid: GUID, label_id_list: [1, 1e308] }).map((i) => [i.loc, i.type]),
    [[['body', 'label_id_list', 1], 'less_than_equal']]);
  // Paging: the natural bounds of the field, not only its type's.
  assert.deepEqual(validateRequest(contract['/sandbox/people/list'], { offset: 1e308, limit: 1001 }), [
    { loc: ['body', 'offset'], msg: 'Input should be less than or equal to 2147483647', type: 'less_than_equal' },
    { loc: ['body', 'limit'], msg: 'Input should be less than or equal to 1000', type: 'less_than_equal' },
  ]);
});

test('a fractional number for an integer field is int_from_float; other non-integers stay int_type; one issue per field', () => {
  const spec = contract['/client/update_client'];
  for (const value of [1.5, 0.5, -1.5]) {
    assert.deepEqual(validateRequest(spec, { guid: GUID, new_client_type: value }), [
      { loc: ['body', 'new_client_type'], msg: 'Input should be a valid integer, got a number with a fractional part', type: 'int_from_float' },
    ], String(value));
  }
  for (const value of ['1e308', 'NaN', 'Infinity', '1.5', '9'.repeat(400), true, null]) {
    assert.deepEqual(validateRequest(spec, { guid: GUID, new_client_type: value }).map((i) => i.type), ['int_type'], String(value));
  }
  // Coordinates are numbers with their own ranges.
  assert.deepEqual(validateRequest(contract['/msg/send_location'], { guid: GUID, to_username: 'wxid_a', latitude: 91, longitude: -1e308 }).map((i) => [i.loc, i.type]),
    [[['body', 'latitude'], 'less_than_equal'], [['body', 'longitude'], 'greater_than_equal']]);
});

test('an app-wide call refuses a guid the way pydantic refuses extra fields, at the field', () => {
  for (const path of ['/events/rotate_signing_secret', '/sandbox/world/reset'] as const) {
    assert.deepEqual(validateRequest(contract[path], { guid: GUID }), [{ loc: ['body', 'guid'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' }], path);
    assert.deepEqual(validateRequest(contract[path], {}), [], path);
  }
  assert.deepEqual(validateRequest(contract['/events/rotate_signing_secret'], { grace_seconds: 5 }), []);
});
