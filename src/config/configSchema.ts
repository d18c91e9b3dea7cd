import { z } from 'zod';

/** Parameter names an offer may declare in `supported_parameters` (the OpenAI request names). */
export const PARAMETER_NAMES = [
  'temperature', 'top_p', 'top_k', 'min_p', 'top_a', 'repetition_penalty', 'max_completion_tokens',
  'reasoning_effort', 'stop', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'seed', 'tools',
  'tool_choice', 'parallel_tool_calls', 'user', 'n', 'logprobs', 'top_logprobs', 'response_format',
  'web_search_options', 'verbosity', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier',
] as const;

export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini', 'deepseek', 'vllm', 'openai-compatible'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Host profiles of `openai-compatible` providers (`compat_profile`); chosen from the base URL's host when not set. */
export const COMPAT_PROFILES = ['xai', 'mistral', 'groq', 'together', 'fireworks', 'generic'] as const;
export type CompatProfileName = (typeof COMPAT_PROFILES)[number];

// YAML and ${ENV} give strings; accept "8080" where a number is expected, nothing looser.
const numeric = (schema: z.ZodNumber) =>
  z.preprocess((value) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value), schema);
const boolean = z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean());

const idPattern = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const providerId = z.string().regex(idPattern, 'lowercase letters, digits, _ . - (at most 64)');

const priceSchema = z.strictObject({
  input: numeric(z.number().min(0)),
  output: numeric(z.number().min(0)),
  cache_read: numeric(z.number().min(0)).optional(),
  cache_write: numeric(z.number().min(0)).optional(),
});

const capabilitiesSchema = z.strictObject({
  tools: boolean.optional(),
  tool_choice_required: boolean.optional(),
  json_object: boolean.optional(),
  json_schema: boolean.optional(),
  vision: boolean.optional(),
  reasoning: z.enum(['none', 'optional', 'always']).optional(),
});

const timeoutsSchema = z.strictObject({
  connect_ms: numeric(z.number().int().positive()).optional(),
  first_byte_ms: numeric(z.number().int().positive()).optional(),
  idle_ms: numeric(z.number().int().positive()).optional(),
});

export const offerSchema = z.strictObject({
  provider: providerId,
  upstream_model: z.string().min(1),
  price: priceSchema,
  context_window: numeric(z.number().int().positive()).optional(),
  max_output_tokens: numeric(z.number().int().positive()).optional(),
  data_policy: z.enum(['zdr', 'no_training', 'training']).optional(),
  expect: z.strictObject({
    ttft_ms: numeric(z.number().positive()).optional(),
    tps: numeric(z.number().positive()).optional(),
  }).optional(),
  capabilities: capabilitiesSchema.optional(),
  supported_parameters: z.array(z.enum(PARAMETER_NAMES)).optional(),
  tier: z.enum(['standard', 'priority']).optional(),
});

export const modelSchema = z.strictObject({
  id: z.string().min(1).max(200).refine((id) => !/\s/.test(id), 'no whitespace'),
  aliases: z.array(z.string().min(1)).optional(),
  owned_by: z.string().optional(),
  offers: z.array(offerSchema).default([]),
});

const providerSchema = z.strictObject({
  id: providerId,
  type: z.enum(PROVIDER_TYPES),
  base_url: z.url({ protocol: /^https?$/ }),
  api_key: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeouts: timeoutsSchema.optional(),
  max_connections: numeric(z.number().int().positive().max(4096)).optional(),
  compat_profile: z.enum(COMPAT_PROFILES).optional(),
}).refine((provider) => provider.compat_profile === undefined || provider.type === 'openai-compatible', {
  message: 'compat_profile applies only to type openai-compatible',
  path: ['compat_profile'],
});

/** A spending limit in config (contract §9 shape): per UTC period, `enforce: false` only tracks and reports. */
const budgetSchema = z.strictObject({
  period: z.enum(['daily', 'weekly', 'monthly']),
  limit_usd: numeric(z.number().min(0)),
  enforce: boolean.default(true),
});

const keySchema = z.strictObject({
  name: z.string().min(1).max(100),
  key: z.string(),
  rate_limit_rpm: numeric(z.number().int().positive()).optional(),
  tokens_per_minute: numeric(z.number().int().positive()).optional(),
  max_concurrent: numeric(z.number().int().positive()).optional(),
  budgets: z.array(budgetSchema).optional(),
  tier: z.string().optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});

export const configSchema = z.strictObject({
  listen: z.strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: numeric(z.number().int().min(0).max(65535)).default(8080),
  }).default({ host: '127.0.0.1', port: 8080 }),
  store: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'sqlite:<path> or postgres://...').optional(),
  redis: z.string().regex(/^rediss?:\/\//, 'redis://host:port').optional(),
  /** Prefix of every Redis key and channel, so several gateways (or tests) can share one Redis. */
  redis_key_prefix: z.string().regex(/^[A-Za-z0-9:_.-]{0,64}$/, 'letters, digits, : _ . - (at most 64)').default('switchyard:'),
  admin_key: z.string().optional(),
  keys: z.array(keySchema).default([]),
  catalog: z.enum(['builtin', 'none']).default('builtin'),
  providers: z.array(providerSchema).default([]),
  models: z.array(modelSchema).default([]),
  timeouts: timeoutsSchema.default({}),
  limits: z.strictObject({
    max_body_bytes: numeric(z.number().int().min(1024)).default(10 * 1024 * 1024),
    /** Redis unreachable: `open` counts limits and budgets on each instance alone, `closed` refuses with 503. */
    on_redis_failure: z.enum(['open', 'closed']).default('open'),
    /** How long a budget reservation that is never settled (a crashed gateway) keeps counting. */
    budget_reservation_ttl_seconds: numeric(z.number().int().min(10)).default(900),
    /** Budgets of the whole gateway (scope `global`), in addition to those set through the admin API. */
    budgets: z.array(budgetSchema).default([]),
  }).default({ max_body_bytes: 10 * 1024 * 1024, on_redis_failure: 'open', budget_reservation_ttl_seconds: 900, budgets: [] }),
  logging: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }).default({ level: 'info' }),
  metrics: z.strictObject({
    require_admin_key: boolean.default(false),
  }).default({ require_admin_key: false }),
  /** Usage ledger: records are written in batches of `batch_size` or every `flush_interval_ms`, whichever comes first. */
  ledger: z.strictObject({
    batch_size: numeric(z.number().int().min(1).max(10_000)).default(100),
    flush_interval_ms: numeric(z.number().int().min(1).max(60_000)).default(250),
    /** Where batches the store refuses wait until it is back; `none` drops them. Default: beside a SQLite file, ./data for Postgres. */
    spill_path: z.string().min(1).optional(),
  }).default({ batch_size: 100, flush_interval_ms: 250 }),
  /** Key cache: without Redis (or while it is unreachable) a revoked or changed store key is seen after at most `cache_ttl_ms`. */
  auth: z.strictObject({
    cache_ttl_ms: numeric(z.number().int().min(10).max(3_600_000)).default(5_000),
  }).default({ cache_ttl_ms: 5_000 }),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type ProviderConfig = Config['providers'][number];
export type ModelConfig = Config['models'][number];
export type OfferConfig = ModelConfig['offers'][number];
export type KeyConfig = Config['keys'][number];
export type BudgetConfig = z.output<typeof budgetSchema>;
export type TimeoutsConfig = z.output<typeof timeoutsSchema>;

/** The catalog file has the same `models:` shape as the config. */
export const catalogFileSchema = z.strictObject({
  checked: z.string().optional(),
  models: z.array(modelSchema),
});
