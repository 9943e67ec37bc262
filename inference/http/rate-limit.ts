import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../shared/errors.js';
import { clientIp } from './client-ip.js';
import { SlidingWindowLimiter } from './sliding-window.js';

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // in-process requests (app.request) have no socket
  }
}

/**
 * Standalone mode (no edge in front): the container limits each client IP itself. X-Forwarded-For is
 * believed only for `trustProxyHops` proxies (TRUST_PROXY), so a client cannot spoof its way out.
 */
export function standaloneRateLimit(limitPerMinute: number, trustProxyHops: number, now: () => number = Date.now): MiddlewareHandler {
  const limiter = new SlidingWindowLimiter(limitPerMinute, 60_000, now);
  return async (c, next) => {
    const key = clientIp(socketAddress(c), c.req.header('x-forwarded-for'), trustProxyHops);
    const decision = limiter.consume(key);
    const headers = {
      'RateLimit-Limit': String(decision.limit),
      'RateLimit-Remaining': String(decision.remaining),
      'RateLimit-Reset': String(decision.resetSeconds),
    };
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', `rate limit of ${decision.limit} requests per minute exceeded; retry in ${decision.retryAfterSeconds} s`, {
        retryAfterSeconds: decision.retryAfterSeconds,
        headers,
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
