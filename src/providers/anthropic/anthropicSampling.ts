import type { ChatParameters } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import type { AnthropicModelInfo } from './anthropicModels.js';

export interface AnthropicSampling {
  temperature?: number;
  top_p?: number;
  top_k?: number;
}

/** With thinking on Anthropic takes top_p only in 0.95..1 (§3.5). */
const THINKING_MIN_TOP_P = 0.95;
/** Models after Opus 4.6 accept top_p only from 0.99 (SDK docstring). */
const FIXED_MIN_TOP_P = 0.99;

/**
 * OpenAI sampling parameters → Anthropic's, within Anthropic's limits: temperature is clamped to 0..1 (not
 * rescaled), thinking forbids temperature ≠ 1 and top_k and narrows top_p, newer models take only defaults.
 * Every change is reported as an `unsupported_parameter` warning.
 */
export function anthropicSampling(params: ChatParameters, info: AnthropicModelInfo, thinking: boolean, warnings: Warning[]): AnthropicSampling {
  const sampling: AnthropicSampling = {};
  const why = thinking ? 'while thinking is on' : 'on this model';
  const restricted = thinking || info.fixedSampling;

  let temperature = params.temperature;
  if (temperature !== undefined && temperature > 1) {
    warnings.push({ code: 'unsupported_parameter', param: 'temperature', message: `'temperature' ${temperature} is above Anthropic's maximum of 1 and was clamped to 1.` });
    temperature = 1;
  }
  if (temperature !== undefined && restricted && temperature !== 1) {
    warnings.push({ code: 'unsupported_parameter', param: 'temperature', message: `Anthropic accepts only temperature 1 ${why}; 'temperature' was dropped.` });
    temperature = undefined;
  }
  if (temperature !== undefined) sampling.temperature = temperature;

  if (params.top_k !== undefined) {
    if (restricted) warnings.push({ code: 'unsupported_parameter', param: 'top_k', message: `Anthropic does not accept top_k ${why}; 'top_k' was dropped.` });
    else sampling.top_k = params.top_k;
  }

  let topP = params.top_p;
  if (topP !== undefined && info.fixedSampling && topP < FIXED_MIN_TOP_P) {
    warnings.push({ code: 'unsupported_parameter', param: 'top_p', message: `This model accepts only top_p ≥ ${FIXED_MIN_TOP_P}; 'top_p' ${topP} was dropped.` });
    topP = undefined;
  }
  if (topP !== undefined && thinking && topP < THINKING_MIN_TOP_P) {
    warnings.push({ code: 'unsupported_parameter', param: 'top_p', message: `Anthropic accepts top_p only from ${THINKING_MIN_TOP_P} while thinking is on; 'top_p' ${topP} was raised to ${THINKING_MIN_TOP_P}.` });
    topP = THINKING_MIN_TOP_P;
  }
  if (topP !== undefined && sampling.temperature !== undefined && info.temperatureXorTopP) {
    warnings.push({ code: 'unsupported_parameter', param: 'top_p', message: "This model rejects temperature and top_p together; 'top_p' was dropped." });
    topP = undefined;
  }
  if (topP !== undefined) sampling.top_p = topP;
  return sampling;
}
