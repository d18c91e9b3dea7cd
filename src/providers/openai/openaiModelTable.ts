import type { ParameterName } from '../../core/chatRequest.js';
import type { OpenAIModelEntry } from './openaiModelRules.js';

// Reasoning models take only the default temperature and none of the sampling extras (providers.md §1.2).
const REJECTED_WHILE_REASONING: readonly ParameterName[] = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs', 'logit_bias'];

const O_SERIES = ['low', 'medium', 'high'];
const GPT_5 = ['minimal', 'low', 'medium', 'high'];
const GPT_5_1 = ['none', 'low', 'medium', 'high'];
const GPT_5_2 = ['none', 'low', 'medium', 'high', 'xhigh'];
const NEWEST = ['none', 'low', 'medium', 'high', 'xhigh', 'max'];
const CODEX = ['low', 'medium', 'high'];
const CODEX_XHIGH = ['low', 'medium', 'high', 'xhigh'];

/**
 * OpenAI's reasoning models by family, first match wins (providers.md §1.2 and §12: re-verify when OpenAI ships).
 * Models not listed (gpt-4o, gpt-4.1, chat-latest aliases) get no rules: everything is sent as requested.
 */
export const OPENAI_MODEL_TABLE: readonly OpenAIModelEntry[] = [
  { match: /^gpt-5(\.\d+)?-chat/, rules: {} },
  { match: /^(o3|o4-mini)(-|$)/, rules: { reasoningEfforts: O_SERIES, defaultEffort: 'medium', rejectedWhileReasoning: REJECTED_WHILE_REASONING, unsupportedParameters: ['stop'] } },
  { match: /^o\d/, rules: { reasoningEfforts: O_SERIES, defaultEffort: 'medium', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-5-pro/, rules: { reasoningEfforts: ['high'], defaultEffort: 'high', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-5\.\d+-pro/, rules: { reasoningEfforts: ['medium', 'high', 'xhigh'], defaultEffort: 'medium', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-5\.1-codex-max/, rules: { reasoningEfforts: CODEX_XHIGH, defaultEffort: 'medium', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-5(\.1)?-codex/, rules: { reasoningEfforts: CODEX, defaultEffort: 'medium', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-5\.\d+-codex/, rules: { reasoningEfforts: CODEX_XHIGH, defaultEffort: 'medium', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-5(-mini|-nano)?(-\d{4}-\d\d-\d\d)?$/, rules: { reasoningEfforts: GPT_5, defaultEffort: 'medium', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  // From gpt-5.1 on, `none` is the default and turns the sampling parameters back on.
  { match: /^gpt-5\.1(-|$)/, rules: { reasoningEfforts: GPT_5_1, defaultEffort: 'none', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-5\.[2-5](-|$)/, rules: { reasoningEfforts: GPT_5_2, defaultEffort: 'none', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
  { match: /^gpt-(5\.([6-9]|\d\d+)|[6-9])(\.|-|$)/, rules: { reasoningEfforts: NEWEST, defaultEffort: 'none', rejectedWhileReasoning: REJECTED_WHILE_REASONING } },
];
