import { request } from 'undici';

/** The gateway's own view of what it served, from `/metrics`: counts by HTTP status and by error code. */
export interface GatewayCounters {
  /** `switchyard_requests_total` summed by status. */
  requestsByStatus: Record<string, number>;
  /** `switchyard_errors_total` by code (mid-stream errors included: they are sent with status 200). */
  errorsByCode: Record<string, number>;
}

const SAMPLE = /^(switchyard_requests_total|switchyard_errors_total)\{([^}]*)\}\s+(\S+)$/;

export async function readGatewayCounters(origin: string): Promise<GatewayCounters> {
  const response = await request(`${origin}/metrics`);
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET /metrics answered ${response.statusCode}`);
  const counters: GatewayCounters = { requestsByStatus: {}, errorsByCode: {} };
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const [, name, labels = '', value = '0'] = match;
    if (name === 'switchyard_requests_total') add(counters.requestsByStatus, label(labels, 'status'), Number(value));
    else add(counters.errorsByCode, label(labels, 'code'), Number(value));
  }
  return counters;
}

/** What happened between two readings. */
export function gatewayCountersDelta(before: GatewayCounters, after: GatewayCounters): GatewayCounters {
  return { requestsByStatus: subtract(after.requestsByStatus, before.requestsByStatus), errorsByCode: subtract(after.errorsByCode, before.errorsByCode) };
}

/** What several runs counted together (rounds). */
export function gatewayCountersSum(counters: readonly GatewayCounters[]): GatewayCounters {
  const sum: GatewayCounters = { requestsByStatus: {}, errorsByCode: {} };
  for (const entry of counters) {
    for (const [status, count] of Object.entries(entry.requestsByStatus)) add(sum.requestsByStatus, status, count);
    for (const [code, count] of Object.entries(entry.errorsByCode)) add(sum.errorsByCode, code, count);
  }
  return sum;
}

function label(labels: string, name: string): string {
  return new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels)?.[1] ?? '?';
}

function add(into: Record<string, number>, key: string, value: number): void {
  into[key] = (into[key] ?? 0) + value;
}

function subtract(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const difference = value - (before[key] ?? 0);
    if (difference !== 0) delta[key] = difference;
  }
  return delta;
}
