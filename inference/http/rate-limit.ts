import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimitedError, rateLimitHeaders, type RateLimitPolicy } from '../../shared/ratelimit/headers.js';
import { clientIp } from './client-ip.js';
import { SlidingWindowLimiter } from './sliding-window.js';

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // in-process requests (app.request) have no socket
  }
}

export interface StandaloneRateLimitOptions {
  /** RATE_LIMIT_PER_MINUTE: units per window. */
  limit: number;
  /** RATE_LIMIT_WINDOW_SECONDS. */
  windowSeconds: number;
  /** TRUST_PROXY: proxy hops whose X-Forwarded-For is believed. */
  trustProxyHops: number;
  now?: () => number;
}

/**
 * Standalone mode (no edge in front): the container limits each client IP itself, with the same
 * sliding window, headers and 429 as the edge. X-Forwarded-For is believed only for `trustProxyHops`
 * proxies (TRUST_PROXY), so a client cannot spoof its way out.
 */
export function standaloneRateLimit(options: StandaloneRateLimitOptions): MiddlewareHandler {
  const policy: RateLimitPolicy = { limit: options.limit, windowSeconds: options.windowSeconds };
  const limiter = new SlidingWindowLimiter(policy.limit, policy.windowSeconds * 1000, options.now);
  return async (c, next) => {
    const key = clientIp(socketAddress(c), c.req.header('x-forwarded-for'), options.trustProxyHops);
    const decision = limiter.consume(key);
    if (!decision.allowed) throw rateLimitedError(policy, decision);
    await next();
    for (const [name, value] of Object.entries(rateLimitHeaders(policy, decision))) c.res.headers.set(name, value);
  };
}
