// Junk request bodies for fuzz tests: shaped like an endpoint's fields (plausible and hostile values), or a valid body
// with one or two fields spoiled, so the junk gets past validation into the engine behind it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ERROR_STATUS_HEADER, type EndpointSpec } from '@wxgate/contract';
import type { Harness } from './harness.ts';

export interface JunkOptions {
  /** The instance to aim at (added as guid on instance-scoped endpoints). */
  readonly guid: string;
  /** Values that mean something in this world (wxids, room ids, URLs, XML fragments, edge numbers). */
  readonly plausible: ReadonlyArray<string | undefined>;
  /** A valid body for the endpoint, when the test knows one. */
  readonly template?: Record<string, unknown> | undefined;
  /** Further value shapes worth trying for this module, built from the plausible values. */
  readonly extraValues?: (plausible: fc.Arbitrary<string>) => ReadonlyArray<fc.Arbitrary<unknown>>;
}

export function junkBody(spec: EndpointSpec, options: JunkOptions): fc.Arbitrary<Record<string, unknown>> {
  const fieldNames = Object.keys(spec.request.properties as object);
  const plausible = fc.constantFrom(...options.plausible.filter((v): v is string => v !== undefined));
  const value = fc.oneof(
    plausible,
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.array(fc.oneof(plausible, fc.string(), fc.integer()), { maxLength: 3 }),
    fc.anything({ maxDepth: 2 }),
    ...(options.extraValues?.(plausible) ?? []),
  );
  const withGuid = (body: Record<string, unknown>) => (spec.scope === 'instance' ? { ...body, guid: options.guid } : body);
  const shaped = fc.dictionary(fc.constantFrom(...fieldNames, 'extra'), value, { maxKeys: fieldNames.length + 1 }).map(withGuid);
  const spoilable = fieldNames.filter((f) => f !== 'guid');
  if (!options.template || spoilable.length === 0) return shaped;
  const template = options.template;
  const spoiled = fc.array(fc.tuple(fc.constantFrom(...spoilable), value), { maxLength: 2 })
    .map((changes) => withGuid({ ...template, ...Object.fromEntries(changes) }));
  return fc.oneof(shaped, spoiled, spoiled);
}

/**
 * The status an answer stands for: the HTTP status, or the precise one in `x-wxgate-status` when it differs (raw mode
 * answers business failures with HTTP 200 and the precise status in the header).
 */
export function preciseStatus(res: { status: number; headers: Record<string, unknown> }): number {
  const header = Number(res.headers[ERROR_STATUS_HEADER]);
  return Number.isInteger(header) && header > 0 ? Math.max(header, res.status) : res.status;
}

/**
 * Sends junk from `junk` to every endpoint, through both transports at random, asserting that each answer is a JSON
 * object and never a 5xx by its HTTP status or its x-wxgate-status (501 "not supported" allowed when `allow501`).
 * Returns how often each (precise) status was seen.
 */
export async function fuzzEndpoints(
  h: Harness,
  specs: readonly EndpointSpec[],
  junk: (spec: EndpointSpec) => fc.Arbitrary<unknown>,
  options: { numRuns: number; seed: number; allow501?: boolean },
): Promise<Map<number, number>> {
  const codes = new Map<number, number>();
  for (const spec of specs) {
    await fc.assert(
      fc.asyncProperty(junk(spec), fc.boolean(), async (body, viaGateway) => {
        const res = viaGateway ? await h.gateway(spec.path, body) : await h.direct(spec.path, body);
        const status = preciseStatus(res);
        codes.set(status, (codes.get(status) ?? 0) + 1);
        const fine = status < 500 || (options.allow501 === true && status === 501);
        assert.ok(fine, `${spec.path} answered ${res.status} (${ERROR_STATUS_HEADER} ${String(res.headers[ERROR_STATUS_HEADER])}) to ${JSON.stringify(body).slice(0, 300)}: ${res.text.slice(0, 300)}`);
        assert.equal(typeof res.body, 'object');
      }),
      { numRuns: options.numRuns, seed: options.seed },
    );
  }
  return codes;
}

/**
 * Numbers at the edges of int32, uint32, IEEE doubles and JSON (±2^31±1, 2^32, ±2^53, 2e19, ±1e308, -0, fractions),
 * and the texts pydantic-lax conversion might read as numbers ("NaN", "1e308", 40-digit integers).
 */
export const BOUNDARY_NUMBERS: readonly number[] = [
  2 ** 31, -(2 ** 31), 2 ** 31 - 1, 2 ** 31 + 1, -(2 ** 31) - 1, -(2 ** 31) + 1, 2 ** 32, 2 ** 32 - 1,
  2 ** 53, -(2 ** 53), 2e19, 1e308, -1e308, -0, 0.5, 1.5, -1,
];
export const BOUNDARY_TEXTS: readonly string[] = [
  'NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '-0', '0.5', '1.5', '2147483648', '-2147483649', '4294967296',
  '9007199254740993', '18446744073709551616', '20000000000000000000', '9'.repeat(40), `-${'9'.repeat(400)}`, ' 12 ', '0x10',
];

type SchemaNode = {
  type?: string; format?: string; properties?: Record<string, SchemaNode>; required?: string[]; items?: SchemaNode;
  anyOf?: SchemaNode[]; default?: unknown; minimum?: number; maximum?: number;
};

export interface SchemaBodyOptions {
  /** The instance every uuid field names. */
  readonly guid: string;
  /** Values that mean something in the test's world for a field of this name (wxids, room ids, XML), if any. */
  readonly valuesFor: (field: string) => readonly unknown[] | undefined;
}

