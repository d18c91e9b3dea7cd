import type { z } from 'zod';
import { ConfigError } from './configError.js';
import { configSchema, type Config } from './configSchema.js';
import { formatIssuePath } from './formatIssuePath.js';
import { substituteEnv } from './substituteEnv.js';

/** Validates a parsed config tree strictly; every problem is reported with its path. */
export function parseConfig(raw: unknown, env: Record<string, string | undefined>, source = 'config'): Config {
  const substituted = substituteEnv(raw ?? {}, env);
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) throw new ConfigError(`${source} is invalid:\n${describeIssues(parsed.error.issues)}`);
  checkCrossReferences(parsed.data, source);
  return deepFreeze(parsed.data);
}

export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `  - ${formatIssuePath([...issue.path, key])}: unknown key`).join('\n');
      }
      return `  - ${formatIssuePath(issue.path)}: ${issue.message}`;
    })
    .join('\n');
}

function checkCrossReferences(config: Config, source: string): void {
  const problems: string[] = [];
  const providerIds = new Set<string>();
  config.providers.forEach((provider, index) => {
    if (providerIds.has(provider.id)) problems.push(`  - providers[${index}].id: duplicate provider id '${provider.id}'`);
    providerIds.add(provider.id);
  });
  const names = new Map<string, string>();
  config.models.forEach((model, index) => {
    for (const [name, path] of [[model.id, `models[${index}].id`], ...(model.aliases ?? []).map((alias, aliasIndex) => [alias, `models[${index}].aliases[${aliasIndex}]`])] as const) {
      const earlier = names.get(name);
      if (earlier !== undefined) problems.push(`  - ${path}: '${name}' is already used at ${earlier}`);
      else names.set(name, path);
    }
    model.offers.forEach((offer, offerIndex) => {
      if (!providerIds.has(offer.provider)) {
        problems.push(`  - models[${index}].offers[${offerIndex}].provider: no provider with id '${offer.provider}' in providers`);
      }
    });
  });
  const keyNames = new Set<string>();
  config.keys.forEach((key, index) => {
    if (keyNames.has(key.name)) problems.push(`  - keys[${index}].name: duplicate key name '${key.name}'`);
    keyNames.add(key.name);
  });
  if (problems.length > 0) throw new ConfigError(`${source} is invalid:\n${problems.join('\n')}`);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
