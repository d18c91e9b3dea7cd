import type { Strategy } from '../../core/chatRequest.js';

export interface ParsedModelId {
  /** The id without its routing suffix (the whole id when there is none). */
  model: string;
  strategy: Strategy | undefined;
  /** The suffix as written when it is a legacy name (`floor`, `nitro`, `fast`), for the warning. */
  legacySuffix: string | undefined;
}

const SUFFIXES: ReadonlyMap<string, { strategy: Strategy; legacy: boolean }> = new Map([
  ['cost-focus', { strategy: 'cost-focus', legacy: false }],
  ['cost', { strategy: 'cost', legacy: false }],
  ['ttft-focus', { strategy: 'ttft-focus', legacy: false }],
  ['ttft', { strategy: 'ttft', legacy: false }],
  ['tps-focus', { strategy: 'tps-focus', legacy: false }],
  ['tps', { strategy: 'tps', legacy: false }],
  ['balanced', { strategy: 'balanced', legacy: false }],
  ['floor', { strategy: 'cost-focus', legacy: true }],
  ['nitro', { strategy: 'ttft-focus', legacy: true }],
  ['fast', { strategy: 'ttft', legacy: true }],
]);

/**
 * Reads a routing suffix (contract §4.3): only when the id has exactly one colon and the part after
 * it is a known strategy name. Anything else (`ft:gpt-4o:org:custom`, `x:unknown`) is an id as a whole.
 */
export function parseModelSuffix(id: string): ParsedModelId {
  const colon = id.indexOf(':');
  if (colon < 0 || id.indexOf(':', colon + 1) >= 0) return { model: id, strategy: undefined, legacySuffix: undefined };
  const suffix = id.slice(colon + 1);
  const known = SUFFIXES.get(suffix);
  if (known === undefined) return { model: id, strategy: undefined, legacySuffix: undefined };
  return { model: id.slice(0, colon), strategy: known.strategy, legacySuffix: known.legacy ? suffix : undefined };
}
