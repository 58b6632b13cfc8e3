// The example sampler on the shapes TypeBox emits: where each value comes from, what is shown, what is a gap.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { endpointList, SKString, SKStringOf } from '@wxgate/contract';
import { endpointExamples, sampleSchema } from './openapi-examples.ts';

const request = (schema: unknown) => sampleSchema(schema, 'request');
const response = (schema: unknown) => sampleSchema(schema, 'response');

describe('sampleSchema', () => {
  test('a value comes from the field\'s examples, else its const, enum, first literal, default or format', () => {
    assert.equal(request(Type.String({ examples: ['wxid_a', 'wxid_b'], default: 'x' })).value, 'wxid_a');
    assert.equal(request(Type.Literal('raw')).value, 'raw');
    assert.equal(request({ enum: ['b', 'a'] }).value, 'b');
    assert.equal(request(Type.Union([Type.Literal('scan'), Type.Literal('confirm')])).value, 'scan');
    assert.equal(request(Type.Integer({ default: 15 })).value, 15);
    assert.equal(request(Type.String({ format: 'uuid' })).value, '7092457f-325f-3b3a-bf8e-a30b4dcaf74b');
  });

  test('numbers without an example take the value nearest 0 inside their bounds; booleans false', () => {
    assert.equal(request(Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 - 1 })).value, 0);
    assert.equal(request(Type.Integer({ minimum: 1, maximum: 1000 })).value, 1);
    assert.equal(request(Type.Integer({ minimum: -10, maximum: -5 })).value, -5);
    assert.equal(request(Type.Integer({ exclusiveMinimum: 0 })).value, 1);
    assert.equal(request(Type.Boolean()).value, false);
  });

  test('a string with nothing to show it from is a gap, named by its path', () => {
    const schema = Type.Object({ list: Type.Array(Type.Object({ to: Type.String(), ok: Type.String({ examples: ['y'] }) })) });
    assert.deepEqual(request(schema), { value: { list: [{ to: '', ok: 'y' }] }, gaps: ['list[0].to'] });
    assert.deepEqual(request(Type.Unknown()).gaps, ['(root)']);
    // '' is a real value where it is the default: the server fills it in when the field is left out.
    assert.deepEqual(request(Type.Object({ chatroom: Type.String({ default: '' }) })), { value: { chatroom: '' }, gaps: [] });
  });

  test('a nullable field shows its value when it has one, else null (not a gap)', () => {
    assert.equal(response(Type.Union([Type.Integer({ minimum: 0, maximum: 9, examples: [7] }), Type.Null()])).value, 7);
    assert.deepEqual(response(Type.Union([Type.String(), Type.Null()])), { value: null, gaps: [] });
  });

  test('requests show the required fields and the optional ones that declare examples', () => {
    const schema = Type.Object({
      guid: Type.String({ examples: ['g'] }),
      title: Type.Optional(Type.String({ default: '', examples: ['天安门'] })),
      scale: Type.Optional(Type.Integer({ default: 15 })),
      room: Type.Optional(Type.String()),
    });
    assert.deepEqual(request(schema), { value: { guid: 'g', title: '天安门' }, gaps: [] });
  });

  test('answers show the optional fields their required fields or own examples can show, nothing made up', () => {
    const member = Type.Object({ userName: Type.String({ examples: ['wxid_a'] }) });
    const schema = Type.Object({
      nickName: SKStringOf('李娜'),
      remark: SKString,
      sex: Type.Optional(Type.Integer({ minimum: 0, maximum: 2, examples: [2] })),
      bitMask: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
      signature: Type.Optional(Type.String()),
      // Optional all the way down: shown only through a required field with an example.
      roomData: Type.Optional(Type.Object({ memberCount: Type.Integer({ minimum: 0, maximum: 9 }), members: Type.Optional(Type.Array(member)) })),
      limits: Type.Optional(Type.Object({ limit: Type.Integer({ minimum: 0, maximum: 999, examples: [100] }) })),
    });
    assert.deepEqual(response(schema), { value: { nickName: { string: '李娜' }, remark: {}, sex: 2, limits: { limit: 100 } }, gaps: [] });
  });

  test('arrays show one item, or as many as minItems asks, or their own example', () => {
    assert.deepEqual(request(Type.Array(Type.String({ examples: ['a'] }))).value, ['a']);
    assert.deepEqual(request(Type.Array(Type.String({ examples: ['a'] }), { minItems: 2 })).value, ['a', 'a']);
    assert.deepEqual(request(Type.Array(Type.String(), { examples: [['x', 'y']] })).value, ['x', 'y']);
  });

  test('an endpoint\'s own corrections replace the composed keys they name', () => {
    const spec = endpointList.find((e) => e.path === '/sandbox/messages/revoke')!;
    const composed = sampleSchema(spec.response, 'response').value as Record<string, unknown>;
    const shown = endpointExamples(spec).response.value as Record<string, unknown>;
    assert.equal(composed.msg_type, 1);
    assert.equal(shown.msg_type, 10002);
    assert.equal(shown.from_username, composed.from_username);
  });
});
