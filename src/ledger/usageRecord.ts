/** One request as the ledger records it (contract §9); prompts and completions are never part of it. */
export interface UsageRecord {
  time: string;
  requestId: string;
  keyId: string | null;
  modelCanonical: string | null;
  provider: string | null;
  providerModel: string | null;
  status: number;
  errorCode: string | null;
  promptTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costMicros: number;
  ttftMs: number | null;
  totalLatencyMs: number;
  attempts: number;
  stream: boolean;
  metadata: Record<string, string>;
  /** Given by the ledger writer when queued; the store skips a record whose id it already holds, so a retried batch is not counted twice. */
  recordId?: string;
}

/** Where usage records go; implementations must not block the request path. */
export interface UsageSink {
  record(record: UsageRecord): void;
}
