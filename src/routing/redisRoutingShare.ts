import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MemoryOfferHealth } from './memoryOfferHealth.js';
import type { MemoryOfferStats } from './memoryOfferStats.js';
import type { OfferSample, OfferStats, OfferStatsSnapshot } from './offerStats.js';

interface SharedSample {
  k: string;
  t: number;
  s: 0 | 1;
  f?: number | undefined;
  p?: number | undefined;
}

type ShareMessage = { from: string; samples: SharedSample[] } | { from: string; breaker: { k: string; until: number } };

export interface RedisRoutingShareDeps {
  /** A connection for commands and PUBLISH. */
  publisher: Redis;
  /** A separate connection in subscriber mode. */
  subscriber: Redis;
  prefix: string;
  instanceId: string;
  stats: MemoryOfferStats;
  health: MemoryOfferHealth;
  logger: Logger;
  wallClock: () => number;
  /** How often queued samples are sent (ms). */
  flushIntervalMs?: number;
}

const HISTORY_LENGTH = 200;
const HISTORY_TTL_MS = 15 * 60_000;

/**
 * Shares live measurements and breaker state between gateway instances through Redis, off the request path:
 * samples are queued and published in batches (and kept as short per-offer histories for instances that start
 * later); breaker openings and closings are published as they happen. Each instance routes on its local view,
 * so Redis being slow or down never delays a request; it only makes the view local until Redis is back.
 */
export class RedisRoutingShare {
  /** The stats routing should use: records locally and queues each sample for the other instances. */
  readonly stats: OfferStats;
  private pending: SharedSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly channel: string;
  /** How every message this instance publishes begins (`from` is always its first field). */
  private readonly ownPrefix: string;

  constructor(private readonly deps: RedisRoutingShareDeps) {
    this.channel = `${deps.prefix}routing`;
    this.ownPrefix = JSON.stringify({ from: deps.instanceId }).slice(0, -1) + ',';
    const local = deps.stats;
    this.stats = {
      snapshot: (offerKey: string, now: number): OfferStatsSnapshot => local.snapshot(offerKey, now),
      record: (offerKey: string, sample: OfferSample, now: number): void => {
        local.record(offerKey, sample, now);
        this.pending.push({ k: offerKey, t: now, s: sample.success ? 1 : 0, f: sample.ttftMs, p: sample.tps });
      },
    };
    deps.health.onTransition = (offerKey, openUntil) => this.publishBreaker(offerKey, openUntil);
  }

  /** Subscribes, loads recent history and open breakers, and starts the flush timer. */
  async start(): Promise<void> {
    const { subscriber, publisher, prefix } = this.deps;
    subscriber.on('message', (_channel: string, text: string) => this.receive(text));
    await subscriber.subscribe(this.channel);
    try {
      await this.loadHistory(publisher, prefix);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not load shared routing state from Redis; starting from local state');
    }
    this.timer = setInterval(() => void this.flush(), this.deps.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.flush();
  }

  /** Sends queued samples now (also called by the timer). */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const samples = this.pending;
    this.pending = [];
    const { publisher, prefix, instanceId } = this.deps;
    const pipeline = publisher.pipeline();
    pipeline.publish(this.channel, JSON.stringify({ from: instanceId, samples } satisfies ShareMessage));
    // Three commands per offer, not per sample: under load one flush carries thousands of samples of a few offers.
    const byOffer = new Map<string, string[]>();
    for (const sample of samples) {
      let list = byOffer.get(sample.k);
      if (list === undefined) byOffer.set(sample.k, (list = []));
      list.push(JSON.stringify(sample));
    }
    for (const [offerKey, list] of byOffer) {
      const key = `${prefix}stats:${offerKey}`;
      // Only the newest HISTORY_LENGTH survive the trim, so older ones are not sent at all.
      pipeline.lpush(key, ...list.slice(-HISTORY_LENGTH));
      pipeline.ltrim(key, 0, HISTORY_LENGTH - 1);
      pipeline.pexpire(key, HISTORY_TTL_MS);
    }
    try {
      await pipeline.exec();
    } catch (error) {
      this.deps.logger.warn({ err: error, dropped: samples.length }, 'could not share routing samples through Redis');
    }
  }

  private publishBreaker(offerKey: string, openUntil: number): void {
    const { publisher, prefix, instanceId, wallClock } = this.deps;
    const key = `${prefix}breaker:${offerKey}`;
    const pipeline = publisher.pipeline();
    if (openUntil > 0) pipeline.set(key, String(openUntil), 'PX', Math.max(1, openUntil - wallClock()));
    else pipeline.del(key);
    pipeline.publish(this.channel, JSON.stringify({ from: instanceId, breaker: { k: offerKey, until: openUntil } } satisfies ShareMessage));
    pipeline.exec().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not share a breaker change through Redis'));
  }

  private receive(text: string): void {
    // Our own batches come back too: recognised by their first field without parsing them.
    if (text.startsWith(this.ownPrefix)) return;
    let message: ShareMessage;
    try {
      message = JSON.parse(text) as ShareMessage;
    } catch {
      return;
    }
    if (message.from === this.deps.instanceId) return;
    if ('samples' in message) {
      for (const sample of message.samples) this.applySample(sample);
    } else if (message.breaker.until > 0) {
      this.deps.health.applyOpen(message.breaker.k, message.breaker.until);
    } else {
      this.deps.health.applyClose(message.breaker.k);
    }
  }

  private applySample(sample: SharedSample): void {
    this.deps.stats.record(sample.k, { success: sample.s === 1, ttftMs: sample.f ?? undefined, tps: sample.p ?? undefined }, sample.t);
  }

  private async loadHistory(redis: Redis, prefix: string): Promise<void> {
    const statsKeys = await scanKeys(redis, `${prefix}stats:*`);
    const samples: SharedSample[] = [];
    for (const key of statsKeys) {
      for (const item of await redis.lrange(key, 0, HISTORY_LENGTH - 1)) {
        try {
          samples.push(JSON.parse(item) as SharedSample);
        } catch {
          // A foreign or truncated entry: skip it.
        }
      }
    }
    samples.sort((left, right) => left.t - right.t);
    for (const sample of samples) this.applySample(sample);
    for (const key of await scanKeys(redis, `${prefix}breaker:*`)) {
      const until = Number(await redis.get(key));
      if (Number.isFinite(until) && until > this.deps.wallClock()) this.deps.health.applyOpen(key.slice(`${prefix}breaker:`.length), until);
    }
  }
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
