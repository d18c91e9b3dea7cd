import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { connectRedis, waitForRedis } from './redisConnection.js';

/** Channels (under the Redis key prefix): `<prefix>keys` for key changes, `<prefix>budgets` for budget changes. */
export type StoreChannel = 'keys' | 'budgets';

/**
 * Change notifications between gateway instances. The instance that makes a change applies it to its own caches
 * directly; `publish` tells the others. `live` is true only while a Redis subscription is up: then a change reaches
 * every instance at once; otherwise caches fall back to their TTL.
 */
export interface StoreEvents {
  readonly live: boolean;
  /** Never rejects: a failed publish is logged, and the other instances' TTLs still bound the delay. */
  publish(channel: StoreChannel, message: Record<string, unknown>): Promise<void>;
  /** Messages of other instances (never this instance's own). */
  subscribe(channel: StoreChannel, handler: (message: Record<string, unknown>) => void): void;
  /** Called when `live` changes; on a change to true, messages may have been missed while down. */
  onLiveChange(listener: (live: boolean) => void): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** One instance, no Redis: nothing to tell anyone. */
export class LocalStoreEvents implements StoreEvents {
  readonly live = false;
  async publish(): Promise<void> {}
  subscribe(): void {}
  onLiveChange(): void {}
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

export interface RedisStoreEventsOptions {
  url: string;
  prefix: string;
  logger: Logger;
  /** Identifies this instance's own messages (default: a random UUID). */
  instanceId?: string;
}

/** Redis pub/sub on `<prefix>keys` and `<prefix>budgets`. */
export class RedisStoreEvents implements StoreEvents {
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private readonly handlers = new Map<StoreChannel, ((message: Record<string, unknown>) => void)[]>();
  private readonly liveListeners: ((live: boolean) => void)[] = [];
  private readonly instanceId: string;
  private isLive = false;
  private closed = false;

  constructor(private readonly options: RedisStoreEventsOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
  }

  get live(): boolean {
    return this.isLive;
  }

  subscribe(channel: StoreChannel, handler: (message: Record<string, unknown>) => void): void {
    const list = this.handlers.get(channel) ?? [];
    list.push(handler);
    this.handlers.set(channel, list);
  }

  onLiveChange(listener: (live: boolean) => void): void {
    this.liveListeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.publisher !== undefined) return;
    // Named per instance, so an operator (or a test) can tell the connections apart in CLIENT LIST.
    const publisher = connectRedis(this.options.url, `switchyard-store-${this.instanceId.slice(0, 8)}`);
    const subscriber = connectRedis(this.options.url, `switchyard-store-events-${this.instanceId.slice(0, 8)}`, { subscriber: true });
    this.publisher = publisher;
    this.subscriber = subscriber;
    // Errors surface as `live: false` (TTL mode) and as failed publishes; ioredis keeps reconnecting.
    publisher.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    subscriber.on('ready', () => void this.subscribeAll(subscriber));
    subscriber.on('close', () => this.setLive(false));
    subscriber.on('message', (channel: string, text: string) => this.deliver(channel, text));
    try {
      await waitForRedis(subscriber);
      await this.subscribeAll(subscriber);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'Redis unavailable: key and budget changes reach other instances only after the cache TTL');
    }
  }

  async publish(channel: StoreChannel, message: Record<string, unknown>): Promise<void> {
    if (this.publisher === undefined || this.closed) return;
    try {
      await this.publisher.publish(this.channelName(channel), JSON.stringify({ ...message, origin: this.instanceId }));
    } catch (error) {
      this.options.logger.warn({ err: error, channel }, 'could not publish a store change to Redis: other instances see it after their cache TTL');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.setLive(false);
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }

  private async subscribeAll(subscriber: Redis): Promise<void> {
    if (this.closed || this.isLive) return;
    try {
      await subscriber.subscribe(this.channelName('keys'), this.channelName('budgets'));
      this.setLive(true);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not subscribe to store changes on Redis');
    }
  }

  private deliver(channel: string, text: string): void {
    const name = channel === this.channelName('keys') ? 'keys' : channel === this.channelName('budgets') ? 'budgets' : undefined;
    if (name === undefined) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message === null || typeof message !== 'object' || (message as { origin?: unknown }).origin === this.instanceId) return;
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        handler(message as Record<string, unknown>);
      } catch (error) {
        this.options.logger.error({ err: error, channel }, 'store change handler failed');
      }
    }
  }

  private setLive(live: boolean): void {
    if (this.isLive === live) return;
    this.isLive = live;
    for (const listener of this.liveListeners) listener(live);
  }

  private channelName(channel: StoreChannel): string {
    return `${this.options.prefix}${channel}`;
  }
}
