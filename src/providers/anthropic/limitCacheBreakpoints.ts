import type { Warning } from '../../core/warning.js';
import type { AnthropicBlock, AnthropicTool, AnthropicTurn } from './anthropicWire.js';

/** Anthropic answers 400 to a fifth `cache_control` breakpoint (§9.1). */
export const MAX_CACHE_BREAKPOINTS = 4;

/**
 * Keeps the first four `cache_control` markers in prefix order (tools → system → messages, as Anthropic caches)
 * and removes the rest with one warning.
 */
export function limitCacheBreakpoints(tools: AnthropicTool[] | undefined, system: AnthropicBlock[], turns: AnthropicTurn[], warnings: Warning[]): void {
  let seen = 0;
  let removed = 0;
  const visit = (holder: { cache_control?: unknown }): void => {
    if (holder.cache_control === undefined) return;
    if (++seen > MAX_CACHE_BREAKPOINTS) {
      delete holder.cache_control;
      removed++;
    }
  };
  for (const tool of tools ?? []) visit(tool);
  for (const block of system) visit(block);
  for (const turn of turns) {
    for (const block of turn.content) {
      visit(block);
      if (Array.isArray(block.content)) for (const nested of block.content as AnthropicBlock[]) visit(nested);
    }
  }
  if (removed > 0) {
    warnings.push({
      code: 'unsupported_parameter',
      param: 'cache_control',
      message: `Anthropic takes at most ${MAX_CACHE_BREAKPOINTS} cache_control breakpoints; the last ${removed} were removed.`,
    });
  }
}
