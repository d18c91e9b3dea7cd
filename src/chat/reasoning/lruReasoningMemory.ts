import { decodeRememberedReasoning } from './decodeRememberedReasoning.js';
import type { RememberedReasoning } from './rememberedReasoning.js';
import {
  REASONING_MEMORY_MAX_BYTES,
  REASONING_MEMORY_MAX_ENTRIES,
  REASONING_MEMORY_TTL_MS,
  type ReasoningMemory,
  type RecallResult,
} from './reasoningMemory.js';

export interface LruReasoningMemoryOptions {
  /** Wall-clock milliseconds. */
  clock: () => number;
  maxEntries?: number;
  /** Bound on the stored JSON, counted in UTF-16 code units (about bytes for signatures and ASCII text). */
  maxBytes?: number;
  ttlMs?: number;
}

interface Entry {
  /** Stored as JSON: a recall hands out a fresh copy, so no request can change what the next one gets. */
  json: string;
  expiresAt: number;
}

/** Reasoning memory in this process: least recently used entries go first, every entry expires after the TTL. */
export class LruReasoningMemory implements ReasoningMemory {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used entry first.
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly clock: () => number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly ttlMs: number;

  constructor(options: LruReasoningMemoryOptions) {
    this.clock = options.clock;
    this.maxEntries = options.maxEntries ?? REASONING_MEMORY_MAX_ENTRIES;
    this.maxBytes = options.maxBytes ?? REASONING_MEMORY_MAX_BYTES;
    this.ttlMs = options.ttlMs ?? REASONING_MEMORY_TTL_MS;
  }

  get size(): number {
    return this.entries.size;
  }

  remember(scope: string, reasoning: RememberedReasoning): void {
    const first = reasoning.toolCalls[0];
    if (first === undefined) return;
    this.store(entryKey(scope, first.id), JSON.stringify(reasoning));
  }

  recall(scope: string, firstToolCallIds: readonly string[]): RecallResult {
    const now = this.clock();
    return firstToolCallIds.map((id) => {
      const key = entryKey(scope, id);
      const entry = this.entries.get(key);
      if (entry === undefined) return undefined;
      this.drop(key, entry);
      if (entry.expiresAt <= now) return undefined;
      this.entries.set(key, entry);
      this.bytes += entry.json.length;
      return decodeRememberedReasoning(entry.json);
    });
  }

  private store(key: string, json: string): void {
    // One entry larger than the whole budget would only evict everything else.
    if (json.length > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.drop(key, previous);
    this.entries.set(key, { json, expiresAt: this.clock() + this.ttlMs });
    this.bytes += json.length;
    this.evict();
  }

  private evict(): void {
    const now = this.clock();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes && entry.expiresAt > now) return;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.json.length;
  }
}

/** Scope and id joined by a character neither contains in practice (key ids are ASCII, tool-call ids printable). */
function entryKey(scope: string, toolCallId: string): string {
  return `${scope}\u0000${toolCallId}`;
}
