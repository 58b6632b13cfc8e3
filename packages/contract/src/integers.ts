// The integer kinds of the wire, declared once with their bounds: WeChat's protobuf int32/uint32, wxgate's own counters
// (exact in a JSON number), and the paging fields. Every integer of the contract is one of these (contract.test.ts).
import { Type, type IntegerOptions } from '@sinclair/typebox';

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
export const UINT32_MAX = 2 ** 32 - 1;

/**
 * A protobuf int32: WeChat's `ret` and error codes, which go negative. WeChat's other numbers are uint32; its 64-bit
 * ones (msg ids, object ids, bit masks) travel as decimal strings and are declared as strings.
 */
export const Int32 = (options: IntegerOptions = {}) => Type.Integer({ minimum: INT32_MIN, maximum: INT32_MAX, ...options });

/**
 * A protobuf uint32: WeChat's scenes, opcodes, types, counts, sizes, lengths, flags, versions, seqs, client versions,
 * CRCs. Options narrow it where a field has a tighter natural range (they must stay inside 0..2^32-1).
 */
export const UInt32 = (options: IntegerOptions = {}) => Type.Integer({ minimum: 0, maximum: UINT32_MAX, ...options });

/** The moment every example happens at (2026-01-01 17:00 Beijing time), so an example's times agree with each other. */
export const EXAMPLE_UNIX_SECONDS = 1767258000;

/** Unix seconds, as WeChat's uint32 createTime: until 2106. */
export const UnixSeconds = (description = 'unix seconds', options: IntegerOptions = {}) =>
  UInt32({ description, examples: [EXAMPLE_UNIX_SECONDS], ...options });

/**
 * wxgate's own counters (event sn, archive seq) and unix milliseconds: 0..2^53-1, the integers a JSON number carries
 * exactly; never a WeChat field.
 */
export const UInt53 = (options: IntegerOptions = {}) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...options });

/** Rows to skip when paging. */
export const Offset = (options: IntegerOptions = {}) => UInt32({ maximum: INT32_MAX, default: 0, ...options });

/** Rows in one page: 1..max. */
export const Limit = (max: number, fallback: number, options: IntegerOptions = {}) =>
  UInt32({ minimum: 1, maximum: max, default: fallback, ...options });

