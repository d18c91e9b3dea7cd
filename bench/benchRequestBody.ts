import { BENCH_MODEL } from './benchConstants.js';

const SYSTEM_PROMPT = 'You are a concise support assistant for a parcel delivery company. Answer in plain English.';
const USER_PROMPT = 'Where is my parcel 48213? It left Rotterdam on Monday and the tracking page still says "in transit". Should I worry?';

/**
 * A realistic small chat request (~350 bytes): a system and a user message, a token cap, a temperature.
 * Streams ask for usage like most SDK users do, so the upstream reply is the same through both targets
 * (the gateway always asks its upstream for usage).
 */
export function benchRequestBody(stream: boolean): string {
  return JSON.stringify({
    model: BENCH_MODEL,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: USER_PROMPT },
    ],
    max_completion_tokens: 200,
    temperature: 0.3,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}
