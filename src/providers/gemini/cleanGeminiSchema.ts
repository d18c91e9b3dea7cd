import type { Warning } from '../../core/warning.js';

/** JSON-Schema keywords Gemini answers 400 to even on its JSON Schema fields (`parametersJsonSchema`, `responseJsonSchema`). */
const REJECTED_KEYWORDS = new Set(['$schema']);
/** Keywords whose value is a map of name → subschema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
/** Keywords whose value is one subschema (or, for `items`, a list in older drafts). */
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']);

/**
 * A copy of a JSON Schema that Gemini accepts: `$schema` removed at any depth, and an empty `properties` map removed
 * (Gemini: "properties: should be non-empty for OBJECT type"), each with a warning naming where. Property names are
 * never mistaken for keywords: the walk follows the schema's structure.
 */
export function cleanGeminiSchema(schema: Record<string, unknown>, param: string, warnings: Warning[]): Record<string, unknown> {
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    const path = `${param}.${key}`;
    if (REJECTED_KEYWORDS.has(key)) {
      warnings.push({ code: 'unsupported_parameter', param: path, message: `'${path}' was removed: Gemini rejects the '${key}' keyword.` });
    } else if (key === 'properties' && isRecord(value) && Object.keys(value).length === 0) {
      warnings.push({ code: 'unsupported_parameter', param: path, message: `'${path}' was removed: Gemini rejects an empty properties map.` });
    } else if (SCHEMA_MAPS.has(key) && isRecord(value)) {
      cleaned[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, cleanValue(item, `${path}.${name}`, warnings)]));
    } else if ((SCHEMA_LISTS.has(key) || SCHEMA_VALUES.has(key)) && Array.isArray(value)) {
      cleaned[key] = value.map((item, index) => cleanValue(item, `${path}[${index}]`, warnings));
    } else if (SCHEMA_VALUES.has(key)) {
      cleaned[key] = cleanValue(value, path, warnings);
    } else {
      cleaned[key] = value;
    }
  }
  return cleaned;
}

/** True for a schema that declares no argument at all, which Gemini wants expressed by leaving the schema out. */
export function declaresNoArguments(schema: Record<string, unknown> | undefined): boolean {
  if (schema === undefined) return true;
  const properties = schema.properties;
  if (isRecord(properties) && Object.keys(properties).length > 0) return false;
  if (isRecord(schema.additionalProperties)) return false;
  return !['anyOf', 'oneOf', 'allOf', '$ref', 'patternProperties', 'items'].some((key) => key in schema);
}

function cleanValue(value: unknown, param: string, warnings: Warning[]): unknown {
  return isRecord(value) ? cleanGeminiSchema(value, param, warnings) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
