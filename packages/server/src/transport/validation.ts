// Request validation compiled from the contract's schemas, reporting failures the way FastAPI does (loc/msg/type).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { EndpointSpec, ValidationIssue } from '@wxgate/contract';

// ajv-formats is CommonJS: under NodeNext its callable export sits on `default`.
const addFormats = ((ajvFormats as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv, formats: string[]) => Ajv;

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false, removeAdditional: false });
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
      return { loc, ...(TYPE_NAMES[expected] ?? { type: `${expected}_type`, msg: `Input should be ${expected}` }) };
    }
    case 'format':
      return (error.params as { format: string }).format === 'uuid'
        ? { loc, msg: 'Input should be a valid UUID', type: 'uuid_parsing' }
        : { loc, msg: `Input should be a valid ${(error.params as { format: string }).format}`, type: 'value_error' };
    default:
      return { loc, msg: `Input ${error.message ?? 'is invalid'}`, type: error.keyword };
  }
}

/** Validates `body` in place (filling defaults) and returns the failures, empty when valid. */
export function validateRequest(spec: EndpointSpec, body: unknown): ValidationIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ loc: ['body'], msg: TYPE_NAMES.object!.msg, type: 'model_attributes_type' }];
  }
  let validate = compiled.get(spec.path);
  if (!validate) compiled.set(spec.path, (validate = ajv.compile(spec.request)));
  if (validate(body)) return [];
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = issueOf(error);
    const key = JSON.stringify(issue.loc) + issue.type;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
