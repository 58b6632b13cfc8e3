// Request validation compiled from the contract's schemas, reporting failures the way FastAPI does (loc/msg/type).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { ApiError, type EndpointSpec, type ValidationIssue } from '@wxgate/contract';
import { refuseXmlDeclarations } from '../wechat/caller-xml.ts';

// ajv-formats is CommonJS: under NodeNext its callable export sits on `default`.
const addFormats = ((ajvFormats as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv, formats: string[]) => Ajv;

// verbose: errors carry the offending value, which tells a fractional number (int_from_float) from other non-integers.
const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, coerceTypes: false, strict: false, removeAdditional: false });
addFormats(ajv, ['uuid', 'uri', 'date-time']);

const compiled = new Map<string, ValidateFunction>();

/** Pydantic's type names, which FastAPI clients already know. */
const TYPE_NAMES: Record<string, { type: string; msg: string }> = {
  string: { type: 'string_type', msg: 'Input should be a valid string' },
  integer: { type: 'int_type', msg: 'Input should be a valid integer' },
  number: { type: 'float_type', msg: 'Input should be a valid number' },
  boolean: { type: 'bool_type', msg: 'Input should be a valid boolean' },
  array: { type: 'list_type', msg: 'Input should be a valid list' },
  object: { type: 'dict_type', msg: 'Input should be a valid dictionary or object' },
};

/** Pydantic's names for a number outside its bounds. */
const BOUNDS: Record<string, { type: string; words: string }> = {
  minimum: { type: 'greater_than_equal', words: 'greater than or equal to' },
  maximum: { type: 'less_than_equal', words: 'less than or equal to' },
  exclusiveMinimum: { type: 'greater_than', words: 'greater than' },
  exclusiveMaximum: { type: 'less_than', words: 'less than' },
};

function locOf(instancePath: string): (string | number)[] {
  return ['body', ...instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')))];
}

function issueOf(error: ErrorObject): ValidationIssue {
  const loc = locOf(error.instancePath);
  switch (error.keyword) {
    case 'required':
      return { loc: [...loc, (error.params as { missingProperty: string }).missingProperty], msg: 'Field required', type: 'missing' };
    case 'type': {
      const expected = String((error.params as { type: string }).type).split(',')[0]!;
      if (expected === 'integer' && typeof error.data === 'number' && Number.isFinite(error.data)) {
        return { loc, msg: 'Input should be a valid integer, got a number with a fractional part', type: 'int_from_float' };
      }
      return { loc, ...(TYPE_NAMES[expected] ?? { type: `${expected}_type`, msg: `Input should be ${expected}` }) };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = BOUNDS[error.keyword]!;
      return { loc, msg: `Input should be ${bound.words} ${(error.params as { limit: number }).limit}`, type: bound.type };
    }
    case 'format':
      return (error.params as { format: string }).format === 'uuid'
        ? { loc, msg: 'Input should be a valid UUID', type: 'uuid_parsing' }
        : { loc, msg: `Input should be a valid ${(error.params as { format: string }).format}`, type: 'value_error' };
    case 'additionalProperties':
      // pydantic's extra='forbid' wording, at the extra field itself
      return { loc: [...loc, (error.params as { additionalProperty: string }).additionalProperty], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' };
    default:
      return { loc, msg: `Input ${error.message ?? 'is invalid'}`, type: error.keyword };
  }
}

type Schema = {
  type?: unknown; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[];
  contentMediaType?: string; 'x-wxgate-xml-base64'?: boolean;
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The XML fields (contract XmlText) of `value` that declare a DTD, as validation issues; base64 fields are looked at
 * decoded. For every driver alike: the sandbox parses the XML again through wechat/caller-xml.ts, the relay forwards it.
 */
function xmlIssues(schema: Schema, value: unknown, loc: (string | number)[]): ValidationIssue[] {
  if (value === null || value === undefined) return [];
  if (schema.contentMediaType === 'application/xml' && typeof value === 'string') {
    let text = value;
    const compact = value.replace(/\s+/g, '');
    if (schema['x-wxgate-xml-base64'] && !value.trimStart().startsWith('<') && BASE64.test(compact)) text = Buffer.from(compact, 'base64').toString('utf8');
    try {
      refuseXmlDeclarations(text, loc);
      return [];
    } catch (err) {
      return err instanceof ApiError && Array.isArray(err.data?.errors) ? err.data.errors as ValidationIssue[] : [];
    }
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) return value.flatMap((item, i) => xmlIssues(schema.items!, item, [...loc, i]));
  if (schema.properties && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    return Object.entries(schema.properties).flatMap(([key, child]) => (Object.hasOwn(object, key) ? xmlIssues(child, object[key], [...loc, key]) : []));
  }
  return [];
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false, t: true, f: false, y: true, n: false };

/**
 * The vendor's FastAPI models validate in pydantic's lax mode, so clients written for it send `"length": "1234"` or
 * `"is_hd": 1` and are served. The same values are converted here in place before the schema check: numeric text for
 * integer and number fields, 0/1 and true/false/yes/no/on/off text for booleans. Strings stay strings (pydantic v2
 * refuses a number for a str field, and so does wxgate).
 */
function coerceLax(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const type = schema.type;
  if (type === 'integer' && typeof value === 'string' && INTEGER_TEXT.test(value)) {
    // Past 2^53 the number is inexact, but every integer of the contract is bounded inside ±2^53 (contract.test.ts),
    // so such text always fails its bound and is answered as pydantic does: less_than_equal, not int_type.
    const n = Number(value.trim());
    return Number.isFinite(n) ? n + 0 : value;
  }
  // -0 is 0 to an integer field (as to pydantic's int), not a negative zero handed on to the engine.
  if (type === 'integer' && Object.is(value, -0)) return 0;
  if (type === 'number' && typeof value === 'string' && NUMBER_TEXT.test(value)) return Number(value.trim());
  if (type === 'boolean') {
    if (value === 0 || value === 1) return value === 1;
    if (typeof value === 'string' && value.trim().toLowerCase() in BOOLEAN_TEXT) return BOOLEAN_TEXT[value.trim().toLowerCase()];
    return value;
  }
  if (type === 'array' && Array.isArray(value) && schema.items) {
    for (let i = 0; i < value.length; i++) value[i] = coerceLax(schema.items, value[i]);
    return value;
  }
  if (schema.properties && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(schema.properties)) {
      if (Object.hasOwn(object, key)) object[key] = coerceLax(child, object[key]);
    }
  }
  return value;
}

/** Validates `body` in place (lax conversions, defaults) and returns the failures, empty when valid. */
export function validateRequest(spec: EndpointSpec, body: unknown): ValidationIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ loc: ['body'], msg: TYPE_NAMES.object!.msg, type: 'model_attributes_type' }];
  }
  coerceLax(spec.request as Schema, body);
  let validate = compiled.get(spec.path);
  if (!validate) compiled.set(spec.path, (validate = ajv.compile(spec.request)));
  if (validate(body)) return xmlIssues(spec.request as Schema, body, []);
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = issueOf(error);
    // One issue per field, as pydantic reports it: the type (ajv's first) before the bounds of a -1.5.
    const key = JSON.stringify(issue.loc);
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
