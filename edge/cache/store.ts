import { describeError, log } from '../log.js';
import type { EdgeMetrics } from '../metrics.js';

/**
 * One tier of the translation cache: raw strings under string keys with a TTL.
 * Tier errors never fail a request: a failing read is a miss, a failing write is skipped (logged).
 */
export interface CacheTier {
  readonly name: string;
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
}

/** Tier 1: the Cache API of the Cloudflare location (`caches.default`), fast and local to the colo. */
export class CacheApiTier implements CacheTier {
  readonly name = 'cache-api';
  constructor(private readonly cache: Cache) {}

  /** The Cache API wants a URL; the key is placed under a synthetic host that is never fetched. */
  static requestFor(key: string): Request {
    return new Request(`https://cache.internal/${key.replaceAll(':', '/')}`);
  }

  async get(key: string): Promise<string | undefined> {
    const hit = await this.cache.match(CacheApiTier.requestFor(key));
    return hit ? await hit.text() : undefined;
  }

  async put(key: string, value: string, ttlSeconds: number): Promise<void> {
    const response = new Response(value, {
      headers: { 'content-type': 'application/json', 'cache-control': `public, max-age=${Math.max(1, Math.floor(ttlSeconds))}` },
    });
    await this.cache.put(CacheApiTier.requestFor(key), response);
  }
}

/** KV refuses an expirationTtl below 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60;

/** Tier 2: Workers KV (global, eventually consistent). */
export class KvTier implements CacheTier {
  readonly name = 'kv';
  constructor(private readonly kv: KVNamespace) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.kv.get(key, 'text')) ?? undefined;
  }

  async put(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.kv.put(key, value, { expirationTtl: Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlSeconds)) });
  }
}

/** What a decoder returns for a well-formed value whose TTL has passed. */
export const EXPIRED: unique symbol = Symbol('expired');

export type Defer = (work: Promise<unknown>) => void;

/**
 * The tiers in order (Cache API, then KV), built once per isolate. A read returns the first value that
 * `decode` accepts; a value it rejects counts as a miss in that tier (and is overwritten by the next
 * write). A hit in a later tier is copied back into the earlier ones after the response, through the
 * reading request's `defer` (its ctx.waitUntil).
 */
export class TieredStore {
  constructor(
    private readonly tiers: readonly CacheTier[],
    private readonly metrics: EdgeMetrics,
  ) {}

  /**
   * `decode` returns the accepted value, undefined for an invalid value (counted and logged), or
   * EXPIRED for a valid value past its TTL (a quiet miss).
   */
  async get<T>(
    key: string,
    decode: (raw: string) => T | undefined | typeof EXPIRED,
    ttlOf: (value: T) => number,
    defer: Defer,
  ): Promise<T | undefined> {
    for (let index = 0; index < this.tiers.length; index++) {
      const tier = this.tiers[index]!;
      let raw: string | undefined;
      try {
        raw = await tier.get(key);
      } catch (err) {
        this.metrics.cache_errors++;
        log('warn', 'cache_read_failed', { tier: tier.name, error: describeError(err) });
        continue;
      }
      if (raw === undefined) continue;
      const value = decode(raw);
      if (value === EXPIRED) continue;
      if (value === undefined) {
        this.metrics.cache_invalid_entries++;
        log('warn', 'cache_invalid_entry', { tier: tier.name, key });
        continue;
      }
      const ttl = ttlOf(value);
      if (index > 0 && ttl >= 1) {
        for (const earlier of this.tiers.slice(0, index)) defer(this.safePut(earlier, key, raw, ttl));
      }
      return value;
    }
    return undefined;
  }

  /** Writes every tier; never rejects. */
  async put(key: string, value: string, ttlSeconds: number): Promise<void> {
    await Promise.all(this.tiers.map((tier) => this.safePut(tier, key, value, ttlSeconds)));
  }

  private async safePut(tier: CacheTier, key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await tier.put(key, value, ttlSeconds);
    } catch (err) {
      this.metrics.cache_errors++;
      log('warn', 'cache_write_failed', { tier: tier.name, error: describeError(err) });
    }
  }
}
