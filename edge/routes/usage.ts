import { OpenAPIHono } from '@hono/zod-openapi';
import { usageRoute } from '../../shared/contract/keys-routes.js';
import type { UsageResponse } from '../../shared/contract/keys.js';
import { AppError } from '../../shared/errors.js';
import type { EdgeEnv } from '../context.js';
import { usageJson } from '../keys/views.js';
import { rateLimit } from '../ratelimit/middleware.js';

/** Seconds a client waits before asking again when the key's account could not be read. */
const USAGE_RETRY_AFTER_SECONDS = 10;

/**
 * The key is valid but its account (KeyAccountDurableObject) could not be read: the usage is unknown
 * for now, not the key wrong, so 503 with Retry-After (UPSTREAM_UNAVAILABLE with its documented 503
 * override), never 401, which would tell the client to change a key that works.
 */
function usageUnavailable(): AppError {
  return new AppError('UPSTREAM_UNAVAILABLE', "this API key's usage cannot be read right now (its account is unreachable); retry shortly", {
    status: 503,
    retryAfterSeconds: USAGE_RETRY_AFTER_SECONDS,
    details: { reason: 'key_account_unavailable' },
  });
}

/**
 * GET /api/v1/usage: the calling key's characters in the current UTC day and month, its quotas and
 * rate limits, and when each window resets (DeepL's /v2/usage fields `character_count` and
 * `character_limit` are the month's). Rate-limited like a detection, so guessing keys here costs the
 * IP's budget as anywhere else; the key's account (edge/keys/gate.ts) answers the usage in the same
 * call that refuses a revoked key. Without an API key: 401; with a valid key whose account cannot be
 * reached (the gate fails open, so there is no snapshot): 503 with Retry-After.
 */
export function createUsageApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>();
  app.openapi({ ...usageRoute, middleware: [rateLimit()] }, (c) => {
    const snapshot = c.get('keyUsage');
    if (snapshot === undefined) {
      // A valid key without a snapshot: its account failed open (the gate logged key_account_failed_open).
      if (c.get('client')?.kind === 'api_key') throw usageUnavailable();
      throw new AppError('UNAUTHORIZED', "GET /api/v1/usage needs an API key: 'Authorization: Bearer <api key>'", { headers: { 'www-authenticate': 'Bearer' } });
    }
    const usage = usageJson(snapshot.usage);
    const body: UsageResponse = {
      key: { id: snapshot.id, name: snapshot.name },
      character_count: usage.month.used,
      character_limit: usage.month.limit,
      day: usage.day,
      month: usage.month,
      rate_limit: {
        requests_per_minute: snapshot.rateLimits.requests,
        cost_per_minute: snapshot.rateLimits.cost,
        window_seconds: c.get('services').config.limits.RATE_LIMIT_WINDOW_SECONDS,
      },
      cache_hits_counted: true,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body, 200);
  });
  return app;
}
