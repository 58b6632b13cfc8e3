// The vocabulary for declaring an endpoint once; every route, validator, OpenAPI operation and SDK type derives from it.
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';

/** The 13 vendor modules plus wxgate's own extension prefixes. */
export const VENDOR_MODULES = [
  'client', 'login', 'user', 'contact', 'room', 'msg', 'cloud', 'label', 'openim', 'sns', 'app', 'other', 'cdn',
] as const;
export type VendorModule = (typeof VENDOR_MODULES)[number];
export type ExtensionModule = 'admin' | 'sandbox' | 'events' | 'wechaty' | 'ilink';
export type ModuleName = VendorModule | ExtensionModule;

/**
 * `raw`: the body is WeChat's protobuf-JSON (baseResponse, SKBuiltinString wrappers);
 * `wrapper`: the body is a service payload placed under `data`.
 */
export type ResponseKind = 'raw' | 'wrapper';

/**
 * Who may call an endpoint and what it acts on.
 * `instance`: an app's credentials plus a `guid` of one of its instances; counts against that instance's quota.
 * `app`: an app's credentials, no instance (create_client, all_clients).
 * `cdn`: the private-CDN calls, which carry no guid: the instance is named by `base_request.cdn_info`.
 * `admin`: the deployment's admin token.
 */
export type EndpointScope = 'instance' | 'app' | 'cdn' | 'admin';

export interface EndpointSpec<Req extends TObject = TObject, Res extends TSchema = TSchema> {
  readonly path: string;
  readonly module: ModuleName;
  readonly summaryZh: string;
  readonly summaryEn: string;
  /** Longer notes for the docs, in English (WeChat rules, what wxgate adds). */
  readonly description?: string;
  /** The vendor doc's own note, verbatim (Chinese); /docs shows it after the English description. */
  readonly notesZh?: string;
  readonly kind: ResponseKind;
  readonly scope: EndpointScope;
  /** Declared by the vendor (the 130) or by wxgate (instance management, admin). */
  readonly origin: 'vendor' | 'wxgate';
  /**
   * A vendor endpoint the catalog's tables lack (they come from the vendor's doc export), with the evidence that the
   * vendor serves it and real clients call it; the contract test holds these apart from the catalog's 130.
   */
  readonly outsideCatalog?: string;
  readonly request: Req;
  /** Answered even while the instance is rate-limit locked, without counting (the status query that shows the lock). */
  readonly passesRateLock?: boolean;
  /** The success payload: `data` in standard mode, the whole body of a raw endpoint in raw mode. */
  readonly response: Res;
  /**
   * Corrections to the examples /docs composes from the fields' `examples`, only where those would read wrong for this
   * endpoint: keys given here replace the composed ones, objects merged key by key (the request body; the success
   * payload before the wire envelope). Prefer examples on the fields, which every endpoint that shares them gets.
   */
  readonly examples?: { readonly request?: ExampleOf<Static<Req>>; readonly response?: ExampleOf<Static<Res>> };
}

/** An example correction: some keys of an object, at any depth (arrays and other values are replaced whole). */
export type ExampleOf<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: ExampleOf<T[K]> } : T;

/** Keeps the literal path type so handler tables can be checked for completeness at compile time. */
export function endpoint<const P extends string, const S extends EndpointScope, Req extends TObject, Res extends TSchema>(
  spec: EndpointSpec<Req, Res> & { readonly path: P; readonly scope: S },
): EndpointSpec<Req, Res> & { readonly path: P; readonly scope: S } {
  return Object.freeze(spec);
}

/** A table of endpoints keyed by their path. */
export type EndpointTable = Readonly<Record<string, EndpointSpec>>;

/** Builds a path-keyed table from a module's endpoint list, rejecting duplicates and foreign paths. */
export function defineModule<const M extends ModuleName, const E extends readonly (EndpointSpec & { path: string })[]>(
  module: M,
  list: E,
): { readonly [K in E[number] as K['path']]: K } {
  const table: Record<string, EndpointSpec> = {};
  for (const spec of list) {
    if (spec.module !== module) throw new Error(`${spec.path} declares module ${spec.module}, listed under ${module}`);
    if (table[spec.path]) throw new Error(`duplicate endpoint ${spec.path}`);
    table[spec.path] = spec;
  }
  return Object.freeze(table) as never;
}

export type RequestOf<S extends EndpointSpec> = Static<S['request']>;
export type ResponseOf<S extends EndpointSpec> = Static<S['response']>;

/** Every instance endpoint starts with the instance id (a UUID); a missing guid is a validation error. */
export const Guid = Type.String({
  format: 'uuid',
  description: 'instance id (UUID); inside `data` when called through the gateway',
  examples: ['7092457f-325f-3b3a-bf8e-a30b4dcaf74b'],
});

/**
 * A request field carrying WeChat XML (plain, or base64 of it where `base64` is set). Validation refuses DTD
 * declarations in it (`<!DOCTYPE`, `<!ENTITY`) whatever driver serves the call: WeChat XML has none, and one only
 * serves entity attacks against whoever parses it next (wxgate, an upstream, the bots it is delivered to).
 */
export function XmlText(options: { description: string; default?: string; examples?: string[] }, encoding: 'plain' | 'base64' = 'plain') {
  return Type.String({ ...options, contentMediaType: 'application/xml', ...(encoding === 'base64' ? { 'x-wxgate-xml-base64': true } : {}) });
}

/**
 * The schema keyword of a request field wxgate adds to a vendor endpoint: optional, described as a wxgate extension, and
 * left out of the comparison with the vendor catalog (contract.test.ts), which every other field must match.
 */
export const EXTENSION_FIELD = 'x-wxgate-extension';

/** Payload of wrapper endpoints that answer nothing but success. */
export const EmptyData = Type.Object({}, { description: 'empty object on success' });
