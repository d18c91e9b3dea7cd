import { parseArgs } from 'node:util';
import { destination } from 'pino';
import { generateApiKey } from './auth/apiKeyFormat.js';
import { ConfigError } from './config/configError.js';
import type { Config } from './config/configSchema.js';
import { loadConfig } from './config/loadConfig.js';
import { parseConfig } from './config/parseConfig.js';
import { GatewayError } from './core/gatewayError.js';
import { createGateway } from './createGateway.js';
import { createLogger } from './observability/createLogger.js';
import { renderKey } from './http/adminWire.js';

export const KEYS_USAGE = `  keys create [--name N] [--test] [--expires ISO] [--rpm N] [--tpm N] [--concurrency N] [--tier T]
                                                create a key in the store and print it (once)
  keys list [--json]                            list keys (store and config; never secrets)
  keys revoke <id>                              revoke a store key (running gateways refuse it at once with Redis, else within auth.cache_ttl_ms)
  keys generate [--test]                        print a new key for the config's keys: list (nothing is stored)
  (keys commands take --config FILE or SWITCHYARD_CONFIG; without either they use the default store ./data/switchyard.db)`;

const CONFIG_OPTION = { config: { type: 'string', short: 'c' } } as const;

/** `switchyard keys ...`: manages the keys of the configured store. Returns the exit code. */
export async function runKeysCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'create':
      return create(rest);
    case 'list':
      return list(rest);
    case 'revoke':
      return revoke(rest);
    case 'generate': {
      const { values } = parseArgs({ args: rest, options: { test: { type: 'boolean' } }, strict: true });
      process.stdout.write(`${generateApiKey(values.test === true ? 'test' : 'live')}\n`);
      return 0;
    }
    default:
      process.stderr.write(`keys ${action ?? ''}: expected create, list, revoke or generate.\n\n${KEYS_USAGE}\n`);
      return 2;
  }
}

async function create(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...CONFIG_OPTION,
      name: { type: 'string', short: 'n' },
      test: { type: 'boolean' },
      expires: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      concurrency: { type: 'string' },
      tier: { type: 'string' },
    },
    strict: true,
  });
  const expiresAt = values.expires === undefined ? null : parseExpiry(values.expires);
  const input = {
    name: values.name ?? 'default',
    kind: values.test === true ? ('test' as const) : ('live' as const),
    expiresAt,
    rateLimitRpm: positiveInteger(values.rpm, '--rpm'),
    tokensPerMinute: positiveInteger(values.tpm, '--tpm'),
    maxConcurrent: positiveInteger(values.concurrency, '--concurrency'),
    tier: values.tier ?? null,
  };
  if (input.name.length > 100) throw new ConfigError('--name must be at most 100 characters');
  return withKeys(values.config, async (keys) => {
    const { key, secret } = await keys.create(input);
    process.stdout.write(
      [
        `Created ${key.kind} key ${key.id} (name: ${key.name}${key.expiresAt === null ? '' : `, expires ${new Date(key.expiresAt).toISOString()}`}).`,
        '',
        `  ${secret}`,
        '',
        'This is the only time the key is shown: the store keeps only its SHA-256 hash.',
        '',
      ].join('\n'),
    );
    return 0;
  });
}

async function list(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...CONFIG_OPTION, json: { type: 'boolean' } }, strict: true });
  return withKeys(values.config, async (keys) => {
    const all = await keys.list();
    const now = Date.now();
    if (values.json === true) {
      // The admin API's key objects.
      process.stdout.write(JSON.stringify(all.map((key) => renderKey(key, now)), null, 2) + '\n');
      return 0;
    }
    const rows = [
      ['ID', 'NAME', 'KIND', 'SOURCE', 'STATUS', 'CREATED', 'EXPIRES', 'RPM', 'TPM', 'CONCURRENCY', 'TIER'],
      ...all.map((key) => [
        key.id, key.name, key.kind, key.source, String(renderKey(key, now).status), iso(key.createdAt) ?? '-', iso(key.expiresAt) ?? '-',
        String(key.rateLimitRpm ?? '-'), String(key.tokensPerMinute ?? '-'), String(key.maxConcurrent ?? '-'), key.tier ?? '-',
      ]),
    ];
    const widths = rows[0]?.map((_cell, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
    process.stdout.write(rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n') + '\n');
    if (all.length === 0) process.stdout.write('(no keys: create one with `switchyard keys create --name NAME`)\n');
    return 0;
  });
}

async function revoke(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: CONFIG_OPTION, allowPositionals: true, strict: true });
  const id = positionals[0];
  if (id === undefined || positionals.length > 1) {
    process.stderr.write('Usage: switchyard keys revoke <key id> [--config FILE]   (ids are listed by `switchyard keys list`)\n');
    return 2;
  }
  return withKeys(values.config, async (keys) => {
    const key = await keys.revoke(id);
    process.stdout.write(`Revoked ${key.id} (${key.name}) at ${iso(key.revokedAt) ?? ''}.\n`);
    return 0;
  });
}

/** Opens the configured store (applying migrations), runs `work`, closes it; store errors become exit code 1. */
async function withKeys(configFlag: string | undefined, work: (keys: ReturnType<typeof createGateway>['store']['keys']) => Promise<number>): Promise<number> {
  const config = readConfig(configFlag);
  // Warnings (e.g. Redis unreachable) go to stderr; stdout carries only the command's output.
  const gateway = createGateway(config, { logger: createLogger('warn', destination({ dest: 2, sync: true })) });
  try {
    await gateway.store.start();
    return await work(gateway.store.keys);
  } catch (error) {
    if (error instanceof GatewayError) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await gateway.close();
  }
}

function readConfig(flag: string | undefined): Config {
  const file = flag ?? process.env.SWITCHYARD_CONFIG;
  if (file !== undefined && file !== '') return loadConfig(file);
  return parseConfig({}, process.env, 'default config');
}

function parseExpiry(value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}(T.+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new ConfigError(`--expires must be an ISO-8601 time with an offset (2026-12-31T23:59:59Z) or a date, got '${value}'`);
  if (ms <= Date.now()) throw new ConfigError(`--expires must be in the future, got '${value}'`);
  return ms;
}

function positiveInteger(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) throw new ConfigError(`${flag} must be a positive integer, got '${value}'`);
  return number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
