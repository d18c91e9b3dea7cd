import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parseConfig.js';
import { buildProviderRuntime, DEFAULT_TIMEOUTS } from './providerRuntime.js';

function runtimeOf(provider: Record<string, unknown>, env: Record<string, string | undefined> = {}, timeouts: Record<string, unknown> = {}) {
  const config = parseConfig({ providers: [{ id: 'p', type: 'openai-compatible', base_url: 'https://api.example.com/v1', ...provider }], timeouts }, env);
  const [first] = config.providers;
  if (first === undefined) throw new Error('no provider');
  return buildProviderRuntime(first, config.timeouts);
}

describe('buildProviderRuntime: keys', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>, string | undefined, boolean]>([
    ['a key from the environment', { api_key: '${P_KEY}' }, { P_KEY: 'sk-1' }, 'sk-1', true],
    ['a literal key', { api_key: 'sk-2' }, {}, 'sk-2', true],
    ['a key whose variable is unset', { api_key: '${P_KEY}' }, {}, undefined, false],
    ['a key whose variable is empty', { api_key: '${P_KEY}' }, { P_KEY: '' }, undefined, false],
    ['an empty literal key', { api_key: '' }, {}, undefined, false],
    ['no key at all (a local server)', {}, {}, undefined, true],
  ])('%s', (_name, provider, env, apiKey, enabled) => {
    const runtime = runtimeOf(provider, env);
    expect(runtime.apiKey).toBe(apiKey);
    expect(runtime.enabled).toBe(enabled);
    // A provider without a usable key of the gateway's still serves callers who bring their own.
    expect(runtime.byokOnly).toBe(!enabled);
    if (enabled) expect(runtime.disabledReason).toBeUndefined();
    else expect(runtime.disabledReason).toMatch(/^api_key resolved to an empty value.*X-Provider-Key-p/);
  });
});

describe('buildProviderRuntime: fields', () => {
  it('keeps id and type and strips trailing slashes from the base URL', () => {
    expect(runtimeOf({ base_url: 'http://127.0.0.1:8000/v1/' })).toMatchObject({ id: 'p', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1' });
    expect(runtimeOf({ base_url: 'https://api.example.com/v1///' }).baseUrl).toBe('https://api.example.com/v1');
    expect(runtimeOf({}).baseUrl).toBe('https://api.example.com/v1');
  });

  it('copies the configured headers into a plain object, names lowercased', () => {
    const runtime = runtimeOf({ headers: { 'OpenAI-Organization': 'org_1' } });
    expect(runtime.headers).toEqual({ 'openai-organization': 'org_1' });
    expect(Object.isFrozen(runtime.headers)).toBe(false);
    expect(runtimeOf({}).headers).toEqual({});
  });

  it('uses 256 connections unless configured', () => {
    expect(runtimeOf({}).maxConnections).toBe(256);
    expect(runtimeOf({ max_connections: 16 }).maxConnections).toBe(16);
  });

  it('takes each timeout from the provider, then the global config, then the built-in default', () => {
    expect(runtimeOf({}).timeouts).toEqual(DEFAULT_TIMEOUTS);
    expect(DEFAULT_TIMEOUTS).toEqual({ connectMs: 10_000, firstByteMs: 300_000, idleMs: 120_000 });
    expect(runtimeOf({ timeouts: { connect_ms: 1000 } }, {}, { connect_ms: 2000, idle_ms: 3000 }).timeouts).toEqual({ connectMs: 1000, firstByteMs: 300_000, idleMs: 3000 });
    expect(runtimeOf({ timeouts: { first_byte_ms: 5 } }, {}, { first_byte_ms: 6 }).timeouts.firstByteMs).toBe(5);
  });
});
