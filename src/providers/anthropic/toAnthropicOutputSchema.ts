/** Constraint keywords Anthropic's structured outputs reject (§3.1, §13.16). */
const UNSUPPORTED_KEYWORDS = new Set([
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'not', 'patternProperties',
]);

const SUPPORTED_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);

/** Keywords holding one subschema, or a map / list of them. */
const SUBSCHEMA = new Set(['items', 'additionalItems', 'contains', 'if', 'then', 'else']);
const SUBSCHEMA_MAPS = new Set(['properties', '$defs', 'definitions']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);

export interface OutputSchema {
  schema: Record<string, unknown>;
  /** Paths of the keywords moved into descriptions (`$.properties.age.minimum`), for the warning. */
  moved: string[];
}

/**
 * A client JSON schema → one Anthropic's `output_config.format` accepts: unsupported constraints move into the
 * description as text (the model still sees them), objects get `additionalProperties: false`. The input is not changed.
 */
export function toAnthropicOutputSchema(schema: Record<string, unknown>): OutputSchema {
  const moved: string[] = [];
  return { schema: transform(schema, '$', moved), moved };
}

function transform(schema: Record<string, unknown>, path: string, moved: string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (isUnsupported(key, value, schema)) {
      notes.push(`${key}: ${JSON.stringify(value)}`);
      moved.push(`${path}.${key}`);
    } else if (SUBSCHEMA.has(key) && isSchema(value)) {
      result[key] = transform(value, `${path}.${key}`, moved);
    } else if (SUBSCHEMA_MAPS.has(key) && isSchema(value)) {
      result[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, isSchema(item) ? transform(item, `${path}.${key}.${name}`, moved) : item]));
    } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) {
      result[key] = value.map((item: unknown, index) => (isSchema(item) ? transform(item, `${path}.${key}[${index}]`, moved) : item));
    } else {
      result[key] = value;
    }
  }
  if (schema.type === 'object') result.additionalProperties = false;
  if (notes.length > 0) {
    const description = typeof result.description === 'string' && result.description !== '' ? `${result.description}\n\n` : '';
    result.description = `${description}{${notes.join(', ')}}`;
  }
  return result;
}

function isUnsupported(key: string, value: unknown, schema: Record<string, unknown>): boolean {
  if (UNSUPPORTED_KEYWORDS.has(key)) return true;
  if (key === 'format') return typeof value !== 'string' || !SUPPORTED_FORMATS.has(value);
  if (key === 'minItems') return value !== 0 && value !== 1;
  // Objects are closed; an open or typed `additionalProperties` survives only as text.
  return key === 'additionalProperties' && schema.type === 'object' && value !== false;
}

function isSchema(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
