import OpenAI from 'openai';
import { Agent, fetch as undiciFetch, request } from 'undici';
import type { Stack } from '../support/startStack.js';

/** The provider types whose upstream speaks the OpenAI protocol, so the simulator can stand in for both. */
export const OPENAI_PROTOCOL_TYPES = ['openai', 'openai-compatible'] as const;
export type OpenAIProtocolType = (typeof OPENAI_PROTOCOL_TYPES)[number];

/** `routing_metadata` as the wire carries it; the client's types do not know the field. */
export interface WireRoutingMetadata {
  provider: string;
  provider_model_id: string;
  model_canonical: string;
  routing_strategy: string;
  cost?: { usd: number; cache_savings_usd?: number; cache_savings_percent?: number };
  ttft_ms?: number;
  throughput_tps?: number;
  total_latency_ms?: number;
  warnings?: { code: string; message: string; param?: string }[];
  attempts?: { provider: string; provider_model_id: string; status: number; code?: string }[];
}

// After an abort undici opens a spare keep-alive connection that never sends a request; the gateway's graceful
// close waits for it. Each stack's clients therefore share one agent that closeStack() destroys first.
const agents = new WeakMap<Stack, Agent>();

function agentFor(stack: Stack): Agent {
  let agent = agents.get(stack);
  if (agent === undefined) {
    agent = new Agent();
    agents.set(stack, agent);
  }
  return agent;
}

/** The official client pointed at the gateway; no retries, so every failure surfaces as it happened. */
export function clientFor(stack: Stack, options: { apiKey?: string } = {}): OpenAI {
  const dispatcher = agentFor(stack);
  // undici's fetch and the global one differ only in their TypeScript types.
  const fetch = ((url: string, init?: Parameters<typeof undiciFetch>[1]) => undiciFetch(url, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
  return new OpenAI({ apiKey: options.apiKey ?? stack.apiKey, baseURL: `${stack.baseUrl}/v1`, maxRetries: 0, fetch });
}

/** Closes the clients' connections, then the gateway and the simulator. */
export async function closeStack(stack: Stack): Promise<void> {
  await agents.get(stack)?.destroy();
  await stack.close();
}

/** Reads `routing_metadata` off a response object (completion or chunk) the client returned. */
export function routingMetadataOf(value: object): WireRoutingMetadata | undefined {
  return (value as { routing_metadata?: WireRoutingMetadata }).routing_metadata;
}

export const MESSAGES: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'What is the weather in Paris today?' },
];

export const WEATHER_TOOL: OpenAI.Chat.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
    },
  },
};

export const TIME_TOOL: OpenAI.Chat.ChatCompletionFunctionTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } },
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** POSTs a chat body with undici and returns the bytes as sent, to check SSE framing the client would hide. */
export async function postRaw(stack: Stack, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await request(`${stack.baseUrl}/v1/chat/completions`, {
    dispatcher: agentFor(stack),
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text };
}

/**
 * Splits an SSE body into its `data:` payloads, asserting the framing on the way: every event is exactly one
 * `data: ...` line followed by a blank line, and nothing trails the last one. Comment lines are skipped.
 */
export function sseData(text: string): string[] {
  if (!text.endsWith('\n\n')) throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(text.slice(-80))}`);
  const events = text.slice(0, -2).split('\n\n');
  const payloads: string[] = [];
  for (const event of events) {
    if (event.startsWith(':')) continue;
    if (!event.startsWith('data: ') || event.includes('\n')) throw new Error(`Badly framed SSE event: ${JSON.stringify(event.slice(0, 120))}`);
    payloads.push(event.slice('data: '.length));
  }
  return payloads;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The cost the gateway must report: per-1M USD prices applied in integer micro-USD, rounded once (contract §5.2). */
export function expectedCostUsd(
  usage: { prompt_tokens: number; completion_tokens: number; cached_tokens: number },
  price: { input: number; output: number; cache_read: number },
): number {
  const micro = (usd: number) => Math.round(usd * 1_000_000);
  const uncached = usage.prompt_tokens - usage.cached_tokens;
  const scaled = uncached * micro(price.input) + usage.cached_tokens * micro(price.cache_read) + usage.completion_tokens * micro(price.output);
  return Math.round(scaled / 1_000_000) / 1_000_000;
}
