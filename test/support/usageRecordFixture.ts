import type { UsageRecord } from '../../src/ledger/usageRecord.js';

let counter = 0;

/** A complete usage record for tests, with a request id of its own; `overrides` set any field. */
export function usageRecordFixture(overrides: Partial<UsageRecord> = {}): UsageRecord {
  counter++;
  return {
    time: '2026-03-02T10:00:00.000Z',
    requestId: `req_${counter}`,
    keyId: 'key_a',
    modelCanonical: 'm',
    provider: 'p',
    providerModel: 'pm',
    status: 200,
    errorCode: null,
    promptTokens: 1,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    completionTokens: 1,
    reasoningTokens: 0,
    costMicros: 10,
    ttftMs: null,
    totalLatencyMs: 5,
    attempts: 1,
    stream: false,
    metadata: {},
    ...overrides,
  };
}
