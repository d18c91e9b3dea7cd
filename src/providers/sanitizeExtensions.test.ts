import { describe, expect, it } from 'vitest';
import { sanitizeExtension } from './sanitizeExtensions.js';

const NO_REASONING = new Set<string>();
const REASONING = new Set(['reasoning_effort', 'reasoning']);

const CREDENTIAL_KEYS = [
  'api_key', 'apikey', 'api-key', 'authorization', 'auth', 'bearer', 'token', 'access_token', 'accesstoken', 'secret',
  'secret_key', 'secretkey', 'credential', 'credentials', 'password', 'x-api-key', 'x-auth-token', 'anthropic-api-key',
  'openai-api-key', 'google-api-key',
];

const CORE_FIELDS = [
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'n', 'tools', 'tool_choice',
  'response_format', 'parallel_tool_calls', 'temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logit_bias',
  'logprobs', 'top_logprobs', 'seed', 'stop', 'user', 'contents', 'system_instruction', 'system',
];

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

describe('sanitizeExtension: credentials (contract §7)', () => {
  it.each(CREDENTIAL_KEYS)('removes %s at the top level, in any case', (key) => {
    for (const spelling of [key, key.toUpperCase(), upperFirst(key)]) {
      const result = sanitizeExtension('openai', { [spelling]: 'secret-value', keep: 1 }, NO_REASONING);
      expect(result.fields).toEqual({ keep: 1 });
      expect(result.warnings).toEqual([
        { code: 'blocked_extension_field', param: `extensions.openai.${spelling}`, message: expect.stringContaining('credential') },
      ]);
    }
  });

  it.each(CREDENTIAL_KEYS)('removes %s at any depth, in objects and arrays', (key) => {
    const result = sanitizeExtension('together_ai', { a: { b: { [key]: 'x', c: 1 } }, list: [{ [key.toUpperCase()]: 'y', d: 2 }, 'plain', 3] }, NO_REASONING);
    expect(result.fields).toEqual({ a: { b: { c: 1 } }, list: [{ d: 2 }, 'plain', 3] });
    expect(result.warnings.map((warning) => warning.param)).toEqual([`extensions.together_ai.a.b.${key}`, `extensions.together_ai.list[0].${key.toUpperCase()}`]);
  });

  it('keeps keys that only contain a credential word', () => {
    const fields = { tokenizer: 'x', max_token_budget: 1, authority: 'y', secretive: false, passwords_policy: 'z', token_type: 'a' };
    expect(sanitizeExtension('openai', fields, NO_REASONING)).toEqual({ fields, warnings: [] });
  });

  it('does not mutate the caller object', () => {
    const extension = { nested: { api_key: 'k', ok: true } };
    const before = structuredClone(extension);
    sanitizeExtension('openai', Object.freeze(extension), NO_REASONING);
    expect(extension).toEqual(before);
  });
});

describe('sanitizeExtension: core fields (top level only)', () => {
  it.each(CORE_FIELDS)('removes %s ignoring case and underscores', (field) => {
    const spellings = [field, field.toUpperCase(), field.replaceAll('_', ''), upperFirst(field), `_${field}_`];
    for (const spelling of spellings) {
      const result = sanitizeExtension('openai', { [spelling]: 1 }, NO_REASONING);
      expect(result.fields, spelling).toEqual({});
      expect(result.warnings).toEqual([{ code: 'blocked_extension_field', param: `extensions.openai.${spelling}`, message: expect.stringContaining('core request field') }]);
    }
  });

  it('keeps core names below the top level', () => {
    const fields = { metadata: { model: 'x', stream: true }, response: [{ messages: [] }] };
    expect(sanitizeExtension('openai', fields, NO_REASONING)).toEqual({ fields, warnings: [] });
  });

  it('keeps provider fields that resemble core ones', () => {
    const fields = { 'max-tokens': 5, top_k: 40, min_p: 0.1, models: ['a'], system_prompt: 'x', safe_prompt: true, random_seed: 7, chat_template_kwargs: { enable_thinking: false } };
    expect(sanitizeExtension('vllm', fields, NO_REASONING)).toEqual({ fields, warnings: [] });
  });
});

describe('sanitizeExtension: reasoning fields', () => {
  it('removes the adapter reasoning fields when reasoning_effort was sent', () => {
    const result = sanitizeExtension('openai', { reasoning_effort: 'high', reasoning: { effort: 'high' }, verbosity: 'low' }, REASONING);
    expect(result.fields).toEqual({ verbosity: 'low' });
    expect(result.warnings.map((warning) => [warning.param, warning.message])).toEqual([
      ['extensions.openai.reasoning_effort', expect.stringContaining('reasoning_effort')],
      ['extensions.openai.reasoning', expect.stringContaining('reasoning_effort')],
    ]);
  });

  it('keeps them when reasoning_effort was not sent', () => {
    const fields = { reasoning_effort: 'high', reasoning: { effort: 'high' } };
    expect(sanitizeExtension('openai', fields, NO_REASONING)).toEqual({ fields, warnings: [] });
  });

  it('still removes credentials inside a kept reasoning object', () => {
    expect(sanitizeExtension('openai', { reasoning: { effort: 'high', token: 't' } }, NO_REASONING)).toEqual({
      fields: { reasoning: { effort: 'high' } },
      warnings: [{ code: 'blocked_extension_field', param: 'extensions.openai.reasoning.token', message: expect.any(String) }],
    });
  });
});

describe('sanitizeExtension: values', () => {
  it('keeps scalars, nulls, arrays and nested objects as they are', () => {
    const fields = { s: 'x', num: 1.5, b: false, z: null, list: [1, [2, { c: 3 }]], deep: { a: { b: { c: [] } } } };
    expect(sanitizeExtension('openai', fields, NO_REASONING)).toEqual({ fields, warnings: [] });
  });

  it('returns an empty result for an empty extension', () => {
    expect(sanitizeExtension('openai', {}, REASONING)).toEqual({ fields: {}, warnings: [] });
  });

  it('reports one warning per removed key, in order, and names the extension', () => {
    const result = sanitizeExtension('my_vllm', { token: 'a', model: 'b', reasoning: 'c', ok: { password: 'd' } }, REASONING);
    expect(result.fields).toEqual({ ok: {} });
    expect(result.warnings.map((warning) => warning.param)).toEqual(['extensions.my_vllm.token', 'extensions.my_vllm.model', 'extensions.my_vllm.reasoning', 'extensions.my_vllm.ok.password']);
    for (const warning of result.warnings) expect(warning.message).toContain(warning.param);
  });
});
