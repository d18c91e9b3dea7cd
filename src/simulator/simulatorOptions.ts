import type { Behaviour } from './behaviour.js';
import type { ScriptRule } from './scriptBook.js';

/** A named fake provider served under `/p/<id>/v1`. */
export interface SimulatorProfile {
  /** Letters, digits, `.`, `_` and `-`. */
  id: string;
  /** When set, requests must send `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  defaults?: Partial<Behaviour>;
  /** Model ids listed by `GET /v1/models` besides those already requested. */
  models?: string[];
}

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  profiles?: SimulatorProfile[];
  /** Behaviour of the default profile served under `/v1` (no key check). A profile with id `default` replaces it entirely. */
  defaults?: Partial<Behaviour>;
  /** Keep RecordedRequests in `requests` (default true; the benchmark turns it off). */
  record?: boolean;
  /** Script rules installed at start, as if passed to `script()` in order. */
  scripts?: ScriptRule[];
}
