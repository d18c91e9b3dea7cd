import { BENCH_API_KEY, CHAT_PATH } from './benchConstants.js';

export type TargetName = 'gateway' | 'baseline';

/** Where the load goes. Both targets get the same headers; the baseline ignores the key. */
export interface BenchTarget {
  name: TargetName;
  /** Full URL of the chat endpoint. */
  url: string;
  headers: Record<string, string>;
}

export function benchTarget(name: TargetName, origin: string): BenchTarget {
  return {
    name,
    url: origin + CHAT_PATH,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_API_KEY}` },
  };
}
