import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from './configError.js';
import type { Config } from './configSchema.js';
import { parseConfig } from './parseConfig.js';

/** Reads and validates a YAML config file. */
export function loadConfig(file: string, env: Record<string, string | undefined> = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new ConfigError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  return parseConfig(raw, env, file);
}
