import { describe, expect, it } from 'vitest';
import type { AttemptLog } from '../chat/chatContext.js';
import type { Served } from '../chat/chatExecutor.js';
import type { Usage } from '../core/usage.js';
import type { Warning } from '../core/warning.js';
import { classifyUpstreamError } from '../providers/classifyUpstreamError.js';
import { toOfferPrice } from '../pricing/offerPrice.js';
import type { Offer } from '../routing/offer.js';
import { buildRoutingMetadata, type MetadataInput } from './buildRoutingMetadata.js';

function offer(providerId: string, upstreamModel: string, modelId = 'llama-3.3-70b-instruct'): Offer {
  const priceUsd = { input: 0.88, output: 0.88 };
  return {
    key: `${providerId}/${upstreamModel}`,
    modelId,
    providerId,
    providerType: 'openai-compatible',
    upstreamModel,
    price: toOfferPrice(priceUsd),
    priceUsd,
    contextWindow: undefined,
    maxOutputTokens: undefined,
    dataPolicy: undefined,
    expect: { ttftMs: undefined, tps: undefined },
    capabilities: { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' },
    supportedParameters: undefined,
    tier: 'standard',
    source: 'config',
    byokOnly: false,
  };
}

const TOGETHER = offer('together_ai', 'meta-llama/Llama-3.3-70B-Instruct-Turbo');
const FIREWORKS = offer('fireworks', 'accounts/fireworks/models/llama-v3p3-70b-instruct');
const DEEPINFRA = offer('deepinfra', 'meta-llama/Llama-3.3-70B-Instruct');

const USAGE: Usage = { promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

function served(fields: Partial<Served> = {}): Served {
  return {
    offer: TOGETHER,
    strategy: 'cost-focus',
    warnings: [],
    upstreamStartedAt: 0,
    plan: { candidates: [{ offer: TOGETHER, modelIndex: 0 }], strategy: 'cost-focus', warnings: [], affinityKey: undefined, promptTokens: 0 },
    ...fields,
  };
}

function input(fields: Partial<MetadataInput> = {}): MetadataInput {
  return {
    served: served(),
    requestWarnings: [],
    attempts: [{ offer: TOGETHER, status: 200 }],
    usage: USAGE,
    cost: { micros: 968, savingsMicros: 0 },
    ttftMs: undefined,
    generationSeconds: 0,
    totalLatencyMs: 812.4,
    ...fields,
  };
}

describe('buildRoutingMetadata', () => {
  it('reports who served the request, the cost in USD and the total latency', () => {
    expect(buildRoutingMetadata(input())).toEqual({
      provider: 'together_ai',
      provider_model_id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      model_canonical: 'llama-3.3-70b-instruct',
      routing_strategy: 'cost-focus',
      cost: { usd: 0.000968 },
      total_latency_ms: 812,
    });
  });

  it('reports the strategy the router used', () => {
    expect(buildRoutingMetadata(input({ served: served({ strategy: 'custom' }) })).routing_strategy).toBe('custom');
  });

  it('reports a zero cost as 0 USD', () => {
    expect(buildRoutingMetadata(input({ cost: { micros: 0, savingsMicros: 0 } })).cost).toEqual({ usd: 0 });
  });

  it.each<[number, number, { usd: number; cache_savings_usd?: number; cache_savings_percent?: number }]>([
    [750, 250, { usd: 0.00075, cache_savings_usd: 0.00025, cache_savings_percent: 25 }],
    [2, 1, { usd: 0.000002, cache_savings_usd: 0.000001, cache_savings_percent: 33.33 }],
    [0, 500, { usd: 0, cache_savings_usd: 0.0005, cache_savings_percent: 100 }],
    [1_234_567, 0, { usd: 1.234567 }],
  ])('cost of %i micro-USD with %i saved', (micros, savingsMicros, expected) => {
    expect(buildRoutingMetadata(input({ cost: { micros, savingsMicros } })).cost).toEqual(expected);
  });

  it('adds ttft_ms for streams', () => {
    expect(buildRoutingMetadata(input({ ttftMs: 231 })).ttft_ms).toBe(231);
    expect(buildRoutingMetadata(input())).not.toHaveProperty('ttft_ms');
  });

  it.each<[number, number, number | undefined]>([
    [100, 2, 50],
    [100, 3, 33.3],
    [1, 0.001, 1000],
    [0, 2, undefined],
    [100, 0, undefined],
  ])('throughput of %i completion tokens over %f s is %s', (completionTokens, generationSeconds, expected) => {
    const metadata = buildRoutingMetadata(input({ usage: { ...USAGE, completionTokens }, generationSeconds }));
    expect(metadata.throughput_tps).toBe(expected);
  });

  it('lists the request warnings, then what the adapter and router changed', () => {
    const requestWarnings: Warning[] = [{ code: 'unsupported_field', param: 'metadata', message: "'metadata' was ignored." }];
    const adapterWarnings: Warning[] = [{ code: 'unsupported_parameter', param: 'verbosity', message: "'verbosity' was dropped." }];
    const metadata = buildRoutingMetadata(input({ requestWarnings, served: served({ warnings: adapterWarnings }) }));
    expect(metadata.warnings).toEqual([...requestWarnings, ...adapterWarnings]);
    expect(metadata).not.toHaveProperty('attempts');
  });

  it('does not change the warning lists it is given', () => {
    const requestWarnings: Warning[] = [{ code: 'unsupported_field', message: 'x' }];
    const attempts: AttemptLog[] = [{ offer: FIREWORKS, status: 502, error: classifyUpstreamError({ status: 500, message: '' }) }, { offer: TOGETHER, status: 200 }];
    buildRoutingMetadata(input({ requestWarnings, attempts }));
    expect(requestWarnings).toHaveLength(1);
  });

  it('reports a fallback with a warning and every attempt', () => {
    const attempts: AttemptLog[] = [
      { offer: FIREWORKS, status: 503, error: classifyUpstreamError({ status: 503, message: '' }).withProvider('fireworks') },
      { offer: DEEPINFRA, status: 429, error: classifyUpstreamError({ status: 429, message: '' }).withProvider('deepinfra') },
      { offer: TOGETHER, status: 200 },
    ];
    const metadata = buildRoutingMetadata(input({ attempts, requestWarnings: [{ code: 'unsupported_field', param: 'store', message: 'x' }] }));
    expect(metadata.attempts).toEqual([
      { provider: 'fireworks', provider_model_id: 'accounts/fireworks/models/llama-v3p3-70b-instruct', status: 503, code: 'model_unavailable' },
      { provider: 'deepinfra', provider_model_id: 'meta-llama/Llama-3.3-70B-Instruct', status: 429, code: 'rate_limit_exceeded' },
      { provider: 'together_ai', provider_model_id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', status: 200 },
    ]);
    expect(metadata.warnings?.map((warning) => warning.code)).toEqual(['unsupported_field', 'fallback_used']);
    expect(metadata.warnings?.[1]?.message).toBe("Served by 'together_ai' after fireworks, deepinfra failed.");
  });

  it('rounds total latency to whole milliseconds', () => {
    expect(buildRoutingMetadata(input({ totalLatencyMs: 0.4 })).total_latency_ms).toBe(0);
    expect(buildRoutingMetadata(input({ totalLatencyMs: 1499.5 })).total_latency_ms).toBe(1500);
  });
});
