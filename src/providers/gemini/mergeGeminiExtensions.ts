import type { ChatRequest } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import { sanitizeExtension } from '../sanitizeExtensions.js';
import type { GeminiRequestBody } from './geminiWire.js';

/** `extensions` keys merged into Gemini requests besides the provider id (contract §7: aliases of `google`). */
const EXTENSION_NAMES = ['google', 'gemini', 'google_ai_studio'];
/** Top-level extension fields that set thinking, replaced by the translation of `reasoning_effort` when it is sent. */
const REASONING_FIELDS: ReadonlySet<string> = new Set(['thinkingConfig', 'thinking_config', 'thinking']);
const NO_FIELDS: ReadonlySet<string> = new Set();

/**
 * Merges the sanitised `extensions.{google|gemini|google_ai_studio|<provider id>}` objects into the body, objects
 * merged key by key (so `generationConfig.responseModalities` joins the translated generationConfig). Thinking set
 * through an extension (`thinkingConfig`, `generationConfig.thinkingConfig`, or the `thinking` shorthand) is used
 * only when `reasoning_effort` is absent.
 */
export function mergeGeminiExtensions(body: GeminiRequestBody, request: ChatRequest, providerId: string, warnings: Warning[]): void {
  const reasoningSent = request.params.reasoning_effort !== undefined;
  for (const name of new Set([...EXTENSION_NAMES, providerId])) {
    const extension = request.extensions[name];
    if (extension === undefined) continue;
    const sanitized = sanitizeExtension(name, extension, reasoningSent ? REASONING_FIELDS : NO_FIELDS);
    warnings.push(...sanitized.warnings);
    const fields = sanitized.fields;
    for (const key of ['generationConfig', 'generation_config']) {
      const config = fields[key];
      if (!reasoningSent || config === null || typeof config !== 'object') continue;
      const copy = { ...(config as Record<string, unknown>) };
      for (const nested of ['thinkingConfig', 'thinking_config']) {
        if (!(nested in copy)) continue;
        delete copy[nested];
        const path = `extensions.${name}.${key}.${nested}`;
        warnings.push({ code: 'blocked_extension_field', param: path, message: `'${path}' was replaced by the translation of reasoning_effort.` });
      }
      fields[key] = copy;
    }
    moveThinking(fields);
    mergeInto(body, fields);
  }
}

/** The top-level shorthands `thinkingConfig` and Anthropic-style `thinking: {type, budget_tokens}` → generationConfig.thinkingConfig. */
function moveThinking(fields: Record<string, unknown>): void {
  let thinkingConfig: unknown = fields.thinkingConfig ?? fields.thinking_config;
  delete fields.thinkingConfig;
  delete fields.thinking_config;
  const thinking = fields.thinking;
  if (thinking !== null && typeof thinking === 'object') {
    const { type, budget_tokens: budget } = thinking as Record<string, unknown>;
    const translated = type === 'disabled' ? { thinkingBudget: 0 } : type === 'enabled' ? (typeof budget === 'number' ? { thinkingBudget: budget, includeThoughts: true } : { includeThoughts: true }) : undefined;
    // An unreadable shorthand stays in the body, so that Gemini's own error names it.
    if (translated !== undefined) {
      delete fields.thinking;
      thinkingConfig ??= translated;
    }
  }
  if (thinkingConfig !== undefined) mergeInto(fields, { generationConfig: { thinkingConfig } });
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) {
      const merged = { ...existing };
      mergeInto(merged, value);
      target[key] = merged;
    } else {
      target[key] = value;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
