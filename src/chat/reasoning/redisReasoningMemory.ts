import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { decodeRememberedReasoning } from './decodeRememberedReasoning.js';
import { REASONING_MEMORY_TTL_MS, type ReasoningMemory, type RecallResult } from './reasoningMemory.js';
import type { RememberedReasoning } from './rememberedReasoning.js';

/** At most one warning per interval while Redis fails; each failure only costs the fallback, never the request. */
const WARN_INTERVAL_MS = 60_000;

export interface RedisReasoningMemoryDeps {
  redis: Redis;
  /** `redis_key_prefix`. */
  prefix: string;
  logger: Logger;
  /** Wall-clock milliseconds, for spacing warnings. */
  clock: () => number;
  ttlMs?: number;
}

/**
 * Reasoning memory shared by every instance on one Redis: JSON values under `<prefix>reasoning:{<scope>}:<id>`,
 * expiring after the TTL (PX). Errors are logged and absorbed: a failed write is lost, a failed read is "unknown".
 */
export class RedisReasoningMemory implements ReasoningMemory {
  private lastWarnedAt = Number.NEGATIVE_INFINITY;
  private readonly ttlMs: number;

  constructor(private readonly deps: RedisReasoningMemoryDeps) {
    this.ttlMs = deps.ttlMs ?? REASONING_MEMORY_TTL_MS;
  }

  remember(scope: string, reasoning: RememberedReasoning): void {
    const first = reasoning.toolCalls[0];
    if (first === undefined) return;
    this.deps.redis.set(this.key(scope, first.id), JSON.stringify(reasoning), 'PX', this.ttlMs).catch((error: unknown) => this.warn('remember', error));
  }

  async recall(scope: string, firstToolCallIds: readonly string[]): Promise<RecallResult> {
    if (firstToolCallIds.length === 0) return [];
    try {
      const values = await this.deps.redis.mget(firstToolCallIds.map((id) => this.key(scope, id)));
      return values.map((value) => (value === null ? undefined : decodeRememberedReasoning(value)));
    } catch (error) {
      this.warn('recall', error);
      return firstToolCallIds.map(() => undefined);
    }
  }

  // The scope in braces is a cluster hash tag: one caller's keys share a slot, so one MGET reads them.
  private key(scope: string, toolCallId: string): string {
    return `${this.deps.prefix}reasoning:{${scope}}:${toolCallId}`;
  }

  private warn(operation: string, error: unknown): void {
    const now = this.deps.clock();
    if (now - this.lastWarnedAt < WARN_INTERVAL_MS) return;
    this.lastWarnedAt = now;
    this.deps.logger.warn({ err: error, operation }, 'reasoning memory: Redis unavailable, going on without the shared entries');
  }
}
