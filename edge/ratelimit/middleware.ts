import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../shared/errors.js';
import type { EdgeEnv } from '../context.js';
import { describeError, log } from '../log.js';
import { identifyClient } from './client-key.js';

/**
 * What one request costs. A batch costs 1, like a single text: MAX_CHARACTERS (5000, summed over a
 * batch) already bounds the work of any request, and a per-item cost would let one 64-item batch
 * exceed the whole default budget of 60/min.
 */
export const REQUEST_COST = 1;

export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'] as const;

function bodyApiKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>).api_key;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Counts the request against its client's budget (translate and detect routes, LibreTranslate ones
 * included; it runs after validation, so malformed requests are refused without spending budget or a
 * Durable Object call).
 *
 * Failure policy: FAIL-OPEN. If the limiter itself fails (the Durable Object throws or is unreachable),
 * the request is served without RateLimit-* headers, an error line `rate_limiter_failed_open` is
 * logged and the `rate_limiter_failures` counter of GET /health grows. Availability of translations
 * is preferred over strict limiting during a limiter outage; the origin's own admission control
 * (bounded queue, 503 OVERLOADED) still protects the container.
 */
export function rateLimit(options: { acceptBodyApiKey?: boolean } = {}): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const services = c.get('services');
    const identity = await identifyClient(
      c,
      options.acceptBodyApiKey ? bodyApiKey(c.get('body')) : undefined,
      services.config.rateLimitPerMinute,
    );
    let decision;
    try {
      decision = await services.limiter(c.env).consume(identity.bucket, identity.limit, REQUEST_COST);
    } catch (err) {
      services.metrics.rate_limiter_failures++;
      log('error', 'rate_limiter_failed_open', {
        request_id: c.get('requestId'),
        client_kind: identity.kind,
        error: describeError(err),
        failures: services.metrics.rate_limiter_failures,
      });
      await next();
      return;
    }
    const headers: Record<string, string> = {
      'RateLimit-Limit': String(identity.limit),
      'RateLimit-Remaining': String(decision.remaining),
      'RateLimit-Reset': String(decision.resetSeconds),
      'RateLimit-Policy': `${identity.limit};w=60`,
    };
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', `rate limit of ${identity.limit} requests per minute exceeded; retry in ${decision.retryAfterSeconds} s`, {
        retryAfterSeconds: decision.retryAfterSeconds,
        headers,
        details: { limit: identity.limit, window_seconds: 60, retry_after_seconds: decision.retryAfterSeconds },
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
