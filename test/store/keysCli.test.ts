import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_PATTERN } from '../../src/auth/apiKeyFormat.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulatorServer.js';
import { spawnGateway, type SpawnedGateway } from '../support/spawnGateway.js';
import { TEST_API_KEY } from '../support/startStack.js';
import { clearRedisPrefix, REDIS_URL, uniqueRedisPrefix } from './support/testDatabases.js';

const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));
const run = promisify(execFile);

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function switchyard(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.SWITCHYARD_CONFIG === undefined) delete env.SWITCHYARD_CONFIG;
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env, cwd: options.cwd, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function secretIn(stdout: string): string {
  const secret = stdout.split('\n').map((line) => line.trim()).find((line) => API_KEY_PATTERN.test(line));
  if (secret === undefined) throw new Error(`no key in:\n${stdout}`);
  return secret;
}

describe('switchyard keys', () => {
  let folder: string;
  let configFile: string;
  let simulator: Simulator;
  let prefix: string;
  let config: Record<string, unknown>;
  const gateways: SpawnedGateway[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'switchyard-keys-cli-'));
    simulator = await startSimulator({ profiles: [{ id: 'alpha' }] });
    prefix = uniqueRedisPrefix();
    config = {
      catalog: 'none',
      store: `sqlite:${join(folder, 'gateway.db')}`,
      redis: REDIS_URL,
      redis_key_prefix: prefix,
      keys: [{ name: 'from-config', key: TEST_API_KEY }],
      providers: [{ id: 'alpha', type: 'openai', base_url: simulator.profileUrl('alpha') }],
      models: [{ id: 'test-model', offers: [{ provider: 'alpha', upstream_model: 'sim', price: { input: 1, output: 1 } }] }],
    };
    configFile = join(folder, 'config.yaml');
    writeFileSync(configFile, stringify(config));
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await simulator?.close();
    await clearRedisPrefix(prefix);
    rmSync(folder, { recursive: true, force: true });
  });

  it('create prints the key once; list shows it without the secret; a running gateway accepts it, and refuses it at once after revoke', async () => {
    const created = await switchyard(['keys', 'create', '--name', 'ci', '--rpm', '60', '--tpm', '5000', '--concurrency', '3', '--tier', 'gold', '--config', configFile]);
    expect(created.code, created.stderr).toBe(0);
    const secret = secretIn(created.stdout);
    expect(secret.startsWith('ak_live_')).toBe(true);
    expect(created.stdout).toContain('only time the key is shown');
    const id = /key_[0-9a-f]{16}/.exec(created.stdout)?.[0] ?? '';

    const listed = await switchyard(['keys', 'list', '--config', configFile]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+ci\\s+live\\s+store\\s+active`));
    expect(listed.stdout).toContain('from-config');
    expect(listed.stdout).not.toContain(secret.slice(8));
    const json = JSON.parse((await switchyard(['keys', 'list', '--json'], { env: { SWITCHYARD_CONFIG: configFile } })).stdout) as { id: string; rate_limit_rpm: number | null; tokens_per_minute: number | null; max_concurrent: number | null; tier: string | null; source: string }[];
    expect(json.find((key) => key.id === id)).toMatchObject({ rate_limit_rpm: 60, tokens_per_minute: 5000, max_concurrent: 3, tier: 'gold', source: 'store' });

    const gateway = await spawnGateway({ ...config, auth: { cache_ttl_ms: 600_000 } });
    gateways.push(gateway);
    const chat = () =>
      fetch(`${gateway.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'test-model', messages: [{ role: 'user', content: 'hi' }] }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { error?: { code: string } } }));
    expect((await chat()).status).toBe(200);

    const revoked = await switchyard(['keys', 'revoke', id, '--config', configFile]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked ${id} (ci)`);
    // The gateway caches keys for ten minutes here: only the Redis message can explain a refusal now.
    const refused = await chat();
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('invalid_api_key');
    expect((await switchyard(['keys', 'list', '--config', configFile])).stdout).toMatch(new RegExp(`${id}\\s+ci\\s+live\\s+store\\s+revoked`));
  });

  it('create --test --expires makes a test key with an expiry', async () => {
    const result = await switchyard(['keys', 'create', '--test', '--name', 'short', '--expires', '2999-01-01T00:00:00Z', '--config', configFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(secretIn(result.stdout).startsWith('ak_test_')).toBe(true);
    expect(result.stdout).toContain('expires 2999-01-01T00:00:00.000Z');
  });

  it('refuses to revoke a config key or an unknown id (exit 1, a message on stderr)', async () => {
    const list = JSON.parse((await switchyard(['keys', 'list', '--json', '--config', configFile])).stdout) as { id: string; source: string }[];
    const configKey = list.find((key) => key.source === 'config');
    const refused = await switchyard(['keys', 'revoke', configKey?.id ?? '', '--config', configFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/config file/);
    const unknown = await switchyard(['keys', 'revoke', 'key_0000000000000000', '--config', configFile]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No API key with id 'key_0000000000000000'");
  });

  it.each<[string[], number, RegExp]>([
    [['keys', 'revoke'], 2, /Usage: switchyard keys revoke/],
    [['keys', 'frobnicate'], 2, /expected create, list, revoke or generate/],
    [['keys', 'create', '--rpm', 'many'], 1, /--rpm must be a positive integer/],
    [['keys', 'create', '--expires', '2001-01-01'], 1, /--expires must be in the future/],
    [['keys', 'create', '--bogus'], 2, /Unknown option/],
  ])('%j exits %i with a message', async (args, code, message) => {
    const result = await switchyard([...args, ...(args[1] === 'frobnicate' ? [] : ['--config', configFile])]);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('generate prints a key for the config file and stores nothing', async () => {
    const result = await switchyard(['keys', 'generate', '--test'], { cwd: folder });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(API_KEY_PATTERN);
    expect(existsSync(join(folder, 'data'))).toBe(false);
  });

  it('without a config uses ./data/switchyard.db, creating the folder', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'switchyard-keys-default-'));
    try {
      const created = await switchyard(['keys', 'create', '--name', 'local'], { cwd });
      expect(created.code, created.stderr).toBe(0);
      expect(existsSync(join(cwd, 'data', 'switchyard.db'))).toBe(true);
      expect((await switchyard(['keys', 'list'], { cwd })).stdout).toMatch(/local\s+live\s+store\s+active/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
