import type { GeminiThinkingLevel } from './geminiWire.js';

/** How a model's thinking is controlled: not at all, by a token budget (2.5), or by a level (3.x). */
export type GeminiThinkingStyle =
  | { style: 'none' }
  | { style: 'budget'; min: number; max: number; canDisable: boolean }
  /** `levels` ascending; the first is the floor (3.x thinking cannot be switched off). */
  | { style: 'level'; levels: readonly GeminiThinkingLevel[] };

/** What the translation needs to know about one Gemini model. */
export interface GeminiModelFacts {
  thinking: GeminiThinkingStyle;
  /** Takes presencePenalty / frequencyPenalty (most current models answer 400 "Penalty is not enabled"). */
  penalties: boolean;
  /** Function calls of the current turn must come back with their thought signatures (Gemini 3 and later). */
  requiresThoughtSignatures: boolean;
  /** Takes systemInstruction; Gemma models do not, so system text goes into the first user turn. */
  systemInstruction: boolean;
}

const PRO_LEVELS: GeminiModelFacts = {
  thinking: { style: 'level', levels: ['LOW', 'HIGH'] },
  penalties: false,
  requiresThoughtSignatures: true,
  systemInstruction: true,
};

const FLASH_LEVELS: GeminiModelFacts = {
  thinking: { style: 'level', levels: ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'] },
  penalties: false,
  requiresThoughtSignatures: true,
  systemInstruction: true,
};

const NO_THINKING: GeminiModelFacts = { thinking: { style: 'none' }, penalties: false, requiresThoughtSignatures: false, systemInstruction: true };

/**
 * Seed data from the providers reference (§4.2, §4.4, §12), first match wins. Model facts drift monthly:
 * add a row here rather than a branch in the translator.
 */
const GEMINI_MODELS: readonly { pattern: RegExp; facts: GeminiModelFacts }[] = [
  { pattern: /^gemma-/, facts: { ...NO_THINKING, systemInstruction: false } },
  { pattern: /^gemini-(?:[3-9]|\d\d)(?:\.\d+)?-pro|^gemini-pro-latest$/, facts: PRO_LEVELS },
  { pattern: /^gemini-(?:[3-9]|\d\d)(?:\.\d+)?-flash|^gemini-flash(?:-lite)?-latest$/, facts: FLASH_LEVELS },
  { pattern: /^gemini-2\.5-flash-image/, facts: NO_THINKING },
  {
    pattern: /^gemini-2\.5-pro/,
    facts: { thinking: { style: 'budget', min: 128, max: 32768, canDisable: false }, penalties: false, requiresThoughtSignatures: false, systemInstruction: true },
  },
  {
    pattern: /^gemini-2\.5-flash-lite/,
    facts: { thinking: { style: 'budget', min: 512, max: 24576, canDisable: true }, penalties: false, requiresThoughtSignatures: false, systemInstruction: true },
  },
  {
    pattern: /^gemini-2\.5-flash/,
    facts: { thinking: { style: 'budget', min: 1, max: 24576, canDisable: true }, penalties: false, requiresThoughtSignatures: false, systemInstruction: true },
  },
  { pattern: /^gemini-2\.0-flash|^gemini-1\.5-/, facts: { ...NO_THINKING, penalties: true } },
];

/** An unlisted model is assumed to be of the newest generation (levels, signatures), the likeliest for a new id. */
const UNLISTED_MODEL: GeminiModelFacts = PRO_LEVELS;

/** Facts for an upstream model id (`gemini-2.5-flash`, also `models/gemini-2.5-flash`). */
export function geminiModelFacts(upstreamModel: string): GeminiModelFacts {
  const id = upstreamModel.startsWith('models/') ? upstreamModel.slice('models/'.length) : upstreamModel;
  return GEMINI_MODELS.find((entry) => entry.pattern.test(id))?.facts ?? UNLISTED_MODEL;
}
