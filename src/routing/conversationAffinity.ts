import { createHash } from 'node:crypto';
import type { ChatRequest } from '../core/chatRequest.js';

interface AffinityEntry {
  offerKey: string;
  promptTokens: number;
  at: number;
}

export interface AffinityOptions {
  maxEntries: number;
  /** How long a provider's prompt cache is assumed to keep a conversation's prefix. */
  ttlMs: number;
}

export const DEFAULT_AFFINITY: AffinityOptions = { maxEntries: 20_000, ttlMs: 5 * 60_000 };

/**
 * Remembers which offer last served a conversation, so cost routing can price the prefix that offer has
 * cached at its cache-read rate (and keep the conversation there while that stays cheaper).
 */
export class ConversationAffinity {
  private readonly entries = new Map<string, AffinityEntry>();

  constructor(private readonly options: AffinityOptions = DEFAULT_AFFINITY) {}

  /** `prompt_cache_key` when given, else a hash of the conversation's opening (system prompt and first user turn). */
  keyOf(request: ChatRequest): string | undefined {
    const cacheKey = request.params.prompt_cache_key;
    if (cacheKey !== undefined) return 'key:' + cacheKey;
    const firstUser = request.messages.findIndex((message) => message.role === 'user');
    // A single-turn request has nothing cached from before worth sticking to.
    if (firstUser < 0 || request.messages.length <= firstUser + 1) return undefined;
    const hash = createHash('sha256');
    for (let index = 0; index <= firstUser; index++) hash.update(JSON.stringify(request.messages[index]));
    return 'conv:' + hash.digest('base64url');
  }

  lookup(key: string, now: number): AffinityEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.at > this.options.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  remember(key: string, offerKey: string, promptTokens: number, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { offerKey, promptTokens, at: now });
    // Maps iterate in insertion order: the first key is the least recently remembered.
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
