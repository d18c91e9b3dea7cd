import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './configError.js';
import { catalogFileSchema, type ModelConfig } from './configSchema.js';
import { packageRoot } from './packageRoot.js';
import { describeIssues } from './parseConfig.js';

export function builtinCatalogPath(): string {
  return join(packageRoot(), 'catalog', 'builtin.yaml');
}

/** The models of the built-in catalog file shipped with the package. */
export function loadBuiltinCatalog(file = builtinCatalogPath()): ModelConfig[] {
  const parsed = catalogFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError(`${file} is invalid:\n${describeIssues(parsed.error.issues)}`);
  return parsed.data.models;
}
