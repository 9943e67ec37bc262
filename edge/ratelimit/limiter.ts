import type { Clock } from '../clock.js';
import type { RateLimiterDurableObject } from './durable-object.js';

/** The window of every limit: "per minute". */
export const RATE_LIMIT_WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** Units left in the window after this request (0 when refused). */
  remaining: number;
  /** Seconds until the oldest counted request leaves the window (when `remaining` next grows). */
  resetSeconds: number;
  /** Seconds until a request of this cost would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** The limiter behind a small interface, so tests can inject a failing or a fake one. */
export interface RateLimiter {
  consume(key: string, limit: number, cost: number): Promise<RateLimitDecision>;
}

/**
 * The production limiter: one SQLite-backed Durable Object per client key (idFromName), holding an
 * exact log of the requests of the last minute; one RPC per request. The edge's clock stamps each
 * request, so a test clock drives the window.
 *
 * (Coalescing concurrent requests of one bucket into one RPC was tried and dropped: in workerd a
 * continuation runs in the request context that resolved the promise, so a batch sent after another
 * request's call returns is I/O of a request that may already have finished, and hangs.)
 */
export class DurableObjectRateLimiter implements RateLimiter {
  constructor(
    private readonly namespace: DurableObjectNamespace<RateLimiterDurableObject>,
    private readonly clock: Clock,
    private readonly windowMs: number = RATE_LIMIT_WINDOW_MS,
  ) {
    if (!namespace) throw new Error('the RATE_LIMITER Durable Object binding is missing');
  }

  async consume(key: string, limit: number, cost: number): Promise<RateLimitDecision> {
    const stub = this.namespace.get(this.namespace.idFromName(key));
    return await stub.consume(limit, cost, this.windowMs, this.clock.now());
  }
}
