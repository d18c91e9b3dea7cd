import type { ChatParameters, ParameterName } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import { cleanGeminiSchema } from './cleanGeminiSchema.js';
import type { GeminiModelFacts } from './geminiModels.js';
import type { GeminiGenerationConfig } from './geminiWire.js';

/** Parameters Gemini has no field for (providers reference §4.2): dropped, each with a warning. */
const UNSUPPORTED = new Set<ParameterName>([
  'min_p', 'top_a', 'repetition_penalty', 'logit_bias', 'user', 'verbosity', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier',
]);

/**
 * The sampling and output parameters → `generationConfig` (thinking is added by the caller). Penalties go only to
 * models the capability table says take them.
 */
export function buildGeminiGenerationConfig(params: ChatParameters, facts: GeminiModelFacts, model: string, providerId: string, warnings: Warning[]): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  for (const name of Object.keys(params) as ParameterName[]) {
    if (params[name] === undefined) continue;
    if (UNSUPPORTED.has(name)) {
      warnings.push({ code: 'unsupported_parameter', param: name, message: `'${name}' is not supported by provider '${providerId}' (Gemini) and was dropped.` });
    } else if ((name === 'presence_penalty' || name === 'frequency_penalty') && !facts.penalties) {
      warnings.push({ code: 'unsupported_parameter', param: name, message: `'${name}' was dropped: ${model} does not take penalties.` });
    }
  }
  if (params.temperature !== undefined) config.temperature = params.temperature;
  if (params.top_p !== undefined) config.topP = params.top_p;
  if (params.top_k !== undefined) config.topK = params.top_k;
  if (params.n !== undefined && params.n > 1) config.candidateCount = params.n;
  if (params.max_completion_tokens !== undefined) config.maxOutputTokens = params.max_completion_tokens;
  if (params.stop !== undefined) config.stopSequences = params.stop;
  if (facts.penalties && params.presence_penalty !== undefined) config.presencePenalty = params.presence_penalty;
  if (facts.penalties && params.frequency_penalty !== undefined) config.frequencyPenalty = params.frequency_penalty;
  if (params.seed !== undefined) config.seed = params.seed;
  if (params.logprobs === true) {
    config.responseLogprobs = true;
    if (params.top_logprobs !== undefined && params.top_logprobs > 0) config.logprobs = params.top_logprobs;
  }
  const format = params.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = format.json_schema.schema;
    if (schema !== undefined) config.responseJsonSchema = cleanGeminiSchema(schema, 'response_format.json_schema.schema', warnings);
  }
  return config;
}
