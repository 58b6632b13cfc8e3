// The JSON-Schema→TypeScript converter behind endpoints.generated.ts, on the shapes TypeBox emits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { endpointsSource, typeName } from '../../../scripts/sdk/endpoints-ts.ts';
import { jsDoc, propertyKey, schemaToTs, type JsonSchema } from '../../../scripts/sdk/schema-to-ts.ts';

const closed = (s: unknown) => schemaToTs(s as JsonSchema, { role: 'request' });
const answer = (s: unknown) => schemaToTs(s as JsonSchema, { role: 'response' });

describe('schemaToTs', () => {
  test('scalars, null, unknown', () => {
    assert.equal(closed(Type.String()), 'string');
    assert.equal(closed(Type.Integer()), 'number');
    assert.equal(closed(Type.Number()), 'number');
    assert.equal(closed(Type.Boolean()), 'boolean');
    assert.equal(closed(Type.Null()), 'null');
    assert.equal(closed(Type.Unknown()), 'unknown');
  });

  test('literals, enums and unions (nullable included)', () => {
    assert.equal(closed(Type.Literal('raw')), '"raw"');
    assert.equal(closed(Type.Literal(3)), '3');
    assert.equal(closed(Type.Union([Type.Literal('a'), Type.Literal('b')])), '"a" | "b"');
    assert.equal(closed(Type.Union([Type.Integer(), Type.Null()])), 'number | null');
    assert.equal(closed({ enum: ['x', 1, null] }), '"x" | 1 | null');
    assert.equal(closed({ type: ['string', 'null'] }), 'string | null');
    assert.equal(closed(Type.Union([Type.String(), Type.Unknown()])), 'unknown');
  });

  test('arrays, with parentheses only where a union needs them', () => {
    assert.equal(closed(Type.Array(Type.String())), 'string[]');
    assert.equal(closed(Type.Array(Type.Union([Type.String(), Type.Integer()]))), 'Array<string | number>');
    assert.equal(closed(Type.Array(Type.Array(Type.Integer()))), 'number[][]');
  });

  test('objects: required and optional keys, quoted keys, JSDoc from descriptions and defaults', () => {
    const schema = Type.Object({
      guid: Type.String({ description: 'instance id' }),
      'x-y': Type.Optional(Type.Integer({ default: 2 })),
    });
    assert.equal(closed(schema), '{\n  /** instance id */\n  guid: string;\n  /** @default 2 */\n  "x-y"?: number;\n}');
  });

  test('responses have no index signature at any depth, so an unlisted key is a compile error; requests take any key only where they list none', () => {
    const schema = Type.Object({ inner: Type.Object({ a: Type.String() }) });
    assert.equal(answer(schema), '{\n  inner: {\n    a: string;\n  };\n}');
    assert.equal(answer(Type.Object({ a: Type.String() }, { additionalProperties: true })), '{\n  a: string;\n}');
    assert.equal(answer(Type.Object({})), 'Record<never, never>');
    assert.doesNotMatch(answer(Type.Object({ list: Type.Array(Type.Object({ x: Type.Integer() })) })), /\[key: string\]|unknown|any/);
    // A typed map keeps its value type; declared keys must fit it.
    assert.equal(answer(Type.Object({}, { additionalProperties: Type.Integer() })), '{\n  [key: string]: number;\n}');
    assert.equal(answer(Type.Object({ a: Type.String() }, { additionalProperties: Type.Integer() })), '{\n  a: string;\n  [key: string]: number | string;\n}');
    assert.doesNotMatch(closed(schema), /\[key: string\]/);
    assert.equal(closed(Type.Object({})), '{\n  [key: string]: unknown;\n}');
    assert.equal(closed(Type.Object({ a: Type.String() }, { additionalProperties: Type.Integer() })), '{\n  a: string;\n  [key: string]: unknown;\n}');
  });

  test('JSDoc cannot be closed early by a description', () => {
    assert.equal(jsDoc({ description: 'a */ b' }, ''), '/** a *\\/ b */\n');
    assert.equal(jsDoc({}, ''), '');
    assert.equal(jsDoc({ description: 'one\ntwo' }, '  '), '  /**\n   * one\n   * two\n   */\n');
  });

  test('keys and type names', () => {
    assert.equal(propertyKey('to_username'), 'to_username');
    assert.equal(propertyKey('a-b'), '"a-b"');
    assert.equal(typeName('/sandbox/messages/send_media'), 'SandboxMessagesSendMedia');
    assert.equal(typeName('/room/tranfer_chatroom_owner'), 'RoomTranferChatroomOwner');
  });

  test('unsupported schemas fail loudly rather than typing as any', () => {
    assert.throws(() => closed({ type: 'tuple' }), /unsupported schema type/);
    assert.throws(() => closed({ const: { a: 1 } }), /unsupported literal/);
  });

  test('no answer or callback type in the generated module has an index signature or any', () => {
    const source = endpointsSource();
    // Each declaration runs from its `export` to the next one.
    const declarations = source.split(/\n(?=(?:\/\*\*[\s\S]*?\*\/\n)?export )/);
    const answers = declarations.filter((d) => /export (?:interface|type) \w+(?:Response|Payload)\b/.test(d));
    assert.ok(answers.length > 150, `only ${answers.length} answer and payload types found`);
    const open = answers.filter((d) => /\[key: string\]: unknown|\bany\b(?![^\n]*\*)/.test(d.replace(/\/\*\*[\s\S]*?\*\//g, '')));
    assert.deepEqual(open.map((d) => /export (?:interface|type) (\w+)/.exec(d)?.[1]), []);
    assert.match(source, /export type CallbackEvent = \{\n  \[T in keyof CallbackPayloads\]: \{ guid: string; notify_type: T; data: CallbackPayloads\[T\] \};/);
    assert.match(source, /export type BatchNewMsgPayload = NewMsgPayload\[\];/);
  });

  test('the generated module names every endpoint once and refuses colliding type names', () => {
    const source = endpointsSource();
    assert.match(source, /"\/msg\/send_text": \{ request: MsgSendTextRequest; response: MsgSendTextResponse \};/);
    assert.match(source, /"\/msg\/send_text": \{ module: "msg", kind: "raw", scope: "instance" \},/);
    const spec = { path: '/a/b_c', module: 'msg', summaryEn: '', summaryZh: '', kind: 'raw', scope: 'app', origin: 'wxgate', request: Type.Object({}), response: Type.Object({}) } as const;
    assert.throws(() => endpointsSource([spec, { ...spec, path: '/a_b/c' }] as never), /both map to the type name ABC/);
  });
});
