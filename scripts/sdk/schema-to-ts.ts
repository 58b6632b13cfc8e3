// Turns the JSON Schema TypeBox emits into TypeScript type text, so the SDK's types come from the contract without importing it.

/** The subset of JSON Schema the contract uses (TypeBox Object/String/Integer/Number/Boolean/Null/Array/Union/Literal/Unknown). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  description?: string;
  default?: unknown;
  format?: string;
  title?: string;
  [key: string]: unknown;
}

export interface ConvertOptions {
  /**
   * `request`: a misspelled field is a compile error; an object that lists no keys (a free-form body) takes any.
   * `response`: no index signatures at all, so reading a key the contract does not list (`resp.data.wxid`) is a
   * compile error, not a silent `unknown`; an object that lists no keys is empty (`Record<never, never>`). WeChat does
   * send more keys than are listed: a caller who needs one reads it through a cast, on purpose.
   */
  readonly role: 'request' | 'response';
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as TypeScript accepts it: bare when an identifier, else a JSON string. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** A JSDoc block from a schema's description (and default), or '' when there is nothing to say. */
export function jsDoc(schema: JsonSchema, indent: string): string {
  const parts: string[] = [];
  if (typeof schema.description === 'string' && schema.description.trim() !== '') parts.push(schema.description.trim());
  if (schema.default !== undefined) parts.push(`@default ${JSON.stringify(schema.default)}`);
  if (parts.length === 0) return '';
  // "*/" inside a description would end the comment early.
  const lines = parts.join('\n').replaceAll('*/', '*\\/').split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  throw new Error(`unsupported literal ${JSON.stringify(value)}`);
}

function union(members: string[]): string {
  const unique = [...new Set(members)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 1 ? unique[0]! : unique.map((m) => (m.includes('=>') ? `(${m})` : m)).join(' | ');
}

/** Array element types need parentheses when they are unions. */
function arrayOf(item: string): string {
  return item.includes(' | ') || item.includes(' & ') ? `Array<${item}>` : `${item}[]`;
}

function objectType(schema: JsonSchema, opts: ConvertOptions, indent: string): string {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const extra = schema.additionalProperties;
  const inner = indent + '  ';
  const lines: string[] = [];
  for (const [name, prop] of props) {
    const optional = required.has(name) ? '' : '?';
    lines.push(`${jsDoc(prop, inner)}${inner}${propertyKey(name)}${optional}: ${schemaToTs(prop, opts, inner)};`);
  }
  if (opts.role === 'response') {
    // A typed additionalProperties is a map (its keys are data, not field names): the index signature is its type.
    if (typeof extra === 'object') lines.push(`${inner}[key: string]: ${union([schemaToTs(extra, opts, inner), ...props.map(([, p]) => schemaToTs(p, opts, inner))])};`);
    return lines.length === 0 ? 'Record<never, never>' : `{\n${lines.join('\n')}\n${indent}}`;
  }
  // Declared keys must fit the index signature, so a typed additionalProperties still indexes as unknown.
  if (typeof extra === 'object') lines.push(`${inner}[key: string]: ${union([schemaToTs(extra, opts, inner), 'unknown'])};`);
  else if (extra !== false && props.length === 0) lines.push(`${inner}[key: string]: unknown;`);
  if (lines.length === 0) return 'Record<string, never>';
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The TypeScript type text of one schema; nested objects are inlined and indented from `indent`. */
export function schemaToTs(schema: JsonSchema, opts: ConvertOptions, indent = ''): string {
  if (schema.const !== undefined) return literal(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return union(alternatives.map((s) => schemaToTs(s, opts, indent)));
  if (schema.allOf) return schema.allOf.map((s) => schemaToTs(s, opts, indent)).join(' & ');
  if (Array.isArray(schema.type)) return union(schema.type.map((t) => schemaToTs({ ...schema, type: t }, opts, indent)));
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return arrayOf(schema.items ? schemaToTs(schema.items, opts, indent) : 'unknown');
    case 'object':
      return objectType(schema, opts, indent);
    case undefined:
      // TypeBox's Unknown/Any emit a schema with no type at all.
      return schema.properties ? objectType(schema, opts, indent) : 'unknown';
    default:
      throw new Error(`unsupported schema type ${JSON.stringify(schema.type)}`);
  }
}
