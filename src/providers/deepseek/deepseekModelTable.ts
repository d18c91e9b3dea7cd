import type { ParameterName } from '../../core/chatRequest.js';
import type { OpenAIModelEntry } from '../openai/openaiModelRules.js';

// Accepted but ignored in thinking mode (api-docs.deepseek.com, thinking mode): dropped with a warning instead.
const IGNORED_WHILE_THINKING: readonly ParameterName[] = ['temperature', 'presence_penalty', 'frequency_penalty'];

/**
 * DeepSeek's two generations have opposite multi-turn rules (providers.md §5, §13.6), so they are kept apart here.
 * The legacy reasoner (R1) thinks at a fixed effort, 400s on logprobs and on earlier turns' reasoning_content.
 * The current hybrid models (V3.2, V4: everything else) switch thinking on and off, take low|high|max effort, and
 * 400 when a tool-call turn comes back without its reasoning_content while thinking.
 */
export const DEEPSEEK_MODEL_TABLE: readonly OpenAIModelEntry[] = [
  {
    match: /^deepseek-(reasoner|r1)/i,
    rules: { reasoningEfforts: [], pastReasoning: 'strip', unsupportedParameters: ['logprobs', 'top_logprobs'], rejectedWhileReasoning: IGNORED_WHILE_THINKING },
  },
  {
    match: /./,
    rules: {
      reasoningEfforts: ['low', 'high', 'max'],
      // DeepSeek's own table of requested → actual effort.
      effortMap: { low: 'low', medium: 'high', high: 'high', xhigh: 'high', max: 'max' },
      defaultEffort: 'high',
      pastReasoning: 'backfill',
      rejectedWhileReasoning: IGNORED_WHILE_THINKING,
    },
  },
];
