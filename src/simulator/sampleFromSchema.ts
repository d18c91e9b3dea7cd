type Schema = Record<string, unknown>;

const SAMPLE_STRINGS = ['Paris', 'London', 'Tokyo', 'Berlin', 'Lisbon', 'Oslo'];
const MAX_DEPTH = 12;

const FORMAT_SAMPLES: Record<string, string> = {
  date: '2025-01-01',
  'date-time': '2025-01-01T00:00:00Z',
  time: '00:00:00',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves local `#/...` references against the root schema; anything else is treated as `{}`. */
function resolveReference(root: Schema, reference: string): Schema {
  if (!reference.startsWith('#')) return {};
  let node: unknown = root;
  for (const segment of reference.slice(1).split('/').filter((piece) => piece !== '')) {
    node = isSchema(node) ? node[segment.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return isSchema(node) ? node : {};
}

class Sampler {
  private stringCount = 0;

  constructor(private readonly root: Schema) {}

  sample(schema: unknown, depth: number): unknown {
    if (!isSchema(schema) || depth > MAX_DEPTH) return {};
    if (typeof schema.$ref === 'string') return this.sample(resolveReference(this.root, schema.$ref), depth + 1);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const options = schema[key];
      if (Array.isArray(options) && options.length > 0) {
        // Prefer a non-null branch so `anyOf: [{type:'null'}, X]` still yields a useful value.
        const branch = options.find((option) => !(isSchema(option) && option.type === 'null')) ?? options[0];
        return this.sample(branch, depth + 1);
      }
    }
    const type = Array.isArray(schema.type) ? (schema.type.find((entry) => entry !== 'null') ?? schema.type[0]) : schema.type;
    switch (type) {
      case 'string':
        return this.sampleString(schema);
      case 'number':
      case 'integer':
        return typeof schema.minimum === 'number' && schema.minimum > 1 ? Math.ceil(schema.minimum) : 1;
      case 'boolean':
        return true;
      case 'null':
        return null;
      case 'array':
        return this.sampleArray(schema, depth);
      case 'object':
        return this.sampleObject(schema, depth);
      default:
        return isSchema(schema.properties) ? this.sampleObject(schema, depth) : {};
    }
  }

  private sampleString(schema: Schema): string {
    if (typeof schema.format === 'string' && FORMAT_SAMPLES[schema.format] !== undefined) return FORMAT_SAMPLES[schema.format] as string;
    const text = SAMPLE_STRINGS[this.stringCount++ % SAMPLE_STRINGS.length] as string;
    return typeof schema.minLength === 'number' && schema.minLength > text.length ? text.padEnd(schema.minLength, 'x') : text;
  }

  private sampleArray(schema: Schema, depth: number): unknown[] {
    const count = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 8) : 0;
    const items: unknown[] = [];
    for (let index = 0; index < count; index++) items.push(this.sample(schema.items, depth + 1));
    return items;
  }

  private sampleObject(schema: Schema, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
    for (const name of required) result[name] = this.sample(properties[name] ?? {}, depth + 1);
    return result;
  }
}

/** A minimal valid instance of a JSON schema: required properties only, first enum values, sample scalars. */
export function sampleFromSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return {};
  return new Sampler(schema).sample(schema, 0);
}
