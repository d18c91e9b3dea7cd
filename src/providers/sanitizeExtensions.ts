import type { Warning } from '../core/warning.js';

const CREDENTIAL_KEYS = new Set([
  'api_key', 'apikey', 'api-key', 'authorization', 'auth', 'bearer', 'token', 'access_token', 'accesstoken', 'secret',
  'secret_key', 'secretkey', 'credential', 'credentials', 'password', 'x-api-key', 'x-auth-token', 'anthropic-api-key',
  'openai-api-key', 'google-api-key',
]);

// Compared with case and underscores removed (contract §7).
const CORE_FIELDS = new Set(
  [
    'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'n', 'tools', 'tool_choice',
    'response_format', 'parallel_tool_calls', 'temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logit_bias',
    'logprobs', 'top_logprobs', 'seed', 'stop', 'user', 'contents', 'system_instruction', 'system',
  ].map(normalizeCoreName),
);

function normalizeCoreName(name: string): string {
  return name.toLowerCase().replaceAll('_', '');
}

export interface SanitizedExtension {
  fields: Record<string, unknown>;
  warnings: Warning[];
}

/**
 * Cleans one `extensions.{provider}` object before it is merged into an upstream request: credential-like keys
 * at any depth, core fields at the top level, and (when `reasoning_effort` was sent) the adapter's reasoning fields.
 */
export function sanitizeExtension(name: string, extension: Record<string, unknown>, reasoningFields: ReadonlySet<string>): SanitizedExtension {
  const warnings: Warning[] = [];
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extension)) {
    const path = `extensions.${name}.${key}`;
    if (CREDENTIAL_KEYS.has(key.toLowerCase())) {
      warnings.push({ code: 'blocked_extension_field', param: path, message: `'${path}' looks like a credential and was removed.` });
    } else if (CORE_FIELDS.has(normalizeCoreName(key))) {
      warnings.push({ code: 'blocked_extension_field', param: path, message: `'${path}' is a core request field and cannot be set through extensions.` });
    } else if (reasoningFields.has(key)) {
      warnings.push({ code: 'blocked_extension_field', param: path, message: `'${path}' was replaced by the translation of reasoning_effort.` });
    } else {
      fields[key] = stripCredentials(value, path, warnings);
    }
  }
  return { fields, warnings };
}

function stripCredentials(value: unknown, path: string, warnings: Warning[]): unknown {
  if (Array.isArray(value)) return value.map((item, index) => stripCredentials(item, `${path}[${index}]`, warnings));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}.${key}`;
    if (CREDENTIAL_KEYS.has(key.toLowerCase())) {
      warnings.push({ code: 'blocked_extension_field', param: itemPath, message: `'${itemPath}' looks like a credential and was removed.` });
    } else {
      result[key] = stripCredentials(item, itemPath, warnings);
    }
  }
  return result;
}
