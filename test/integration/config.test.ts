import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/configError.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { parseConfig } from '../../src/config/parseConfig.js';
import { startStack, type Stack } from '../support/startStack.js';
import { chat, expectErrorEnvelope, http, USER_MESSAGE } from './support/http.js';

/** A small valid config tree; tests change one part of it. */
function validConfig(): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 8080 },
    catalog: 'none',
    keys: [{ name: 'ci', key: 'ak_test_' + 'k'.repeat(32) }],
    providers: [
      { id: 'openai', type: 'openai', base_url: 'https://api.openai.com/v1', api_key: 'sk-x' },
      { id: 'together_ai', type: 'openai-compatible', base_url: 'https://api.together.xyz/v1', api_key: 'tk-x' },
    ],
    models: [
      {
        id: 'llama-3.3-70b-instruct',
        aliases: ['llama-3.3-70b'],
        offers: [
          {
            provider: 'together_ai',
            upstream_model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
            price: { input: 0.88, output: 0.88, cache_read: 0.44 },
            capabilities: { tools: true, reasoning: 'none' },
            supported_parameters: ['temperature', 'top_p'],
          },
        ],
      },
    ],
  };
}

type Tree = Record<string, unknown>;
const at = (tree: Tree, ...path: (string | number)[]): Tree => path.reduce<Tree>((node, key) => (node as Record<string | number, Tree>)[key] as Tree, tree);

