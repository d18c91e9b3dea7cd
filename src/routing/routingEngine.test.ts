import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../core/chatRequest.js';
import { GatewayError } from '../core/gatewayError.js';
import { validateChatRequest } from '../protocol/openai/validateChatRequest.js';
import { toOfferPrice } from '../pricing/offerPrice.js';
import { ConversationAffinity } from './conversationAffinity.js';
import { MemoryOfferHealth } from './memoryOfferHealth.js';
import { MemoryOfferStats } from './memoryOfferStats.js';
import type { CatalogModel } from './modelCatalog.js';
import type { Offer } from './offer.js';
import { RoutingEngine } from './routingEngine.js';
import { evaluateConstraints } from './evaluateConstraints.js';
import { routingNeeds } from './routingNeeds.js';
import { seededRandom } from './seededRandom.js';

function offer(providerId: string, overrides: Partial<Omit<Offer, 'price'>> & { price?: { input: number; output: number; cache_read?: number } } = {}): Offer {
  const price = overrides.price ?? { input: 1, output: 2 };
  return {
    key: `${providerId}/m`,
    modelId: 'm',
    providerId,
    providerType: 'openai',
    upstreamModel: 'm',
    priceUsd: price,
    contextWindow: undefined,
    maxOutputTokens: undefined,
    dataPolicy: undefined,
    expect: { ttftMs: undefined, tps: undefined },
    capabilities: { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' },
    supportedParameters: undefined,
    tier: 'standard',
    source: 'config',
    byokOnly: false,
    ...overrides,
    price: toOfferPrice(price),
  };
}

function model(id: string, offers: Offer[]): CatalogModel {
  return { id, aliases: [], ownedBy: 'test', offers: offers.map((item) => ({ ...item, modelId: id, key: `${item.providerId}/${id}` })) };
}

function request(body: Record<string, unknown>): ChatRequest {
  return validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hello there' }], ...body }).request;
}

function engine(seed = 1) {
  const stats = new MemoryOfferStats();
  const health = new MemoryOfferHealth();
  const router = new RoutingEngine({ stats, health, affinity: new ConversationAffinity(), random: seededRandom(seed), explorationRate: 0.05 });
  return { stats, health, router };
}

const NOW = 1_000_000;
const context = { now: NOW, callerKeys: new Map<string, string>() };

function planError(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('RoutingEngine', () => {
  it('orders by expected cost under cost-focus and reports the strategy', () => {
    const { router } = engine();
    const models = [model('m', [offer('dear', { price: { input: 5, output: 10 } }), offer('cheap', { price: { input: 0.1, output: 0.2 } })])];
    const plan = router.plan(request({}), models, context);
    expect(plan.candidates.map((candidate) => candidate.offer.providerId)).toEqual(['cheap', 'dear']);
    expect(plan.strategy).toBe('cost-focus');
  });

  it('sends ttft-focus to the offer that answers first, by measurement', () => {
    const { router, stats } = engine(7);
    const models = [model('m', [offer('slow', { price: { input: 0.1, output: 0.1 } }), offer('quick', { price: { input: 5, output: 5 } })])];
    for (let index = 0; index < 20; index++) {
      stats.record('slow/m', { success: true, ttftMs: 900, tps: 50 }, NOW);
      stats.record('quick/m', { success: true, ttftMs: 100, tps: 50 }, NOW);
    }
    let quick = 0;
    for (let index = 0; index < 200; index++) {
      const plan = router.plan(request({ gateway: { routing: { optimize: 'ttft-focus' } } }), models, context);
      if (plan.candidates[0]?.offer.providerId === 'quick') quick++;
    }
    expect(quick).toBeGreaterThanOrEqual(190);
  });

  it('reads the strategy from a model suffix and reports custom weights as custom', () => {
    const { router } = engine();
    const models = [model('m', [offer('a')])];
    expect(router.plan(request({ model: 'm:tps' }), models, context).strategy).toBe('tps');
    expect(router.plan(request({ gateway: { routing: { weights: { cost: 1, ttft: 2 } } } }), models, context).strategy).toBe('custom');
  });

  it('is reproducible under the same seed', () => {
    const models = [model('m', [offer('a'), offer('b'), offer('c')])];
    const picks = (seed: number) => {
      const { router } = engine(seed);
      return Array.from({ length: 30 }, () => router.plan(request({}), models, context).candidates[0]?.offer.providerId);
    };
    expect(picks(42)).toEqual(picks(42));
  });

  it('puts a qualifying preferred provider first and ignores a non-qualifying one', () => {
    const { router } = engine();
    const models = [model('m', [offer('cheap', { price: { input: 0.1, output: 0.1 } }), offer('dear', { price: { input: 9, output: 9 } })])];
    expect(router.plan(request({ gateway: { routing: { prefer: 'dear' } } }), models, context).candidates[0]?.offer.providerId).toBe('dear');
    const excluded = request({ gateway: { routing: { prefer: 'dear', exclude: ['dear'] } } });
    expect(router.plan(excluded, models, context).candidates.map((candidate) => candidate.offer.providerId)).toEqual(['cheap']);
  });

  it('keeps model order in fallback mode', () => {
    const { router } = engine();
    const models = [model('first', [offer('dear', { price: { input: 9, output: 9 } })]), model('second', [offer('cheap', { price: { input: 0.1, output: 0.1 } })])];
    const plan = router.plan(request({ model: undefined, gateway: { models: ['first', 'second'], mode: 'fallback' } }), models, context);
    expect(plan.candidates.map((candidate) => candidate.modelIndex)).toEqual([0, 1]);
    const pool = router.plan(request({ model: undefined, gateway: { models: ['first', 'second'] } }), models, context);
    expect(pool.candidates[0]?.offer.providerId).toBe('cheap');
  });

  it('prices a conversation\'s cached prefix at the cache-read rate where it was served', () => {
    const { router } = engine();
    const models = [model('m', [offer('a', { price: { input: 1, output: 1, cache_read: 0.1 } }), offer('b', { price: { input: 0.9, output: 1, cache_read: 0.09 } })])];
    const long = 'x'.repeat(40_000);
    const conversation = request({ messages: [{ role: 'system', content: long }, { role: 'user', content: 'q1' }, { role: 'assistant', content: 'a1' }, { role: 'user', content: 'q2' }] });
    const first = router.plan(conversation, models, context);
    expect(first.candidates[0]?.offer.providerId).toBe('b');
    // Served by the dearer offer once (say b was down): now its cache makes it the cheaper place for this conversation.
    router.served(first, models[0]!.offers[0]!, 10_000, NOW);
    expect(router.plan(conversation, models, context).candidates[0]?.offer.providerId).toBe('a');
  });

  it('excludes open breakers and answers 503 no_provider_available with Retry-After when all are open', () => {
    const { router, health } = engine();
    const models = [model('m', [offer('a'), offer('b')])];
    const failure = new GatewayError(429, 'rate_limit_exceeded', 'slow down', { retryable: true, retryAfterSeconds: 30 });
    health.recordFailure('a/m', failure, NOW);
    expect(router.plan(request({}), models, context).candidates.map((candidate) => candidate.offer.providerId)).toEqual(['b']);
    health.recordFailure('b/m', failure, NOW);
    const error = planError(() => router.plan(request({}), models, context));
    expect([error.status, error.code, error.retryAfterSeconds]).toEqual([503, 'no_provider_available', 30]);
  });
});

describe('RoutingEngine: when nothing qualifies (contract §4.6)', () => {
  const measured = (providerId: string, ttftMs: number, tps: number) => offer(providerId, { expect: { ttftMs, tps } });
  const cases: { name: string; offers: Offer[]; body: Record<string, unknown>; status: number; code: string; param: string | null }[] = [
    { name: 'max_ttft_ms only', offers: [measured('a', 900, 50)], body: { gateway: { routing: { max_ttft_ms: 100 } } }, status: 400, code: 'latency_constraint_exceeded', param: 'gateway.routing.max_ttft_ms' },
    { name: 'min_throughput_tps only', offers: [measured('a', 100, 10)], body: { gateway: { routing: { min_throughput_tps: 50 } } }, status: 400, code: 'throughput_constraint_not_met', param: 'gateway.routing.min_throughput_tps' },
    { name: 'max_cost_per_1m only', offers: [offer('a', { price: { input: 4, output: 8 } })], body: { gateway: { routing: { max_cost_per_1m: 5 } } }, status: 400, code: 'cost_constraint_exceeded', param: 'gateway.routing.max_cost_per_1m' },
    {
      name: 'require_parameters only',
      offers: [offer('a', { supportedParameters: new Set(['temperature']) })],
      body: { seed: 1, gateway: { routing: { require_parameters: true } } },
      status: 400,
      code: 'required_params_not_supported',
      param: 'gateway.routing.require_parameters',
    },
    {
      name: 'tool_choice required unsupported',
      offers: [offer('a', { capabilities: { tools: true, toolChoiceRequired: false, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' } })],
      body: { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'required' },
      status: 400,
      code: 'tool_choice_required_not_supported',
      param: 'tool_choice',
    },
    {
      name: 'json_schema unsupported',
      offers: [offer('a', { capabilities: { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: false, vision: true, reasoning: 'optional' } })],
      body: { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } } },
      status: 400,
      code: 'json_mode_not_supported',
      param: 'response_format',
    },
    {
      name: 'reasoning on a model that cannot reason',
      offers: [offer('a', { capabilities: { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'none' } })],
      body: { reasoning_effort: 'high' },
      status: 400,
      code: 'reasoning_not_supported',
      param: 'reasoning_effort',
    },
    {
      name: 'off on a model that always reasons',
      offers: [offer('a', { capabilities: { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'always' } })],
      body: { reasoning_effort: 'off' },
      status: 400,
      code: 'thinking_disable_not_supported',
      param: 'reasoning_effort',
    },
    { name: 'only_byok without caller keys', offers: [offer('a')], body: { gateway: { routing: { only_byok: true } } }, status: 400, code: 'byok_keys_required', param: 'gateway.routing.only_byok' },
    { name: 'BYOK-only provider without a caller key', offers: [offer('a', { byokOnly: true })], body: {}, status: 400, code: 'byok_keys_required', param: 'model' },
    { name: 'providers allowlist', offers: [offer('a')], body: { gateway: { routing: { providers: ['zzz'] } } }, status: 400, code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.providers' },
    { name: 'data policy', offers: [offer('a', { dataPolicy: 'training' })], body: { gateway: { routing: { data_policy: 'zdr' } } }, status: 400, code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.data_policy' },
    { name: 'priority tier not opted in', offers: [offer('a', { tier: 'priority' })], body: {}, status: 400, code: 'routing_constraint_unsatisfiable', param: 'gateway.routing.tier' },
    {
      name: 'a mix of constraints',
      offers: [measured('a', 900, 50), offer('b', { price: { input: 40, output: 40 }, expect: { ttftMs: 50, tps: 50 } })],
      body: { gateway: { routing: { max_ttft_ms: 100, max_cost_per_1m: 10 } } },
      status: 400,
      code: 'routing_constraint_unsatisfiable',
      param: 'gateway.routing.max_ttft_ms',
    },
    { name: 'context window', offers: [offer('a', { contextWindow: 10 })], body: { messages: [{ role: 'user', content: 'y'.repeat(400) }] }, status: 400, code: 'context_length_exceeded', param: 'messages' },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const { router } = engine();
      const error = planError(() => router.plan(request(testCase.body), [model('m', testCase.offers)], context));
      expect({ status: error.status, code: error.code, param: error.param }).toEqual({ status: testCase.status, code: testCase.code, param: testCase.param });
    });
  }

  it('never excludes an unmeasured offer by a performance ceiling', () => {
    const { router } = engine();
    const plan = router.plan(request({ gateway: { routing: { max_ttft_ms: 1, min_throughput_tps: 1000 } } }), [model('m', [offer('fresh')])], context);
    expect(plan.candidates).toHaveLength(1);
  });

  it('uses a caller key to admit a BYOK-only offer', () => {
    const { router } = engine();
    const plan = router.plan(request({}), [model('m', [offer('a', { byokOnly: true })])], { now: NOW, callerKeys: new Map([['a', 'sk-caller']]) });
    expect(plan.candidates[0]?.offer.providerId).toBe('a');
  });
});

describe('evaluateConstraints', () => {
  const routing = { providers: ['other'], data_policy: 'zdr' as const, max_cost_per_1m: 1 };
  const needs = routingNeeds(request({ tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }), new Map());
  const failing = offer('p', {
    dataPolicy: 'training',
    capabilities: { tools: false, toolChoiceRequired: false, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' },
  });
  const input = { offer: failing, routing, needs, performance: { ttftMs: undefined, tps: undefined, successRate: undefined, unmeasured: true }, platformKey: true, blockedUntil: 5 };

  it('lists every failed constraint in the contract order, whatever order they are checked in', () => {
    expect(evaluateConstraints(input)).toEqual(['providers', 'data_policy', 'tools', 'max_cost_per_1m', 'breaker']);
  });

  it('skips the costlier checks once a cheap one failed, when only qualification matters', () => {
    const failed = evaluateConstraints(input, true);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed).not.toContain('providers');
    expect(evaluateConstraints({ ...input, routing: { providers: ['other'] }, offer: offer('other'), blockedUntil: 0 }, true)).toEqual([]);
  });
});
