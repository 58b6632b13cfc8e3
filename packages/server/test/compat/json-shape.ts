// JSON shapes described as data, and a comparison that names the key path where a payload's key set or a value's JSON type differs.
import assert from 'node:assert/strict';

/**
 * A leaf type. `id64`: a 64-bit unsigned id as a decimal string (WeChat's JSON never carries 64-bit values as numbers);
 * `sk`: an SKBuiltinString, `{}` when empty or `{"string": …}`; `base64`: a string of base64.
 */
export type Leaf = 'string' | 'integer' | 'boolean' | 'id64' | 'sk' | 'base64';

/** An array whose every element has `item`, holding at least `min` elements (so the elements' shape is really checked). */
export class ListShape {
  constructor(readonly item: Shape, readonly min: number) {}
}

/** A value with any one of `options` (a field whose shape differs between senders, e.g. remark `{}` or `{string}`). */
export class OneOfShape {
  constructor(readonly options: readonly Shape[]) {}
}

/** A plain object: exactly these keys (a key ending in `?` may be absent), each with its shape. `{}` is the empty message. */
export interface ObjectShape {
  readonly [key: string]: Shape;
}

export type Shape = Leaf | ListShape | OneOfShape | ObjectShape;

export const list = (item: Shape, min = 0): ListShape => new ListShape(item, min);
export const oneOf = (...options: Shape[]): OneOfShape => new OneOfShape(options);

const MAX_UINT64 = (1n << 64n) - 1n;

/** The JSON type of a value, with integers told apart from other numbers. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => jsonType(value) === 'object';

function leafDiff(value: unknown, leaf: Leaf, path: string): string[] {
  const got = jsonType(value);
  const wrong = (expected: string) => [`${path}: expected ${expected}, got ${got === 'string' || got === 'object' ? `${got} ${JSON.stringify(value)}` : got}`];
  switch (leaf) {
    case 'string':
    case 'integer':
    case 'boolean':
      return got === leaf ? [] : wrong(leaf);
    case 'id64':
      return typeof value === 'string' && /^(0|[1-9]\d{0,19})$/.test(value) && BigInt(value) <= MAX_UINT64 ? [] : wrong('a 64-bit id as a decimal string');
    case 'base64':
      return typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? [] : wrong('a base64 string');
    case 'sk': {
      if (!isPlainObject(value)) return wrong('an SKBuiltinString object');
      const keys = Object.keys(value);
      if (keys.length === 0) return [];
      return keys.length === 1 && typeof value.string === 'string' ? [] : wrong('an SKBuiltinString ({} or {"string": …})');
    }
  }
}

/** Every difference between `value` and `shape`, each as "<key path>: <what differs>"; [] when it matches. */
export function shapeDiff(value: unknown, shape: Shape, path = '$'): string[] {
  if (typeof shape === 'string') return leafDiff(value, shape, path);
  if (shape instanceof OneOfShape) {
    const results = shape.options.map((option) => shapeDiff(value, option, path));
    return results.some((r) => r.length === 0) ? [] : [`${path}: matches none of its ${shape.options.length} shapes (${results.map((r) => r[0]).join(' | ')})`];
  }
  if (shape instanceof ListShape) {
    if (!Array.isArray(value)) return [`${path}: expected array, got ${jsonType(value)}`];
    const short = value.length < shape.min ? [`${path}: expected at least ${shape.min} element(s), got ${value.length}`] : [];
    return [...short, ...value.flatMap((item, i) => shapeDiff(item, shape.item, `${path}[${i}]`))];
  }
  if (!isPlainObject(value)) return [`${path}: expected object, got ${jsonType(value)}`];
  const out: string[] = [];
  const expected = new Set<string>();
  for (const [rawKey, sub] of Object.entries(shape)) {
    const optional = rawKey.endsWith('?');
    const key = optional ? rawKey.slice(0, -1) : rawKey;
    expected.add(key);
    if (!(key in value)) {
      if (!optional) out.push(`${path}.${key}: missing`);
      continue;
    }
    out.push(...shapeDiff(value[key], sub, `${path}.${key}`));
  }
  for (const key of Object.keys(value)) if (!expected.has(key)) out.push(`${path}.${key}: unexpected key (${jsonType(value[key])})`);
  return out;
}

/** Fails with every differing key path when `value` does not have `shape`. */
export function assertShape(value: unknown, shape: Shape, what: string): void {
  const diff = shapeDiff(value, shape);
  if (diff.length > 0) assert.fail(`${what} differs from WeChat's shape:\n  ${diff.join('\n  ')}`);
}
