import type { GatewayCounters } from './readGatewayCounters.js';

/**
 * The report lines for what the gateway counted as problems during a scenario: statuses other than 200 and error
 * codes. autocannon closes its connections when the time is up and the requests then in flight end as 499
 * (client gone): up to one per connection is not a problem.
 */
export function gatewayCounterLines(counters: GatewayCounters | undefined, connections: number): string[] {
  if (counters === undefined) return [];
  const cutOff = counters.requestsByStatus['499'] ?? 0;
  const unexpected = Object.entries(counters.requestsByStatus).filter(([status]) => status !== '200' && !(status === '499' && cutOff <= connections));
  const errors = Object.entries(counters.errorsByCode);
  if (unexpected.length === 0 && errors.length === 0) return [];
  return [`    GATEWAY COUNTED PROBLEMS: ${[...unexpected.map(([status, count]) => `${count} x status ${status}`), ...errors.map(([code, count]) => `${count} x ${code}`)].join(', ')}`];
}