/** Every field of a request schema with its path, nested objects and array items (at index 0) followed. */
function fieldsOf(schema: SchemaNode, path: readonly string[] = []): Array<{ path: string[]; schema: SchemaNode }> {
  const below = (): Array<{ path: string[]; schema: SchemaNode }> => {
    if (schema.anyOf) return schema.anyOf.flatMap((member) => fieldsOf(member, path).filter((f) => f.path.length > path.length));
    if (schema.type === 'object') return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => fieldsOf(child, [...path, name]));
    if (schema.type === 'array' && schema.items) return fieldsOf(schema.items, [...path, '0']);
    return [];
  };
  return [...(path.length > 0 ? [{ path: [...path], schema }] : []), ...below()];
}

function withValueAt(body: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let node: Record<string, unknown> = copy;
  path.slice(0, -1).forEach((key, i) => {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = /^\d+$/.test(path[i + 1]!) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[path.at(-1)!] = value;
  return copy;
}

/** The arbitraries behind schemaBody and boundaryCases. */
function bodyArbitraries(spec: EndpointSpec, options: SchemaBodyOptions) {
  const boundary = fc.oneof({ arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS), weight: 3 }, { arbitrary: fc.constantFrom(...BOUNDARY_TEXTS), weight: 1 });
  const small = (schema: SchemaNode) => fc.oneof(
    fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 3, (schema.minimum ?? 0) + 3) }),
    ...(typeof schema.default === 'number' ? [fc.constant(schema.default)] : []),
  );
  const valueOf = (schema: SchemaNode, field: string, wild: boolean): fc.Arbitrary<unknown> => {
    if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => valueOf(s, field, wild)));
    const sometimes = (ordinary: fc.Arbitrary<unknown>, boundaryWeight: number, ordinaryWeight: number) =>
      (wild ? fc.oneof({ arbitrary: boundary, weight: boundaryWeight }, { arbitrary: ordinary, weight: ordinaryWeight }) : ordinary);
    const known = options.valuesFor(field);
    switch (schema.type) {
      case 'integer':
        return sometimes(small(schema), 2, 1);
      case 'number':
        return sometimes(fc.double({ min: -90, max: 90, noNaN: true }), 2, 1);
      case 'string':
        if (schema.format === 'uuid') return fc.constant(options.guid);
        return sometimes(known?.length ? fc.constantFrom(...known) : fc.constantFrom('x', '', '1'), 1, 3);
      case 'boolean':
        return wild ? fc.constantFrom(true, false, 0, 1, 'true', 2, 1e308) : fc.boolean();
      case 'array':
        return fc.array(schema.items ? valueOf(schema.items, field, wild) : boundary, { minLength: known?.length ? 1 : 0, maxLength: 3 });
      case 'object':
        return objectOf(schema, wild);
      case 'null':
        return fc.constant(null);
      default:
        return boundary;
    }
  };
  const objectOf = (schema: SchemaNode, wild: boolean): fc.Arbitrary<Record<string, unknown>> => {
    const required = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties ?? {}).map(([name, child]) => {
      const value = valueOf(child, name, wild);
      // An optional field drawn as undefined is left out of the body.
      return [name, required.has(name) ? value : fc.oneof(value, fc.constant(undefined))] as const;
    });
    return fc.tuple(...fields.map(([, value]) => value)).map((values) =>
      Object.fromEntries(fields.map(([name], i) => [name, values[i]]).filter(([, v]) => v !== undefined)));
  };
  const request = spec.request as SchemaNode;
  return {
    boundary,
    ordinary: objectOf(request, false),
    wild: objectOf(request, true),
    fields: fieldsOf(request).filter((f) => f.path.at(-1) !== 'guid'),
  };
}

/**
 * Bodies shaped by the endpoint's request schema (required fields always there, optional ones at random, nested
 * objects and arrays followed), of two sorts: an ordinary body (the test's meaningful values for named fields, small
 * integers, defaults) with one field at any depth replaced by a boundary value, so the value meets the engine behind
 * validation; and wild bodies where every number is a boundary value two times in three and strings now and then
 * numeric boundary texts.
 */
export function schemaBody(spec: EndpointSpec, options: SchemaBodyOptions): fc.Arbitrary<Record<string, unknown>> {
  const { boundary, ordinary, wild, fields } = bodyArbitraries(spec, options);
  if (fields.length === 0) return wild;
  const focused = fc.tuple(ordinary, fc.constantFrom(...fields.map((f) => f.path)), boundary)
    .map(([body, path, value]) => withValueAt(body, path, value));
  return fc.oneof({ arbitrary: focused, weight: 2 }, { arbitrary: wild, weight: 1 });
}

/**
 * Every number field (integer or not, at any depth) of the endpoint with every boundary number, each in an ordinary
 * body drawn once from `seed`: the exhaustive companion of schemaBody's random draws.
 */
export function boundaryCases(spec: EndpointSpec, options: SchemaBodyOptions & { seed: number }): Array<{
  /** Where the value sits, as a 422's loc names it after 'body'. */
  loc: Array<string | number>;
  value: number;
  body: Record<string, unknown>;
  /** The field's own schema (its type and bounds). */
  schema: { type?: string; minimum?: number; maximum?: number };
}> {
  const { ordinary, fields } = bodyArbitraries(spec, options);
  const isNumber = (schema: SchemaNode): boolean => schema.type === 'integer' || schema.type === 'number' || (schema.anyOf ?? []).some(isNumber);
  const numeric = fields.filter((f) => isNumber(f.schema));
  if (numeric.length === 0) return [];
  const [body] = fc.sample(ordinary, { numRuns: 1, seed: options.seed });
  return numeric.flatMap((f) => BOUNDARY_NUMBERS.map((value) => ({
    loc: f.path.map((key) => (/^\d+$/.test(key) ? Number(key) : key)),
    value,
    body: withValueAt(body!, f.path, value),
    schema: f.schema,
  })));
}
