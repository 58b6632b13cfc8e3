// Composes every endpoint's request and success examples from the contract's field examples, so /docs shows real values.
import type { EndpointSpec } from '@wxgate/contract';

type Schema = Record<string, unknown>;

/** A composed example and the places where the contract gave nothing to compose it from. */
export interface Sampled {
  readonly value: unknown;
  /** Paths (`to_username`, `list[0].toUserName`) of values made up without an example: the contract owes one there. */
  readonly gaps: readonly string[];
}

/**
 * `request`: what a caller sends, so required fields plus the optional ones that declare `examples` (the rest take
 * their defaults on the server and would only be noise). `response`: what WeChat answers, so required fields
 * plus every optional one that can be shown from examples alone (real answers carry far more keys than they must).
 */
export type SampleMode = 'request' | 'response';

interface Node {
  value: unknown;
  /** Some leaf came from the contract (an example, const, enum or format), not from a type's fallback. */
  sourced: boolean;
  gaps: string[];
}

const clone = <T>(value: T): T => structuredClone(value);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const typesOf = (schema: Schema): string[] => (Array.isArray(schema.type) ? schema.type as string[] : typeof schema.type === 'string' ? [schema.type] : []);

const hasExamples = (schema: Schema) => Array.isArray(schema.examples) && schema.examples.length > 0;

/** Values that are a format's shape, not anyone's data: used only where a field names its format and gives no example. */
const FORMAT_SAMPLES: Record<string, string> = {
  uuid: '7092457f-325f-3b3a-bf8e-a30b4dcaf74b',
  uri: 'https://example.com/',
  'date-time': '2026-01-01T09:00:00Z',
};

/** The integer (or number) nearest 0 inside a schema's bounds: the one value every bounded field accepts. */
function boundedNumber(schema: Schema): number {
  const integer = typesOf(schema).includes('integer');
  const step = integer ? 1 : 0.5;
  let low = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  let high = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  if (typeof schema.exclusiveMinimum === 'number') low = Math.max(low, schema.exclusiveMinimum + step);
  if (typeof schema.exclusiveMaximum === 'number') high = Math.min(high, schema.exclusiveMaximum - step);
  return Math.min(Math.max(0, low), high);
}

/** A default that means something (not the '' or [] a vendor model fills in for "not given"). */
const meaningfulDefault = (value: unknown) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);

function sample(schema: Schema, mode: SampleMode, path: string): Node {
  if (hasExamples(schema)) return { value: clone((schema.examples as unknown[])[0]), sourced: true, gaps: [] };
  if ('const' in schema) return { value: clone(schema.const), sourced: true, gaps: [] };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { value: clone(schema.enum[0]), sourced: true, gaps: [] };
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) {
    // A nullable field shows its value, not the null; a union of literals its first literal.
    const branch = branches.find((b) => !typesOf(b).every((t) => t === 'null') || 'const' in b) ?? branches[0]!;
    const shown = sample(branch, mode, path);
    // …unless the contract has no example of the value: then null is the honest sample (`error: null`).
    const nullable = branches.some((b) => typesOf(b).length > 0 && typesOf(b).every((t) => t === 'null'));
    return nullable && shown.gaps.length > 0 ? { value: null, sourced: false, gaps: [] } : shown;
  }
  // A default is what the server takes when the field is left out, so it is a valid sample even when it is '' or [];
  // only a default that says something makes an optional answer field worth showing.
  if (schema.default !== undefined) return { value: clone(schema.default), sourced: meaningfulDefault(schema.default), gaps: [] };
  const type = typesOf(schema).find((t) => t !== 'null') ?? (typesOf(schema).includes('null') ? 'null' : undefined);
  switch (type) {
    case 'object':
      return sampleObject(schema, mode, path);
    case 'array': {
      const item = sample((schema.items ?? {}) as Schema, mode, `${path}[0]`);
      const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 0);
      return { value: Array.from({ length: count }, () => clone(item.value)), sourced: item.sourced, gaps: item.gaps };
    }
    case 'string': {
      const format = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
      if (format) return { value: format, sourced: true, gaps: [] };
      return { value: '', sourced: false, gaps: [path || '(root)'] };
    }
    case 'integer':
    case 'number':
      return { value: boundedNumber(schema), sourced: false, gaps: [] };
    case 'boolean':
      return { value: false, sourced: false, gaps: [] };
    case 'null':
      return { value: null, sourced: false, gaps: [] };
    default:
      // An unconstrained value (Type.Unknown): only an example can say what goes there.
      return { value: null, sourced: false, gaps: [path || '(root)'] };
  }
}

function sampleObject(schema: Schema, mode: SampleMode, path: string): Node {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const value: Record<string, unknown> = {};
  const gaps: string[] = [];
  let sourced = false;
  for (const [key, child] of Object.entries(properties)) {
    const node = sample(child, mode, join(path, key));
    if (!required.has(key)) {
      const shown = mode === 'request' ? hasExamples(child) : node.sourced && node.gaps.length === 0;
      if (!shown) continue;
    }
    value[key] = node.value;
    // What makes an optional object worth showing: a required field with something to show, or a field with examples
    // of its own (`{"string": …}`), not examples deep inside an optional one (a room's member list must not put
    // newChatroomData into a friend's contact just because ChatRoomMember has examples).
    if (required.has(key) || hasExamples(child)) sourced ||= node.sourced;
    gaps.push(...node.gaps);
  }
  return { value, sourced, gaps };
}

/** TypeBox schemas are JSON Schema plus symbol keys; a JSON round trip keeps exactly the JSON Schema. */
const plain = (schema: unknown): Schema => JSON.parse(JSON.stringify(schema)) as Schema;

/** An example of `schema`, composed from its fields' examples, consts, enums, formats, defaults and bounds. */
export function sampleSchema(schema: unknown, mode: SampleMode): Sampled {
  const node = sample(plain(schema), mode, '');
  return { value: node.value, gaps: node.gaps };
}

/** The examples an endpoint shows: composed from its fields, with the endpoint's own corrections (`spec.examples`). */
export interface EndpointExamples {
  readonly request: Sampled;
  /** The success payload: the WeChat object of a raw endpoint, the `data` of a wrapper one (before the wire envelope). */
  readonly response: Sampled;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `base` with `patch` merged in: objects key by key, anything else (arrays included) replaced whole. */
function merged(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return clone(patch);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merged(base[key], value);
  return out;
}

/** Whether a correction gives the value at a gap's path (or an array or value above it). */
function covers(patch: unknown, gap: string): boolean {
  let at = patch;
  for (const key of gap.split(/\.|\[\d+\]\.?/).filter(Boolean)) {
    if (!isRecord(at)) return true;
    if (!Object.hasOwn(at, key)) return false;
    at = at[key];
  }
  return true;
}

/** The composed example with an endpoint's corrections merged in; the gaps they fill are gone. */
function corrected(composed: Sampled, own: unknown): Sampled {
  if (own === undefined) return composed;
  return { value: merged(composed.value, own), gaps: composed.gaps.filter((gap) => !covers(own, gap)) };
}

export function endpointExamples(spec: EndpointSpec): EndpointExamples {
  return {
    request: corrected(sampleSchema(spec.request, 'request'), spec.examples?.request),
    response: corrected(sampleSchema(spec.response, 'response'), spec.examples?.response),
  };
}
