import type { OpenAIProtocolProfile } from '../openai/openaiProtocolProfile.js';
import { OPENAI_COMPATIBLE_PROFILE } from './openaiCompatibleAdapter.js';

const PARSED_REASONING = { reasoning_format: 'parsed' } as const;

/** Groq (api.groq.com): 400s on logprobs, logit_bias, message names, n ≠ 1 and echoed reasoning. */
export const GROQ_PROFILE: OpenAIProtocolProfile = {
  ...OPENAI_COMPATIBLE_PROFILE,
  maxTokensField: 'max_completion_tokens',
  unsupportedParameters: new Set([
    'logprobs', 'top_logprobs', 'logit_bias', 'top_k', 'min_p', 'top_a', 'repetition_penalty',
    'web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention',
  ]),
  // Groq rejects reasoning fields on assistant turns ("property 'reasoning_content' is unsupported").
  foreignMessageFields: ['reasoning_content', 'reasoning', 'thinking_blocks', 'reasoning_details', 'cache_control'],
  rejectedMessageFields: ['name'],
  models: [
    // Reasoning arrives in message.reasoning rather than inline <think> tags.
    { match: /gpt-oss/, rules: { reasoningEfforts: ['low', 'medium', 'high'], defaultEffort: 'medium', fields: PARSED_REASONING } },
    {
      match: /qwen3/,
      rules: {
        reasoningEfforts: ['none', 'default'],
        effortMap: { off: 'none', low: 'default', medium: 'default', high: 'default', xhigh: 'default', max: 'default' },
        fields: PARSED_REASONING,
      },
    },
    { match: /deepseek-r1|qwq/, rules: { reasoningEfforts: [], fields: PARSED_REASONING } },
  ],
  finishRequest: ({ body, target, warnings }) => {
    if (body.n !== undefined && body.n !== 1) {
      delete body.n;
      warnings.push({ code: 'unsupported_parameter', param: 'n', message: `'n' other than 1 is not supported by provider '${target.providerId}' and was dropped.` });
    }
  },
};
