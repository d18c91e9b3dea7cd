import type { ChatMessage, FunctionTool, ResponseFormat, ToolChoice } from './chatMessage.js';

export const REASONING_EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max', 'off'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export const STRATEGIES = ['cost-focus', 'cost', 'ttft-focus', 'ttft', 'tps-focus', 'tps', 'balanced'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * Optional generation parameters, keyed by their OpenAI names so that an offer's
 * `supported_parameters` list and the wire use the same words. Values are validated and normalised
 * (`stop` is always a list, `max_tokens` is folded into `max_completion_tokens`, legacy functions into tools).
 */
export interface ChatParameters {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  top_a?: number;
  repetition_penalty?: number;
  max_completion_tokens?: number;
  reasoning_effort?: ReasoningEffort;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number>;
  seed?: number;
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  user?: string;
  n?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  response_format?: ResponseFormat;
  web_search_options?: Record<string, unknown>;
  verbosity?: 'low' | 'medium' | 'high';
  prompt_cache_key?: string;
  prompt_cache_retention?: string;
  safety_identifier?: string;
}

export type ParameterName = keyof ChatParameters;

export interface RoutingWeights {
  cost?: number;
  ttft?: number;
  tps?: number;
  reliability?: number;
}

/** `gateway.routing` (contract §4.4), validated; names as on the wire. */
export interface RoutingOptions {
  optimize?: Strategy;
  weights?: RoutingWeights;
  max_ttft_ms?: number;
  ttft_percentile?: 'p50' | 'p95';
  min_throughput_tps?: number;
  throughput_percentile?: 'p50' | 'p95';
  min_success_rate?: number;
  max_cost_per_1m?: number;
  providers?: string[];
  exclude?: string[];
  prefer?: string[];
  data_policy?: 'zdr' | 'no_training';
  only_byok?: boolean;
  only_platform?: boolean;
  require_parameters?: boolean;
  allow_fallbacks?: boolean;
  max_fallback_attempts?: number;
  tier?: 'priority';
  deadline_ms?: number;
}

export interface GatewayOptions {
  /** Requested model ids with any routing suffix removed; one entry when the caller used `model`. */
  models: string[];
  /** Which request field named the models, for error `param`s. */
  modelsParam: 'model' | 'gateway.models';
  mode: 'pool' | 'fallback';
  /** Strategy from `optimize`, else from a model-name suffix; undefined means the default. */
  strategy: Strategy | undefined;
  routing: RoutingOptions;
  metadata: Record<string, string>;
}

/** A validated chat-completions request, independent of which provider will serve it. */
export interface ChatRequest {
  messages: ChatMessage[];
  params: ChatParameters;
  stream: boolean;
  /** The caller used the legacy `functions` API and expects `function_call` back. */
  legacyFunctions: boolean;
  /** `extensions.{provider}` objects, keyed as sent (aliases are resolved per adapter). */
  extensions: Record<string, Record<string, unknown>>;
  gateway: GatewayOptions;
}
