import type OpenAI from 'openai';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisReasoningMemory } from '../../src/chat/reasoning/redisReasoningMemory.js';
import type { RememberedReasoning } from '../../src/chat/reasoning/rememberedReasoning.js';
import { connectRedis, waitForRedis } from '../../src/store/redisConnection.js';
import { clientFor, closeStack, MESSAGES, WEATHER_TOOL } from '../conformance/conformanceSupport.js';
import { ManualClock, memoryLogger } from '../limits/limitsTestSupport.js';
import { clearRedisPrefix, REDIS_URL, uniqueRedisPrefix } from '../store/support/testDatabases.js';
import { startStack, type Stack } from '../support/startStack.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into the native body the simulator recorded
type Json = Record<string, any>;

const prefix = uniqueRedisPrefix();
let redis: Redis;

beforeAll(async () => {
  redis = connectRedis(REDIS_URL, 'switchyard-test-reasoning');
  await waitForRedis(redis);
});

afterAll(async () => {
  await clearRedisPrefix(prefix);
  redis.disconnect();
});

function entry(id: string): RememberedReasoning {
  return { toolCalls: [{ id, name: 'get_weather' }], fields: { thinking_blocks: [{ type: 'thinking', thinking: 'Hm.', signature: 'c2ln' }] } };
}

async function keysUnder(pattern: string): Promise<string[]> {
  return redis.keys(`${pattern}*`);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RedisReasoningMemory', () => {
  it('shares entries between instances, per caller, as JSON with the TTL', async () => {
    const { logger } = memoryLogger();
    const clock = new ManualClock();
    const writer = new RedisReasoningMemory({ redis, prefix, logger, clock: clock.now, ttlMs: 60_000 });
    const other = connectRedis(REDIS_URL, 'switchyard-test-reasoning-2');
    await waitForRedis(other);
    const reader = new RedisReasoningMemory({ redis: other, prefix, logger, clock: clock.now });
    writer.remember('key_a', entry('toolu_shared'));
    const key = `${prefix}reasoning:{key_a}:toolu_shared`;
    await eventually(async () => (await redis.exists(key)) === 1);
    expect(JSON.parse((await redis.get(key))!)).toEqual(entry('toolu_shared'));
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await reader.recall('key_a', ['toolu_shared', 'toolu_other'])).toEqual([entry('toolu_shared'), undefined]);
    expect(await reader.recall('key_b', ['toolu_shared'])).toEqual([undefined]);
    await redis.set(`${prefix}reasoning:{key_a}:toolu_bad`, '{"toolCalls":"no"}');
    expect(await reader.recall('key_a', ['toolu_bad'])).toEqual([undefined]);
    other.disconnect();
  });

  it('absorbs Redis failures: nothing thrown, "unknown" answers, one warning per interval', async () => {
    const { logger, lines } = memoryLogger();
    const clock = new ManualClock();
    const down = connectRedis('redis://127.0.0.1:1', 'switchyard-test-reasoning-down');
    down.on('error', () => undefined);
    try {
      const memory = new RedisReasoningMemory({ redis: down, prefix, logger, clock: clock.now });
      expect(() => memory.remember('key_a', entry('toolu_1'))).not.toThrow();
      expect(await memory.recall('key_a', ['toolu_1', 'toolu_2'])).toEqual([undefined, undefined]);
      expect(await memory.recall('key_a', ['toolu_1'])).toEqual([undefined]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const warnings = lines().filter((line) => line.msg === 'reasoning memory: Redis unavailable, going on without the shared entries');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40 });
    } finally {
      down.disconnect();
    }
  });
});

describe('two gateways sharing Redis', () => {
  let first: Stack;
  let second: Stack;

  beforeAll(async () => {
    const options = {
      profiles: [{ id: 'claude', apiKey: 'sk-ant-shared-0123456789' }],
      models: { claude: [{ profile: 'claude', type: 'anthropic' as const, upstreamModel: 'claude-sonnet-4-5-20250929', price: { input: 1, output: 2 } }] },
      config: { redis: REDIS_URL, redis_key_prefix: prefix },
    };
    [first, second] = await Promise.all([startStack(options), startStack(options)]);
  });

  afterAll(async () => {
    await Promise.all([first, second].filter((stack) => stack !== undefined).map((stack) => closeStack(stack)));
  });

  it('put the thinking block back when the next turn reaches the other replica', async () => {
    const request = { model: 'claude', messages: MESSAGES, tools: [WEATHER_TOOL], reasoning_effort: 'low' as const };
    const message = (await clientFor(first).chat.completions.create(request)).choices[0]!.message;
    const block = (message as { thinking_blocks?: Json[] }).thinking_blocks![0]!;
    const call = message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    await eventually(async () => (await keysUnder(`${prefix}reasoning:`)).some((key) => key.endsWith(`:${call.id}`)));

    const stripped: OpenAI.Chat.ChatCompletionAssistantMessageParam = { role: 'assistant', content: message.content, tool_calls: [{ id: call.id, type: 'function', function: call.function }] };
    const answer = await clientFor(second).chat.completions.create({ ...request, messages: [...MESSAGES, stripped, { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' }] });
    expect(answer.choices[0]!.finish_reason).toBe('stop');
    expect((second.simulator.requests.at(-1)!.body as Json).messages[1].content[0]).toEqual(block);
  });
});
