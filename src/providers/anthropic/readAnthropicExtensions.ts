import type { ChatRequest } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import { sanitizeExtension } from '../sanitizeExtensions.js';

export interface AnthropicExtensions {
  /** Sanitised fields to merge into the body (`thinking` excluded). */
  fields: Record<string, unknown>;
  /** An Anthropic-native `thinking` (only without `reasoning_effort`), with where it came from. */
  thinking: { value: Record<string, unknown>; param: string } | undefined;
}

/** Fields `reasoning_effort` controls; an extension may not set them when it is sent (contract §7). */
const REASONING_FIELDS: ReadonlySet<string> = new Set(['thinking']);

/**
 * `extensions.anthropic` and `extensions.<provider id>` (later wins), sanitised per contract §7; with
 * `reasoning_effort` sent, `thinking` and `output_config.effort` are blocked as well.
 */
export function readAnthropicExtensions(request: ChatRequest, providerId: string, warnings: Warning[]): AnthropicExtensions {
  const reasoningSent = request.params.reasoning_effort !== undefined;
  const fields: Record<string, unknown> = {};
  let thinking: AnthropicExtensions['thinking'];
  for (const name of new Set(['anthropic', providerId])) {
    const extension = request.extensions[name];
    if (extension === undefined) continue;
    const sanitized = sanitizeExtension(name, extension, reasoningSent ? REASONING_FIELDS : new Set());
    warnings.push(...sanitized.warnings);
    const { thinking: value, ...rest } = sanitized.fields;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) thinking = { value: value as Record<string, unknown>, param: `extensions.${name}.thinking` };
    const outputConfig = rest.output_config;
    if (reasoningSent && outputConfig !== null && typeof outputConfig === 'object' && 'effort' in outputConfig) {
      const { effort: _effort, ...kept } = outputConfig as Record<string, unknown>;
      const param = `extensions.${name}.output_config.effort`;
      warnings.push({ code: 'blocked_extension_field', param, message: `'${param}' was replaced by the translation of reasoning_effort.` });
      rest.output_config = kept;
    }
    Object.assign(fields, rest);
  }
  return { fields, thinking };
}
