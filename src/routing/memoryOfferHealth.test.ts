import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/gatewayError.js';
import { MemoryOfferHealth } from './memoryOfferHealth.js';

const serverError = new GatewayError(502, 'upstream_error', 'boom', { retryable: true });
const callerError = new GatewayError(400, 'invalid_request', 'bad request');
const rateLimited = (seconds: number) => new GatewayError(429, 'rate_limit_exceeded', 'slow down', { retryable: true, retryAfterSeconds: seconds });
const options = { failureThreshold: 3, coolDownMs: 10_000, maxCoolDownMs: 40_000, probeTimeoutMs: 60_000 };

describe('MemoryOfferHealth (circuit breaker)', () => {
  it('opens after the threshold of provider failures in a row, and not before', () => {
    const health = new MemoryOfferHealth(options);
    health.recordFailure('a', serverError, 0);
    health.recordFailure('a', serverError, 1);
    expect(health.blockedUntil('a', 2)).toBe(0);
    health.recordFailure('a', serverError, 2);
    expect(health.blockedUntil('a', 3)).toBe(10_002);
    expect(health.describe('a', 3).state).toBe('open');
  });

  it('ignores the caller\'s own errors', () => {
    const health = new MemoryOfferHealth(options);
    for (let index = 0; index < 5; index++) health.recordFailure('a', callerError, index);
    expect(health.describe('a', 10)).toEqual({ state: 'closed', openUntil: 0, consecutiveFailures: 0 });
  });

  it('opens at once for a 429 with Retry-After, for that long', () => {
    const health = new MemoryOfferHealth(options);
    health.recordFailure('a', rateLimited(30), 1_000);
    expect(health.blockedUntil('a', 1_001)).toBe(31_000);
    expect(health.blockedUntil('a', 31_000)).toBe(0);
  });

  it('half-opens after the cool-down, lets one probe through, and closes on its success', () => {
    const health = new MemoryOfferHealth(options);
    for (let index = 0; index < 3; index++) health.recordFailure('a', serverError, 0);
    expect(health.describe('a', 10_000).state).toBe('half-open');
    expect(health.blockedUntil('a', 10_000)).toBe(0);
    health.onAttempt('a', 10_000);
    expect(health.blockedUntil('a', 10_001)).toBeGreaterThan(10_001);
    health.recordSuccess('a', 10_500);
    expect(health.describe('a', 10_500).state).toBe('closed');
    expect(health.blockedUntil('a', 10_500)).toBe(0);
  });

  it('re-opens with a doubled cool-down when the probe fails, up to the maximum', () => {
    const health = new MemoryOfferHealth(options);
    for (let index = 0; index < 3; index++) health.recordFailure('a', serverError, 0);
    health.onAttempt('a', 10_000);
    health.recordFailure('a', serverError, 10_000);
    expect(health.blockedUntil('a', 10_001)).toBe(30_000);
    health.onAttempt('a', 30_000);
    health.recordFailure('a', serverError, 30_000);
    expect(health.blockedUntil('a', 30_001)).toBe(70_000);
    health.onAttempt('a', 70_000);
    health.recordFailure('a', serverError, 70_000);
    expect(health.blockedUntil('a', 70_001)).toBe(110_000);
  });

  it('frees the half-open gate when a probe never reports back', () => {
    const health = new MemoryOfferHealth(options);
    for (let index = 0; index < 3; index++) health.recordFailure('a', serverError, 0);
    health.onAttempt('a', 10_000);
    expect(health.blockedUntil('a', 69_999)).toBeGreaterThan(0);
    expect(health.blockedUntil('a', 70_001)).toBe(0);
  });
});
