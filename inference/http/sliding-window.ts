import { consume, SlidingWindowLog, type RateLimitDecision } from '../../shared/ratelimit/sliding-window.js';

export interface RateDecision extends RateLimitDecision {
  limit: number;
}

/**
 * The standalone container's limiter: the shared exact sliding window (shared/ratelimit), one log per
 * key in a Map. The edge's Durable Object decides with the same function; only the storage differs.
 * Memory is bounded by keys × limit; keys idle for a whole window are swept.
 */
export class SlidingWindowLimiter {
  private readonly logs = new Map<string, SlidingWindowLog>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  consume(key: string, cost = 1): RateDecision {
    const now = this.now();
    this.sweep(now);
    let log = this.logs.get(key);
    if (!log) {
      log = new SlidingWindowLog();
      this.logs.set(key, log);
    }
    const { decision } = consume(log, { limit: this.limit, cost, windowMs: this.windowMs, now });
    return { ...decision, limit: this.limit };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, log] of this.logs) {
      if ((log.newest ?? 0) <= now - this.windowMs) this.logs.delete(key);
    }
  }
}
