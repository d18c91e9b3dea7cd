import type { BenchVariant, PreparedVariant, VariantComparison, VariantId } from './benchVariant.js';
import { benchRequestBody } from './benchRequestBody.js';
import { benchSqliteStore, buildBenchConfig } from './buildBenchConfig.js';
import { buildProtocolConfig } from './buildProtocolConfig.js';
import { buildRoutingConfig } from './buildRoutingConfig.js';
import { buildStoreConfig } from './buildStoreConfig.js';
import { createBenchPostgresSchema } from './createBenchPostgresSchema.js';
import { BENCH_REDIS_URL, createBenchRedisPrefix, type BenchRedisPrefix } from './createBenchRedisPrefix.js';
import { routingRequestBody } from './routingRequestBody.js';

/** A variant whose only state is files in the work directory (deleted with it). */
const withoutCleanup = (config: PreparedVariant['config']): Promise<PreparedVariant> => Promise.resolve({ config, cleanup: async () => undefined });

/** Every gateway variant, in the order they run; `default` is the main run's gateway. */
export const BENCH_VARIANTS: readonly BenchVariant[] = [
  {
    id: 'default',
    description: 'the main run\'s gateway config: one openai provider, one offer, SQLite ledger file, no limits',
    scenarioIds: [],
    requestBody: benchRequestBody,
    prepare: (setup) => withoutCleanup(buildBenchConfig({ ...setup, store: benchSqliteStore(setup.workDir, 'default') })),
  },
  {
    id: 'anthropic',
    description: 'the provider speaks Anthropic Messages (claude-sonnet-4-5)',
    scenarioIds: ['stream-32'],
    requestBody: benchRequestBody,
    prepare: (setup) => withoutCleanup(buildProtocolConfig({ ...setup, store: benchSqliteStore(setup.workDir, 'anthropic') }, 'anthropic')),
  },
  {
    id: 'gemini',
    description: 'the provider speaks Gemini generateContent (gemini-2.5-flash)',
    scenarioIds: ['stream-32'],
    requestBody: benchRequestBody,
    prepare: (setup) => withoutCleanup(buildProtocolConfig({ ...setup, store: benchSqliteStore(setup.workDir, 'gemini') }, 'gemini')),
  },
  {
    id: 'routing-20',
    description: '20 offers for the model; the request sets every gateway.routing option',
    scenarioIds: ['nonstream-32'],
    requestBody: routingRequestBody,
    prepare: (setup) => withoutCleanup(buildRoutingConfig({ ...setup, store: benchSqliteStore(setup.workDir, 'routing-20') })),
  },
  {
    id: 'store-memory',
    description: 'store sqlite::memory:, key rate limits and budgets plus a global budget, counted in memory',
    scenarioIds: ['nonstream-32'],
    requestBody: benchRequestBody,
    prepare: (setup) => withoutCleanup(buildStoreConfig({ ...setup, store: 'sqlite::memory:' })),
  },
  {
    id: 'store-sqlite',
    description: 'as store-memory, with the ledger in a SQLite file',
    scenarioIds: ['nonstream-32'],
    requestBody: benchRequestBody,
    prepare: (setup) => withoutCleanup(buildStoreConfig({ ...setup, store: benchSqliteStore(setup.workDir, 'store-sqlite') })),
  },
  {
    id: 'store-postgres-redis',
    description: 'as store-memory, with the ledger and keys in Postgres (own schema), limits and budget counters in Redis (own prefix)',
    scenarioIds: ['nonstream-32'],
    requestBody: benchRequestBody,
    prepare: async (setup) => {
      const schema = await createBenchPostgresSchema();
      let redis: BenchRedisPrefix;
      try {
        redis = await createBenchRedisPrefix();
      } catch (error) {
        await schema.drop();
        throw error;
      }
      return {
        config: buildStoreConfig({ ...setup, store: schema.store, redis: BENCH_REDIS_URL, redisKeyPrefix: redis.prefix }),
        cleanup: async () => {
          const outcomes = await Promise.allSettled([schema.drop(), redis.clear()]);
          const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
          if (failures.length > 0) throw new Error(`cleanup failed: ${failures.join('; ')}`);
        },
      };
    },
  },
];

/** The issues' throughput requirements, each a variant against a reference measured in the same benchmark run. */
export const VARIANT_COMPARISONS: readonly VariantComparison[] = [
  { issue: 'issue 3', variant: 'anthropic', reference: 'default', scenarioId: 'stream-32', maxLossPercent: 15 },
  { issue: 'issue 3', variant: 'gemini', reference: 'default', scenarioId: 'stream-32', maxLossPercent: 15 },
  { issue: 'issue 4', variant: 'routing-20', reference: 'default', scenarioId: 'nonstream-32', maxLossPercent: 5 },
  { issue: 'issue 5', variant: 'store-sqlite', reference: 'store-memory', scenarioId: 'nonstream-32', maxLossPercent: 10 },
  { issue: 'issue 5', variant: 'store-postgres-redis', reference: 'store-memory', scenarioId: 'nonstream-32', maxLossPercent: 10 },
];

export function benchVariant(id: VariantId): BenchVariant {
  const variant = BENCH_VARIANTS.find((candidate) => candidate.id === id);
  if (variant === undefined) throw new Error(`unknown variant '${id}'`);
  return variant;
}
