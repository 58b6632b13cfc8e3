// The contract matches the vendor catalog: same paths, modules, kinds, request fields, types and required flags.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { contract, endpointList, EXTENSION_FIELD, UINT32_MAX, type EndpointSpec } from './index.ts';

interface CatalogField { name: string; type: string; required: boolean; default: unknown }
interface CatalogEntry { module: string; path: string; name_zh: string; request: CatalogField[]; response_kind: string }

const vendored = new URL('../catalog/api-catalog.json', import.meta.url);
const shared = new URL('../../../../shared/spec/api-catalog.json', import.meta.url);
const catalog = JSON.parse(readFileSync(vendored, 'utf8')) as CatalogEntry[];

/** wxgate's own extensions, declared in the contract but not in the vendor catalog. */
const EXTENSIONS = new Set(endpointList.filter((e) => e.origin === 'wxgate').map((e) => e.path));
/** Vendor endpoints the catalog's tables lack, each with its evidence. */
const OUTSIDE_CATALOG = endpointList.filter((e) => e.outsideCatalog !== undefined);

const jsonType = (schema: Record<string, unknown>): string => {
  if (schema.anyOf) return (schema.anyOf as Record<string, unknown>[]).map(jsonType).sort().join('|');
  if (schema.type === 'array') return `${jsonType(schema.items as Record<string, unknown>)}[]`;
  return String(schema.type);
};
const CATALOG_TYPES: Record<string, string> = {
  string: 'string', integer: 'integer', boolean: 'boolean', 'number(float)': 'number', 'string[]': 'string[]', 'integer[]': 'integer[]',
  object: 'object', ChatMsgModel: 'object', ReferMsgModel: 'object', 'string[] (anyOf string[] | string)': 'string|string[]',
};

test('the vendored catalog is the shared spec\'s catalog', { skip: existsSync(shared) ? false : 'shared/spec is not beside this checkout' }, () => {
  assert.equal(readFileSync(vendored, 'utf8'), readFileSync(shared, 'utf8'));
});

test('contract paths are exactly the catalog\'s 132 plus declared extensions', () => {
  const catalogPaths = catalog.map((e) => e.path).sort();
  assert.equal(catalogPaths.length, 132);
  const vendorSide = endpointList.filter((e) => e.outsideCatalog === undefined).map((e) => e.path)
    .filter((p) => !EXTENSIONS.has(p) || catalogPaths.includes(p)).sort();
  assert.deepEqual(vendorSide, catalogPaths);
  assert.equal(endpointList.filter((e) => e.origin === 'vendor' && e.outsideCatalog === undefined).length, 130);
  for (const path of EXTENSIONS) {
    assert.ok(catalogPaths.includes(path) || /^\/(admin|client|sandbox|events|wechaty|ilink)\//.test(path), `${path} is an extension outside the declared prefixes`);
  }
});

test('vendor endpoints outside the catalog are vendor-side, in a vendor module, absent from the catalog, with their evidence', () => {
  const catalogPaths = new Set(catalog.map((e) => e.path));
  assert.deepEqual(OUTSIDE_CATALOG.map((e) => e.path).sort(), ['/msg/send_link_card', '/msg/send_voice']);
  for (const spec of OUTSIDE_CATALOG) {
    assert.equal(spec.origin, 'vendor', spec.path);
    assert.ok(!catalogPaths.has(spec.path), `${spec.path} is in the catalog: drop outsideCatalog`);
    assert.ok(spec.path.startsWith(`/${spec.module}/`), spec.path);
    assert.ok((spec.outsideCatalog ?? '').length > 20, `${spec.path} names its evidence`);
  }
});

test('every endpoint keeps the catalog\'s module, kind and Chinese name, and has an English summary', () => {
  for (const entry of catalog) {
    const spec = (contract as Record<string, EndpointSpec>)[entry.path]!;
    assert.equal(spec.module, entry.module, entry.path);
    assert.equal(spec.kind, entry.response_kind, entry.path);
    assert.ok(spec.summaryZh.length > 0 && spec.summaryEn.length > 3, `${entry.path} summaries`);
    assert.ok(!/TODO/.test(spec.summaryEn), `${entry.path} summaryEn`);
  }
});

test('request schemas carry the catalog\'s fields, types and required flags', () => {
  for (const entry of catalog) {
    const spec = (contract as Record<string, EndpointSpec>)[entry.path]!;
    // Fields wxgate adds to a vendor endpoint are marked, and checked by the next test instead.
    const properties = Object.fromEntries(Object.entries(spec.request.properties as Record<string, Record<string, unknown>>).filter(([, schema]) => schema[EXTENSION_FIELD] !== true));
    const required = new Set((spec.request.required as string[] | undefined) ?? []);
    const topLevel = entry.request.filter((f) => !f.name.includes('.'));
    // The private-CDN calls also take the instance guid as their credential, in place of base_request (issue 14 §5).
    const privateCdn = spec.scope === 'cdn';
    const expectedNames = [...topLevel.map((f) => f.name), ...(privateCdn ? ['guid'] : [])];
    assert.deepEqual(Object.keys(properties).sort(), expectedNames.sort(), `${entry.path} field names`);
    if (privateCdn) assert.ok(!required.has('guid') && !required.has('base_request'), `${entry.path}: base_request or guid`);
    for (const field of topLevel) {
      const schema = properties[field.name]!;
      assert.equal(jsonType(schema), CATALOG_TYPES[field.type], `${entry.path} ${field.name} type`);
      // guid is optional in the vendor's FastAPI models but a missing guid is a validation error here (spec §2).
      const requiredHere = privateCdn && field.name === 'base_request' ? false : field.required || field.name === 'guid';
      assert.equal(required.has(field.name), requiredHere, `${entry.path} ${field.name} required`);
      if (!required.has(field.name) && field.default !== undefined && field.default !== null && typeof field.default !== 'object') {
        assert.equal(String(schema.default), String(field.default), `${entry.path} ${field.name} default`);
      }
    }
    for (const field of entry.request.filter((f) => f.name.includes('.'))) {
      const [parent, child] = field.name.split('.') as [string, string];
      const nested = properties[parent]!.properties as Record<string, Record<string, unknown>>;
      assert.equal(jsonType(nested[child]!), CATALOG_TYPES[field.type], `${entry.path} ${field.name} type`);
    }
  }
});

test('fields wxgate adds to vendor endpoints are optional, outside the catalog, and say they are wxgate\'s', () => {
  const catalogFields = new Map(catalog.map((e) => [e.path, new Set(e.request.map((f) => f.name))]));
  const added = endpointList.flatMap((spec) => Object.entries(spec.request.properties as Record<string, Record<string, unknown>>)
    .filter(([, schema]) => schema[EXTENSION_FIELD] === true).map(([name, schema]) => ({ spec, name, schema })));
  assert.deepEqual(added.map(({ spec, name }) => `${spec.path} ${name}`), ['/cloud/cdn_upload thumb_url']);
  for (const { spec, name, schema } of added) {
    assert.equal(spec.origin, 'vendor', `${spec.path}: extension endpoints need no marked fields`);
    assert.ok(!catalogFields.get(spec.path)?.has(name), `${spec.path} ${name} is the catalog's`);
    assert.ok(!((spec.request.required as string[] | undefined) ?? []).includes(name), `${spec.path} ${name} is optional`);
    assert.match(String(schema.description), /^wxgate extension/, `${spec.path} ${name} says it is wxgate's`);
  }
});

test('instance endpoints take a guid; the rest declare why not', () => {
  for (const spec of endpointList) {
    const hasGuid = 'guid' in (spec.request.properties as object);
    // Private-CDN calls (scope cdn) name their instance by base_request.cdn_info or by an optional guid.
    assert.equal(hasGuid, spec.scope === 'instance' || spec.scope === 'cdn', `${spec.path} scope ${spec.scope}`);
    if (spec.scope !== 'instance') continue;
    assert.ok(((spec.request.required as string[] | undefined) ?? []).includes('guid'), `${spec.path} requires guid`);
  }
});

test('response schemas never forbid extra keys (WeChat objects carry more than we list)', () => {
  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') return;
    assert.notEqual((node as Record<string, unknown>).additionalProperties, false, where);
    for (const [key, child] of Object.entries(node)) walk(child, `${where}.${key}`);
  };
  for (const spec of endpointList) walk(JSON.parse(JSON.stringify(spec.response)), spec.path);
});

