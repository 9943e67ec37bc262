export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the oldest counted request leaves the window. */
  resetSeconds: number;
  /** Seconds to wait before a retry can succeed (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * An exact sliding-window limiter: a log of request times per key, so "60 a minute" means at most 60
 * in any 60-second span (no fixed-window burst of 2x at the boundary). Memory is bounded by
 * keys × limit; idle keys are swept.
 */
export class SlidingWindowLimiter {
  private readonly log = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  consume(key: string): RateDecision {
    const now = this.now();
    this.sweep(now);
    const since = now - this.windowMs;
    const times = (this.log.get(key) ?? []).filter((t) => t > since);
    const allowed = times.length < this.limit;
    if (allowed) times.push(now);
    this.log.set(key, times);
    const oldest = times[0] ?? now;
    const resetSeconds = Math.max(0, Math.ceil((oldest + this.windowMs - now) / 1000));
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - times.length),
      resetSeconds,
      retryAfterSeconds: allowed ? 0 : Math.max(1, resetSeconds),
    };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, times] of this.log) {
      if ((times[times.length - 1] ?? 0) <= now - this.windowMs) this.log.delete(key);
    }
  }
}
