import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from './configError.js';
import { parseConfig } from './parseConfig.js';

const OPENAI = { id: 'openai', type: 'openai', base_url: 'https://api.openai.com/v1', api_key: '${OPENAI_API_KEY}' };
const TOGETHER = { id: 'together_ai', type: 'openai-compatible', base_url: 'https://api.together.xyz/v1', api_key: '${TOGETHER_API_KEY}' };
const LLAMA = {
  id: 'llama-3.3-70b-instruct',
  aliases: ['llama-3.3-70b'],
  offers: [{ provider: 'together_ai', upstream_model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', price: { input: 0.88, output: 0.88 } }],
};

/** The error message of a config that must be rejected. */
function rejection(raw: unknown, env: Record<string, string | undefined> = {}): string {
  try {
    parseConfig(raw, env, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('parseConfig: defaults', () => {
  it.each([{}, null, undefined])('fills every default for %j', (raw) => {
    expect(parseConfig(raw, {})).toEqual({
      listen: { host: '127.0.0.1', port: 8080 },
      redis_key_prefix: 'switchyard:',
      keys: [],
      catalog: 'builtin',
      providers: [],
      models: [],
      timeouts: {},
      limits: { max_body_bytes: 10 * 1024 * 1024, on_redis_failure: 'open', budget_reservation_ttl_seconds: 900, budgets: [] },
      logging: { level: 'info' },
      metrics: { require_admin_key: false },
      ledger: { batch_size: 100, flush_interval_ms: 250 },
      auth: { cache_ttl_ms: 5000 },
    });
  });

  it('fills nested defaults of a partly given section', () => {
    const config = parseConfig({ listen: { port: 9000 }, limits: {}, models: [{ id: 'bare' }] }, {});
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(config.limits).toEqual({ max_body_bytes: 10 * 1024 * 1024, on_redis_failure: 'open', budget_reservation_ttl_seconds: 900, budgets: [] });
    expect(config.models).toEqual([{ id: 'bare', offers: [] }]);
  });

  it('parses the contract §10 example', () => {
    const yaml = `
listen: { host: 127.0.0.1, port: 8080 }
store: sqlite:./data/switchyard.db
redis: redis://127.0.0.1:6379
admin_key: \${SWITCHYARD_ADMIN_KEY}
keys:
  - { name: ci, key: "\${SWITCHYARD_API_KEY}", rate_limit_rpm: 600 }
catalog: builtin
providers:
  - { id: openai, type: openai, base_url: https://api.openai.com/v1, api_key: "\${OPENAI_API_KEY}" }
  - { id: anthropic, type: anthropic, base_url: https://api.anthropic.com, api_key: "\${ANTHROPIC_API_KEY}" }
  - { id: google_ai_studio, type: gemini, base_url: https://generativelanguage.googleapis.com, api_key: "\${GEMINI_API_KEY}" }
  - { id: deepseek, type: deepseek, base_url: https://api.deepseek.com, api_key: "\${DEEPSEEK_API_KEY}" }
  - { id: together_ai, type: openai-compatible, base_url: https://api.together.xyz/v1, api_key: "\${TOGETHER_API_KEY}" }
  - { id: local_vllm, type: vllm, base_url: http://127.0.0.1:8000/v1 }
models:
  - id: llama-3.3-70b-instruct
    aliases: [llama-3.3-70b]
    offers:
      - provider: together_ai
        upstream_model: meta-llama/Llama-3.3-70B-Instruct-Turbo
        price: { input: 0.88, output: 0.88, cache_read: 0.44 }
        context_window: 131072
        data_policy: no_training
        expect: { ttft_ms: 400, tps: 90 }
        capabilities: { tools: true, tool_choice_required: true, json_object: true, json_schema: true, vision: false, reasoning: none }
        supported_parameters: [temperature, top_p, seed, stop, tools, tool_choice, response_format]
        tier: standard
`;
    const config = parseConfig(parse(yaml), { OPENAI_API_KEY: 'sk-1', SWITCHYARD_API_KEY: 'ak_test_x', SWITCHYARD_ADMIN_KEY: 'admin' });
    expect(config.providers.map((provider) => [provider.id, provider.type, provider.api_key])).toEqual([
      ['openai', 'openai', 'sk-1'],
      ['anthropic', 'anthropic', ''],
      ['google_ai_studio', 'gemini', ''],
      ['deepseek', 'deepseek', ''],
      ['together_ai', 'openai-compatible', ''],
      ['local_vllm', 'vllm', undefined],
    ]);
    expect(config.admin_key).toBe('admin');
    expect(config.keys).toEqual([{ name: 'ci', key: 'ak_test_x', rate_limit_rpm: 600 }]);
    expect(config.models[0]?.offers[0]).toMatchObject({ price: { input: 0.88, output: 0.88, cache_read: 0.44 }, capabilities: { vision: false, reasoning: 'none' }, tier: 'standard' });
  });
});

describe('parseConfig: environment references', () => {
  it('substitutes ${X}, ${X:-default}, and an unset variable as ""', () => {
    const config = parseConfig(
      {
        listen: { host: '${HOST:-0.0.0.0}', port: '${PORT}' },
        admin_key: '${ADMIN_KEY}',
        providers: [OPENAI, { ...TOGETHER, base_url: '${TOGETHER_URL:-https://api.together.xyz/v1}' }],
      },
      { PORT: '8443', OPENAI_API_KEY: 'sk-live' },
    );
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(config.admin_key).toBe('');
    expect(config.providers[0]?.api_key).toBe('sk-live');
    expect(config.providers[1]).toMatchObject({ base_url: 'https://api.together.xyz/v1', api_key: '' });
  });

  it('reports a reference that resolves to an invalid value at its path', () => {
    expect(rejection({ listen: { port: '${PORT}' } }, { PORT: 'http' })).toContain('listen.port');
    expect(rejection({ providers: [{ ...OPENAI, base_url: '${OPENAI_URL}' }] })).toContain('providers[0].base_url');
  });
});

describe('parseConfig: numeric and boolean strings', () => {
  it.each<[unknown, number]>([
    ['8081', 8081],
    [' 8082 ', 8082],
    [8083, 8083],
    ['0', 0],
  ])('accepts port %j', (port, expected) => {
    expect(parseConfig({ listen: { port } }, {}).listen.port).toBe(expected);
  });

  it.each<[unknown]>([['80a'], ['8080.5'], ['-1'], ['65536'], [''], ['0x50'], [true]])('rejects port %j at listen.port', (port) => {
    expect(rejection({ listen: { port } })).toMatch(/listen\.port/);
  });

  it('accepts numeric strings for prices and limits', () => {
    const config = parseConfig(
      {
        providers: [TOGETHER],
        models: [{ ...LLAMA, offers: [{ ...LLAMA.offers[0], price: { input: '0.88', output: '1', cache_read: '0.1' }, context_window: '131072' }] }],
        limits: { max_body_bytes: '2048' },
      },
      {},
    );
    expect(config.models[0]?.offers[0]).toMatchObject({ price: { input: 0.88, output: 1, cache_read: 0.1 }, context_window: 131072 });
    expect(config.limits.max_body_bytes).toBe(2048);
  });

  it('accepts "true" and "false" for booleans, nothing looser', () => {
    expect(parseConfig({ metrics: { require_admin_key: 'true' } }, {}).metrics.require_admin_key).toBe(true);
    expect(parseConfig({ metrics: { require_admin_key: 'false' } }, {}).metrics.require_admin_key).toBe(false);
    expect(rejection({ metrics: { require_admin_key: 'yes' } })).toContain('metrics.require_admin_key');
  });
});

describe('parseConfig: strictness', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown top-level key', { listn: {} }, 'listn: unknown key'],
    ['an unknown listen key', { listen: { hots: 'x' } }, 'listen.hots: unknown key'],
    ['an unknown provider key', { providers: [{ ...OPENAI, bas_url: 'x' }] }, 'providers[0].bas_url: unknown key'],
    ['an unknown offer key', { providers: [TOGETHER], models: [{ ...LLAMA, offers: [{ ...LLAMA.offers[0], prize: 1 }] }] }, 'models[0].offers[0].prize: unknown key'],
    ['an unknown price key', { providers: [TOGETHER], models: [{ ...LLAMA, offers: [{ ...LLAMA.offers[0], price: { input: 1, output: 1, cached: 1 } }] }] }, 'models[0].offers[0].price.cached: unknown key'],
    ['an unknown capability', { providers: [TOGETHER], models: [{ ...LLAMA, offers: [{ ...LLAMA.offers[0], capabilities: { audio: true } }] }] }, 'models[0].offers[0].capabilities.audio: unknown key'],
    ['an unknown key entry', { keys: [{ name: 'a', key: 'k', rpm: 5 }] }, 'keys[0].rpm: unknown key'],
    ['an unknown timeout', { timeouts: { read_ms: 5 } }, 'timeouts.read_ms: unknown key'],
    ['an unknown provider type', { providers: [{ ...OPENAI, type: 'cohere' }] }, 'providers[0].type'],
    ['a provider id with capitals', { providers: [{ ...OPENAI, id: 'OpenAI' }] }, 'providers[0].id'],
    ['a base_url that is not http(s)', { providers: [{ ...OPENAI, base_url: 'ftp://example.com' }] }, 'providers[0].base_url'],
    ['a negative price', { providers: [TOGETHER], models: [{ ...LLAMA, offers: [{ ...LLAMA.offers[0], price: { input: -1, output: 1 } }] }] }, 'models[0].offers[0].price.input'],
    ['a missing price', { providers: [TOGETHER], models: [{ ...LLAMA, offers: [{ provider: 'together_ai', upstream_model: 'x' }] }] }, 'models[0].offers[0].price'],
    ['an unknown supported parameter', { providers: [TOGETHER], models: [{ ...LLAMA, offers: [{ ...LLAMA.offers[0], supported_parameters: ['temprature'] }] }] }, 'models[0].offers[0].supported_parameters[0]'],
    ['a model id with spaces', { models: [{ id: 'my model' }] }, 'models[0].id'],
    ['a bad store', { store: 'mysql://x' }, 'store'],
    ['a bad redis url', { redis: 'http://x' }, 'redis'],
    ['a bad catalog', { catalog: 'all' }, 'catalog'],
    ['a bad log level', { logging: { level: 'verbose' } }, 'logging.level'],
    ['a small body limit', { limits: { max_body_bytes: 10 } }, 'limits.max_body_bytes'],
    ['a bad expires_at', { keys: [{ name: 'a', key: 'k', expires_at: 'tomorrow' }] }, 'keys[0].expires_at'],
    ['a list where an object belongs', { listen: [] }, 'listen'],
  ])('rejects %s, naming the path', (_name, raw, path) => {
    const message = rejection(raw);
    expect(message).toContain('test.yaml is invalid');
    expect(message).toContain(`  - ${path}`);
  });

  it('reports every problem at once, one line each', () => {
    const message = rejection({ listn: 1, listen: { port: 'x', extra: 1 }, providers: [{ ...OPENAI, type: 'x' }] });
    const lines = message.split('\n').slice(1);
    expect(lines).toHaveLength(4);
    expect(message).toContain('listn: unknown key');
    expect(message).toContain('listen.extra: unknown key');
    expect(message).toContain('listen.port');
    expect(message).toContain('providers[0].type');
  });

  it('names the root for a config that is not an object', () => {
    expect(rejection('just a string')).toContain('(root)');
    expect(rejection([1, 2])).toContain('(root)');
  });

  it('names the source', () => {
    expect(() => parseConfig({ x: 1 }, {}, '/etc/switchyard.yaml')).toThrow(/^\/etc\/switchyard\.yaml is invalid/);
    expect(() => parseConfig({ x: 1 }, {})).toThrow(/^config is invalid/);
  });
});

describe('parseConfig: cross references', () => {
  it('rejects duplicate provider ids', () => {
    expect(rejection({ providers: [OPENAI, { ...OPENAI, base_url: 'https://other.example/v1' }] })).toContain("providers[1].id: duplicate provider id 'openai'");
  });

  it('rejects an offer whose provider does not exist', () => {
    expect(rejection({ providers: [OPENAI], models: [LLAMA] })).toContain("models[0].offers[0].provider: no provider with id 'together_ai' in providers");
  });

  it('rejects a model id or alias used twice', () => {
    expect(rejection({ providers: [TOGETHER], models: [LLAMA, { id: 'llama-3.3-70b-instruct' }] })).toContain("models[1].id: 'llama-3.3-70b-instruct' is already used at models[0].id");
    expect(rejection({ providers: [TOGETHER], models: [LLAMA, { id: 'other', aliases: ['llama-3.3-70b'] }] })).toContain("models[1].aliases[0]: 'llama-3.3-70b' is already used at models[0].aliases[0]");
    expect(rejection({ models: [{ id: 'a', aliases: ['b', 'b'] }] })).toContain("models[0].aliases[1]: 'b' is already used at models[0].aliases[0]");
  });

  it('rejects duplicate key names', () => {
    expect(rejection({ keys: [{ name: 'ci', key: 'a' }, { name: 'ci', key: 'b' }] })).toContain("keys[1].name: duplicate key name 'ci'");
  });

  it('reports every cross-reference problem together', () => {
    const message = rejection({ providers: [OPENAI, OPENAI], models: [LLAMA], keys: [{ name: 'a', key: 'x' }, { name: 'a', key: 'y' }] });
    expect(message.split('\n').slice(1)).toHaveLength(3);
  });

  it('accepts a model that only adds aliases (to override the catalog)', () => {
    expect(parseConfig({ models: [{ id: 'gpt-4o', aliases: ['my-gpt'] }] }, {}).models).toEqual([{ id: 'gpt-4o', aliases: ['my-gpt'], offers: [] }]);
  });
});

describe('parseConfig: result', () => {
  it('is deeply frozen', () => {
    const config = parseConfig({ providers: [{ ...TOGETHER, headers: { 'x-a': 'b' } }], models: [LLAMA] }, { TOGETHER_API_KEY: 'k' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.listen)).toBe(true);
    expect(Object.isFrozen(config.providers)).toBe(true);
    expect(Object.isFrozen(config.providers[0]?.headers)).toBe(true);
    expect(Object.isFrozen(config.models[0]?.offers[0]?.price)).toBe(true);
    expect(Object.isFrozen(config.models[0]?.aliases)).toBe(true);
    expect(() => {
      (config.listen as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.providers as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('does not freeze or change the raw input', () => {
    const raw = { listen: { port: '8081' }, providers: [{ ...OPENAI }] };
    const before = structuredClone(raw);
    parseConfig(raw, { OPENAI_API_KEY: 'k' });
    expect(raw).toEqual(before);
    expect(Object.isFrozen(raw.listen)).toBe(false);
  });
});