test('every integer and number, in requests and answers, has bounds a JSON number carries exactly', () => {
  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (schema.type === 'integer' || schema.type === 'number') {
      const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
      assert.ok(typeof minimum === 'number' && typeof maximum === 'number', `${where} has no bounds: declare it with a kind of integers.ts`);
      assert.ok(minimum >= -Number.MAX_SAFE_INTEGER && maximum <= Number.MAX_SAFE_INTEGER && minimum <= maximum, `${where}: ${minimum}..${maximum}`);
      if (typeof schema.default === 'number') assert.ok(schema.default >= minimum && schema.default <= maximum, `${where} default ${schema.default}`);
    }
    for (const [key, child] of Object.entries(schema)) walk(child, `${where}.${key}`);
  };
  for (const spec of endpointList) {
    walk(JSON.parse(JSON.stringify(spec.request)), `${spec.path} request`);
    walk(JSON.parse(JSON.stringify(spec.response)), `${spec.path} response`);
  }
});

test('WeChat fields are int32 or uint32; only wxgate\'s own counters and unix milliseconds go past 2^32', () => {
  const wide: string[] = [];
  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (schema.type === 'integer' && (schema.maximum as number) > UINT32_MAX) wide.push(where.replace(/\.(properties|anyOf|items|\d+)/g, ''));
    for (const [key, child] of Object.entries(schema)) walk(child, `${where}.${key}`);
  };
  for (const spec of endpointList) {
    walk(JSON.parse(JSON.stringify(spec.request)), `${spec.path}:request`);
    walk(JSON.parse(JSON.stringify(spec.response)), `${spec.path}:response`);
  }
  const fields = new Set(wide.map((w) => w.split('.').at(-1)));
  assert.deepEqual([...fields].sort(), ['after_seq', 'after_sn', 'from_sn', 'last_sn', 'next_attempt_at', 'next_seq', 'seq', 'sn', 'started_at', 'to_sn']);
  assert.ok(wide.every((w) => /^\/(events|sandbox)\//.test(w)), wide.join(' '));
});
