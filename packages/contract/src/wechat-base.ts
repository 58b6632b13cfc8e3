// WeChat's protobuf-JSON building blocks: SKBuiltin wrappers, BaseResponse, the raw response shape and 64-bit ids.
// Response objects never forbid additional properties: WeChat sends far more keys than are listed, and none may be stripped.
import { Type, type TProperties } from '@sinclair/typebox';
import { Int32, UInt32 } from './integers.ts';

/** SKBuiltinString: WeChat wraps most strings as `{"string": "…"}`; an empty one is `{}`. */
export const SKString = Type.Object({ string: Type.Optional(Type.String()) }, { description: 'SKBuiltinString' });

/** An SKBuiltinString that usually carries something: `example` is what /docs shows inside it. */
export const SKStringOf = (example: string) =>
  Type.Object({ string: Type.Optional(Type.String({ examples: [example] })) }, { description: 'SKBuiltinString' });

/** SKBuiltinBuffer: `{"iLen": n, "buffer": "<base64>"}`. */
export const SKBuffer = Type.Object(
  { iLen: UInt32(), buffer: Type.Optional(Type.String({ contentEncoding: 'base64' })) },
  { description: 'SKBuiltinBuffer' },
);

/** Bytes a base64 text decodes to (the contract also runs in browsers, without Buffer). */
const base64Bytes = (base64: string) => (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);

/** An SKBuiltinBuffer with an example of its content (base64) and length (bytes). */
export const SKBufferOf = (base64: string) => Type.Object(
  {
    iLen: UInt32({ examples: [base64Bytes(base64)] }),
    buffer: Type.Optional(Type.String({ contentEncoding: 'base64', examples: [base64] })),
  },
  { description: 'SKBuiltinBuffer' },
);

/** A 1×1 PNG: the example of every base64 image field (a real QR code would fill the page). */
export const EXAMPLE_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Every WeChat response starts with it; `ret` 0 is success. */
export const BaseResponse = Type.Object({ ret: Int32(), errMsg: SKString }, { description: 'WeChat BaseResponse' });

/** An empty protobuf message: WeChat sends `{}` (never null, never an array). */
export const EmptyMessage = (description: string) => Type.Object({}, { description });
/** A uint64 field: WeChat's JSON carries 64-bit values as decimal strings. */
export const Uint64 = (description: string, examples?: string[]) =>
  Type.String({ pattern: '^\\d+$', description: `${description} (uint64 as a decimal string)`, ...(examples ? { examples } : {}) });

/** A raw WeChat response: baseResponse plus the call's own fields; unknown keys pass through untouched. */
export function wechatResponse<T extends TProperties = {}>(fields: T = {} as T, description?: string, title?: string) {
  return Type.Object(
    { baseResponse: BaseResponse, ...fields },
    { ...(title ? { title } : {}), ...(description ? { description } : {}) },
  );
}