function configError(raw: unknown, env: Record<string, string | undefined> = {}): string {
  try {
    parseConfig(raw, env, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('accepts the valid config and fills defaults', () => {
    const config = parseConfig(validConfig(), {});
    expect(config.providers).toHaveLength(2);
    expect(config.limits.max_body_bytes).toBe(10 * 1024 * 1024);
    expect(config.logging.level).toBe('info');
    expect(config.metrics.require_admin_key).toBe(false);
    expect(Object.isFrozen(config.providers[0])).toBe(true);
  });

  it.each([
    ['the root', (tree: Tree) => (tree.bogus = 1), 'bogus'],
    ['listen', (tree: Tree) => (at(tree, 'listen').bogus = 1), 'listen.bogus'],
    ['a provider', (tree: Tree) => (at(tree, 'providers', 0).bogus = 1), 'providers[0].bogus'],
    ['a second provider', (tree: Tree) => (at(tree, 'providers', 1).apikey = 'x'), 'providers[1].apikey'],
    ['a key', (tree: Tree) => (at(tree, 'keys', 0).secret = 'x'), 'keys[0].secret'],
    ['a model', (tree: Tree) => (at(tree, 'models', 0).bogus = 1), 'models[0].bogus'],
    ['an offer', (tree: Tree) => (at(tree, 'models', 0, 'offers', 0).bogus = 1), 'models[0].offers[0].bogus'],
    ['a price', (tree: Tree) => (at(tree, 'models', 0, 'offers', 0, 'price').foo = 1), 'models[0].offers[0].price.foo'],
    ['capabilities', (tree: Tree) => (at(tree, 'models', 0, 'offers', 0, 'capabilities').audio = true), 'models[0].offers[0].capabilities.audio'],
    ['limits', (tree: Tree) => (tree.limits = { max_body: 5 }), 'limits.max_body'],
    ['timeouts', (tree: Tree) => (tree.timeouts = { read_ms: 5 }), 'timeouts.read_ms'],
    ['provider timeouts', (tree: Tree) => (at(tree, 'providers', 0).timeouts = { total_ms: 5 }), 'providers[0].timeouts.total_ms'],
  ])('names the path of an unknown key in %s', (_where, mutate, path) => {
    const tree = validConfig();
    mutate(tree);
    const message = configError(tree);
    expect(message).toContain('test.yaml is invalid');
    expect(message).toContain(`${path}: unknown key`);
  });

  it.each([
    ['a provider type', (tree: Tree) => (at(tree, 'providers', 0).type = 'nope'), 'providers[0].type'],
    ['a base_url', (tree: Tree) => (at(tree, 'providers', 1).base_url = 'not a url'), 'providers[1].base_url'],
    ['a base_url scheme', (tree: Tree) => (at(tree, 'providers', 1).base_url = 'ftp://example.com'), 'providers[1].base_url'],
    ['a provider id', (tree: Tree) => (at(tree, 'providers', 0).id = 'Has Spaces'), 'providers[0].id'],
    ['a port', (tree: Tree) => (at(tree, 'listen').port = 70000), 'listen.port'],
    ['a port string', (tree: Tree) => (at(tree, 'listen').port = 'eighty'), 'listen.port'],
    ['a negative price', (tree: Tree) => (at(tree, 'models', 0, 'offers', 0, 'price').input = -1), 'models[0].offers[0].price.input'],
    ['a missing price', (tree: Tree) => delete at(tree, 'models', 0, 'offers', 0).price, 'models[0].offers[0].price'],
    ['a capability value', (tree: Tree) => (at(tree, 'models', 0, 'offers', 0, 'capabilities').reasoning = 'sometimes'), 'models[0].offers[0].capabilities.reasoning'],
    ['a supported parameter', (tree: Tree) => ((at(tree, 'models', 0, 'offers', 0).supported_parameters as string[]).push('warp_speed')), 'models[0].offers[0].supported_parameters[2]'],
    ['an expiry date', (tree: Tree) => (at(tree, 'keys', 0).expires_at = 'yesterday'), 'keys[0].expires_at'],
    ['max_body_bytes', (tree: Tree) => (tree.limits = { max_body_bytes: 10 }), 'limits.max_body_bytes'],
    ['the log level', (tree: Tree) => (tree.logging = { level: 'loud' }), 'logging.level'],
    ['the catalog', (tree: Tree) => (tree.catalog = 'everything'), 'catalog'],
    ['the store', (tree: Tree) => (tree.store = 'mysql://db'), 'store'],
    ['providers as a map', (tree: Tree) => (tree.providers = { openai: {} }), 'providers'],
  ])('names the path of a bad value: %s', (_what, mutate, path) => {
    const tree = validConfig();
    mutate(tree);
    expect(configError(tree)).toMatch(new RegExp(`^  - ${path.replace(/[[\].]/g, '\\$&')}: `, 'm'));
  });

  it('reports every problem, not only the first', () => {
    const tree = validConfig();
    at(tree, 'providers', 0).bogus = 1;
    at(tree, 'listen').port = -5;
    const message = configError(tree);
    expect(message).toContain('providers[0].bogus');
    expect(message).toContain('listen.port');
  });

  it('accepts numbers and booleans written as strings (as YAML and ${ENV} give them)', () => {
    const tree = validConfig();
    at(tree, 'listen').port = '9090';
    tree.metrics = { require_admin_key: 'true' };
    tree.admin_key = 'admin-secret';
    const config = parseConfig(tree, {});
    expect(config.listen.port).toBe(9090);
    expect(config.metrics.require_admin_key).toBe(true);
  });

  it('substitutes ${VAR} and ${VAR:-default} everywhere', () => {
    const tree = validConfig();
    at(tree, 'listen').port = '${PORT:-9000}';
    at(tree, 'listen').host = '${HOST:-0.0.0.0}';
    at(tree, 'providers', 0).api_key = '${OPENAI_API_KEY}';
    at(tree, 'providers', 0).base_url = 'https://${OPENAI_HOST:-api.openai.com}/v1';
    at(tree, 'providers', 0).headers = { 'x-org': 'org-${ORG}-${ORG}' };
    tree.admin_key = '${ADMIN_KEY}';

    const withDefaults = parseConfig(tree, { OPENAI_API_KEY: 'sk-from-env', ORG: 'o1', ADMIN_KEY: 'adm' });
    expect(withDefaults.listen).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(withDefaults.providers[0]?.api_key).toBe('sk-from-env');
    expect(withDefaults.providers[0]?.base_url).toBe('https://api.openai.com/v1');
    expect(withDefaults.providers[0]?.headers).toEqual({ 'x-org': 'org-o1-o1' });
    expect(withDefaults.admin_key).toBe('adm');

    const fromEnv = parseConfig(tree, { PORT: '1234', HOST: '::1', OPENAI_HOST: 'proxy.internal' });
    expect(fromEnv.listen).toEqual({ host: '::1', port: 1234 });
    expect(fromEnv.providers[0]?.base_url).toBe('https://proxy.internal/v1');
    // Unset without a default: empty, which disables the provider later rather than failing here.
    expect(fromEnv.providers[0]?.api_key).toBe('');
  });

  it('reports a bad substituted value at the path that held the reference', () => {
    const tree = validConfig();
    at(tree, 'listen').port = '${PORT}';
    expect(configError(tree, { PORT: 'not-a-number' })).toContain('listen.port');
  });

  it('rejects duplicate provider ids', () => {
    const tree = validConfig();
    (tree.providers as Tree[]).push({ id: 'openai', type: 'openai', base_url: 'https://example.com/v1' });
    expect(configError(tree)).toContain("providers[2].id: duplicate provider id 'openai'");
  });

  it('rejects an offer naming an unknown provider', () => {
    const tree = validConfig();
    at(tree, 'models', 0, 'offers', 0).provider = 'ghost';
    expect(configError(tree)).toContain("models[0].offers[0].provider: no provider with id 'ghost'");
  });

  it('rejects a model id or alias used twice', () => {
    const tree = validConfig();
    (tree.models as Tree[]).push({ id: 'other', aliases: ['llama-3.3-70b'], offers: [] });
    expect(configError(tree)).toContain("models[1].aliases[0]: 'llama-3.3-70b' is already used at models[0].aliases[0]");
  });

  it('rejects duplicate key names', () => {
    const tree = validConfig();
    (tree.keys as Tree[]).push({ name: 'ci', key: 'ak_test_' + 'j'.repeat(32) });
    expect(configError(tree)).toContain("keys[1].name: duplicate key name 'ci'");
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('loads YAML with env references', () => {
    const file = write(
      'ok.yaml',
      [
        'listen: { port: "${SY_PORT:-7070}" }',
        'catalog: none',
        'providers:',
        '  - { id: local, type: openai-compatible, base_url: "http://127.0.0.1:9/v1", api_key: "${SY_KEY}" }',
      ].join('\n'),
    );
    const config = loadConfig(file, { SY_KEY: 'k' });
    expect(config.listen.port).toBe(7070);
    expect(config.providers[0]?.api_key).toBe('k');
  });

  it('loads an empty file as all defaults', () => {
    const config = loadConfig(write('empty.yaml', ''), {});
    expect(config.providers).toEqual([]);
    expect(config.catalog).toBe('builtin');
  });

  it('names the file and the path of an unknown key', () => {
    const file = write('unknown.yaml', 'providers:\n  - { id: a, type: openai, base_url: "https://x.test/v1", bogus: 1 }\n');
    expect(() => loadConfig(file, {})).toThrow(/unknown\.yaml is invalid:\n {2}- providers\[0\]\.bogus: unknown key/);
  });

  it('reports a missing file, broken YAML and duplicate YAML keys', () => {
    expect(() => loadConfig(join(dir, 'missing.yaml'), {})).toThrow(/cannot read config file/);
    expect(() => loadConfig(write('broken.yaml', 'listen: [\n'), {})).toThrow(/is not valid YAML/);
    expect(() => loadConfig(write('dup.yaml', 'catalog: none\ncatalog: builtin\n'), {})).toThrow(/is not valid YAML/);
  });
});

describe('a provider whose api_key is an unset ${VAR}', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'alpha' }, { id: 'beta' }],
      models: {
        shared: [
          { profile: 'beta', price: { input: 0.1, output: 0.1 } },
          { profile: 'alpha', price: { input: 5, output: 5 } },
        ],
        'beta-only': [{ profile: 'beta', price: { input: 1, output: 1 } }],
      },
      providerConfig: { beta: { api_key: '${UNSET_SWITCHYARD_TEST_VAR}' } },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('starts, and logs that the provider is disabled', () => {
    const line = stack.logs.find((entry) => entry.msg === 'provider disabled');
    expect(line).toMatchObject({ provider: 'beta', level: 40 });
    expect(stack.gateway.providers.get('beta')?.enabled).toBe(false);
  });

  it('shows enabled: false in /v1/registry/providers', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/registry/providers');
    const data = (result.json as { data: { id: string; enabled: boolean; models: string[] }[] }).data;
    expect(data.find((provider) => provider.id === 'beta')).toMatchObject({ enabled: false, type: 'openai' });
    expect(data.find((provider) => provider.id === 'alpha')).toMatchObject({ enabled: true, models: ['shared'] });
  });

  it('never routes to its offers, even the cheapest', async () => {
    stack.simulator.clearRequests();
    const result = await chat(stack, { model: 'shared', messages: USER_MESSAGE });
    expect(result.status, result.text).toBe(200);
    expect((result.json as { routing_metadata: { provider: string } }).routing_metadata.provider).toBe('alpha');
    expect(stack.simulator.requests.map((request) => request.profile)).toEqual(['alpha']);
  });

  it('refuses a model only it offers without calling any provider (no caller key was sent)', async () => {
    stack.simulator.clearRequests();
    const result = await chat(stack, { model: 'beta-only', messages: USER_MESSAGE });
    expect([400, 404, 503]).toContain(result.status);
    expectErrorEnvelope(result, result.status, (result.json as { error: { code: string } }).error.code);
    expect(stack.simulator.requests).toHaveLength(0);
  });
});
