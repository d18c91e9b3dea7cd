import type { Usage } from '../core/usage.js';

/** What the HTTP layer learns about one request while serving it; written out once at the end. */
export interface RequestState {
  /** Monotonic ms when the request arrived. */
  startedAt: number;
  /** True for chat-completion requests, which get a usage record. */
  chat: boolean;
  keyId: string | null;
  stream: boolean;
  requestedModel: string | null;
  modelCanonical: string | null;
  provider: string | null;
  providerModel: string | null;
  usage: Usage | null;
  costMicros: number;
  ttftMs: number | null;
  attempts: number;
  errorCode: string | null;
  metadata: Record<string, string>;
  done: boolean;
}

export function newRequestState(startedAt: number): RequestState {
  return {
    startedAt,
    chat: false,
    keyId: null,
    stream: false,
    requestedModel: null,
    modelCanonical: null,
    provider: null,
    providerModel: null,
    usage: null,
    costMicros: 0,
    ttftMs: null,
    attempts: 0,
    errorCode: null,
    metadata: {},
    done: false,
  };
}
