import type { MiddlewareHandler } from 'hono';
import { rateLimitedError, rateLimitHeaders } from '../../shared/ratelimit/headers.js';
import type { EdgeEnv } from '../context.js';
import { describeError, log } from '../log.js';
import { identifyClient } from './client-key.js';

/**
 * What one request costs. A batch costs 1, like a single text: MAX_CHARACTERS (5000, summed over a
 * batch) already bounds the work of any request, and a per-item cost would let one 64-item batch
 * exceed the whole default budget of 60 per window.
 */
export const REQUEST_COST = 1;

function bodyApiKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('api_key' in body)) return undefined;
  return typeof body.api_key === 'string' ? body.api_key : undefined;
}

/**
 * Counts the request against its client's budget (translate and detect routes, LibreTranslate ones
 * included; it runs after validation, so malformed requests are refused without spending budget or a
 * Durable Object call). The budget is RATE_LIMIT_PER_MINUTE (or the API key's own) per
 * RATE_LIMIT_WINDOW_SECONDS, which RateLimit-Policy states.
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
    const { limits } = services.config;
    const identity = await identifyClient(c, options.acceptBodyApiKey ? bodyApiKey(c.get('body')) : undefined, limits.RATE_LIMIT_PER_MINUTE);
    let decision;
    try {
      decision = await services.limiter.consume(identity.bucket, identity.limit, REQUEST_COST);
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
    const policy = { limit: identity.limit, windowSeconds: limits.RATE_LIMIT_WINDOW_SECONDS };
    if (!decision.allowed) throw rateLimitedError(policy, decision);
    await next();
    for (const [name, value] of Object.entries(rateLimitHeaders(policy, decision))) c.res.headers.set(name, value);
  };
}
