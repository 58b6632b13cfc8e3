// Builds packages/sdk/src/endpoints.generated.ts: every endpoint's request/response types, the path table and the enums.
import { CALLBACK_PAYLOADS, endpointList, ERRORS, MSG_TYPES, NOTIFY_TYPES, type EndpointSpec } from '@wxgate/contract';
import { jsDoc, schemaToTs, type JsonSchema } from './schema-to-ts.ts';

/** `/sandbox/messages/send_media` → `SandboxMessagesSendMedia`. */
export function typeName(path: string): string {
  return path
    .split(/[/_-]/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function endpointDoc(spec: EndpointSpec, what: string): string {
  const lines = [`${spec.summaryEn} (${spec.summaryZh}) — ${what}.`, `\`POST ${spec.path}\`, ${spec.kind} endpoint, ${spec.scope} scope.`];
  return jsDoc({ description: lines.join('\n') }, '');
}

/** `interface X {…}` for object types (names show in compiler errors), `type X = …` otherwise. */
function declaration(name: string, type: string): string {
  return type.startsWith('{') ? `export interface ${name} ${type}\n` : `export type ${name} = ${type};\n`;
}

function constObject(name: string, doc: string, entries: ReadonlyArray<readonly [string | number, string | number]>): string {
  const body = entries.map(([k, v]) => `  ${typeof k === 'number' ? k : JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n');
  return `/** ${doc} */\nexport const ${name} = {\n${body}\n} as const;\n`;
}

/**
 * One `<Name>Payload` type per notify_type, the `CallbackPayloads` table and `CallbackEvent`, the union a receiver
 * narrows on `notify_type` (`if (event.notify_type === 1010) event.data.from_username`).
 */
export function callbacksSource(): string {
  const nameOf = new Map<number, string>([[0, 'TestCallback'], ...Object.entries(NOTIFY_TYPES).map(([n, t]) => [t, n] as [number, string])]);
  const entries = Object.entries(CALLBACK_PAYLOADS).map(([type, schema]) => [Number(type), schema as JsonSchema] as const);
  const missing = [...nameOf.keys()].filter((t) => !entries.some(([type]) => type === t));
  if (missing.length > 0) throw new Error(`CALLBACK_PAYLOADS lacks notify_type ${missing.join(', ')}`);
  const parts: string[] = [];
  // Types that share a schema (ModContact, FriendAdd, …) are aliases of the first, so they stay one type.
  const declared = new Map<JsonSchema, string>();
  for (const [type, schema] of entries) {
    const name = `${nameOf.get(type)}Payload`;
    const doc = jsDoc({ description: `\`data\` of a ${type} ${nameOf.get(type)} callback${schema.description ? `: ${schema.description}` : ''}.` }, '');
    const same = declared.get(schema);
    const items = schema.type === 'array' && schema.items ? declared.get(schema.items) : undefined;
    parts.push(doc + declaration(name, same ?? (items ? `${items}[]` : schemaToTs(schema, { role: 'response' }))));
    if (!same) declared.set(schema, name);
  }
  parts.push('/** The `data` of each callback by its `notify_type`. */', 'export interface CallbackPayloads {');
  for (const [type] of entries) parts.push(`  ${type}: ${nameOf.get(type)}Payload;`);
  parts.push('}', '');
  parts.push(
    '/** A callback as delivered (webhook body, `/ws` `event`, SSE data): narrow on `notify_type` to type `data`. */',
    'export type CallbackEvent = {',
    '  [T in keyof CallbackPayloads]: { guid: string; notify_type: T; data: CallbackPayloads[T] };',
    '}[keyof CallbackPayloads];',
    '',
  );
  return parts.join('\n');
}

export function endpointsSource(list: readonly EndpointSpec[] = endpointList): string {
  const names = new Map<string, string>();
  const parts: string[] = [
    '// Generated from packages/contract by `npm run generate`; do not edit by hand. Types and tables for every endpoint.',
    '/* eslint-disable */',
    '',
    "/** `raw`: WeChat's protobuf-JSON object (top level of a raw-mode answer); `wrapper`: a service payload under `data`. */",
    "export type EndpointKind = 'raw' | 'wrapper';",
    "/** Who may call: an app's instance (`guid`), the app itself, the private CDN (`base_request`), or the admin token. */",
    "export type EndpointScope = 'instance' | 'app' | 'cdn' | 'admin';",
    'export interface EndpointInfo {',
    '  readonly module: string;',
    '  readonly kind: EndpointKind;',
    '  readonly scope: EndpointScope;',
    '}',
    '',
  ];
  for (const spec of list) {
    const name = typeName(spec.path);
    const clash = names.get(name);
    if (clash) throw new Error(`${spec.path} and ${clash} both map to the type name ${name}`);
    names.set(name, spec.path);
    const request = schemaToTs(spec.request as JsonSchema, { role: 'request' });
    const response = schemaToTs(spec.response as JsonSchema, { role: 'response' });
    parts.push(endpointDoc(spec, 'request body') + declaration(`${name}Request`, request));
    parts.push(endpointDoc(spec, spec.kind === 'raw' ? "WeChat's answer" : 'the `data` of the answer') + declaration(`${name}Response`, response));
  }
  parts.push('/** Every endpoint by path: what to send and what comes back. */');
  parts.push('export interface Endpoints {');
  for (const spec of list) {
    const name = typeName(spec.path);
    parts.push(`  ${JSON.stringify(spec.path)}: { request: ${name}Request; response: ${name}Response };`);
  }
  parts.push('}', '', 'export type EndpointPath = keyof Endpoints;', '');
  parts.push('/** How each endpoint answers and who may call it (the client unwraps raw-mode answers with `kind`). */');
  parts.push('export const ENDPOINTS: { readonly [P in EndpointPath]: EndpointInfo } = {');
  for (const spec of list) {
    parts.push(`  ${JSON.stringify(spec.path)}: { module: ${JSON.stringify(spec.module)}, kind: ${JSON.stringify(spec.kind)}, scope: ${JSON.stringify(spec.scope)} },`);
  }
  parts.push('};', '');
  parts.push(callbacksSource());
  parts.push(constObject('NOTIFY_TYPES', 'The callback `notify_type` values (the vendor enum).', Object.entries(NOTIFY_TYPES)));
  parts.push('export type NotifyTypeName = keyof typeof NOTIFY_TYPES;', 'export type NotifyType = (typeof NOTIFY_TYPES)[NotifyTypeName];', '');
  parts.push(constObject('MSG_TYPES', 'WeChat message types carried in 1010 `msg_type`.', Object.entries(MSG_TYPES)));
  const codes = Object.entries(ERRORS).map(([name, e]) => [e.code, name] as const).sort((a, b) => a[0] - b[0]);
  const reused = codes.find(([code], i) => i > 0 && codes[i - 1]![0] === code);
  if (reused) throw new Error(`error code ${reused[0]} is used twice in the catalog`);
  parts.push(constObject('ERROR_NAMES', "wxgate's error catalog: `errcode` → name (docs/errors.md explains each).", codes));
  parts.push('export type ErrorName = (typeof ERROR_NAMES)[keyof typeof ERROR_NAMES];');
  return parts.join('\n');
}
