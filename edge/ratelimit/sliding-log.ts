import type { RateLimitDecision } from './limiter.js';

/**
 * The exact sliding-window log, independent of storage: `entries` are [timestamp ms, cost] in
 * ascending time order, kept by the caller. A request of `cost` at `now` is allowed when the costs
 * logged in (now - window, now] plus `cost` stay within `limit`. Refused requests are not logged.
 */
export function decide(
  entries: ReadonlyArray<readonly [number, number]>,
  limit: number,
  cost: number,
  windowMs: number,
  now: number,
): RateLimitDecision {
  const cutoff = now - windowMs;
  let used = 0;
  for (const [ts, c] of entries) if (ts > cutoff) used += c;
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const oldest = entries.find(([ts]) => ts > cutoff)?.[0];

  if (used + cost <= limit) {
    const resetAt = (oldest ?? now) + windowMs;
    return { allowed: true, remaining: limit - used - cost, resetSeconds: seconds(resetAt - now), retryAfterSeconds: 0 };
  }
  // Refused: wait until enough of the oldest entries leave the window to make room for `cost`.
  let retryAt = now + windowMs;
  if (cost <= limit) {
    let freed = 0;
    const need = used + cost - limit;
    for (const [ts, c] of entries) {
      if (ts <= cutoff) continue;
      freed += c;
      if (freed >= need) {
        retryAt = ts + windowMs;
        break;
      }
    }
  }
  const resetAt = (oldest ?? now) + windowMs;
  return {
    allowed: false,
    remaining: Math.max(0, limit - used),
    resetSeconds: seconds(resetAt - now),
    retryAfterSeconds: seconds(retryAt - now),
  };
}
