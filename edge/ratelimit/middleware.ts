import type { Context, MiddlewareHandler } from 'hono';
import { DETECT_COST, estimateCost, type CostRequest } from '../../shared/cost.js';
import { budgetRateLimitedError, budgetRateLimitHeaders, type BudgetPolicies } from '../../shared/ratelimit/headers.js';
import type { BudgetName } from '../../shared/ratelimit/sliding-window.js';
import type { EdgeEnv } from '../context.js';
import { describeError, log } from '../log.js';
import { accountGate } from '../keys/gate.js';
import { identifyClient } from './client-key.js';

/** A request counts 1 against the request budget, a batch too (its work is what the cost budget counts). */
export const REQUEST_COUNT = 1;

function bodyApiKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('api_key' in body)) return undefined;
  return typeof body.api_key === 'string' ? body.api_key : undefined;
}

/** A normalised translate request (shared/contract/validate.ts); any other route's input is not one, whatever its fields. */
function isTranslateInput(input: unknown): input is CostRequest {
  if (typeof input !== 'object' || input === null || !('texts' in input) || !('options' in input)) return false;
  const { texts, options } = input;
  return Array.isArray(texts) && texts.every((text) => typeof text === 'string') && typeof options === 'object' && options !== null;
}

/** The cost budget's charge: the validated request's estimated work (shared/cost.ts); detection costs DETECT_COST. */
function requestCost(c: Context<EdgeEnv>): number {
  const input: unknown = (c.var as { input?: unknown }).input;
  return isTranslateInput(input) ? estimateCost(input) : DETECT_COST;
}

/**
 * Charges the request to its client's two budgets (translate and detect routes, LibreTranslate ones
 * included; it runs after validation, so malformed requests are refused without spending budget or a
 * Durable Object call): RATE_LIMIT_PER_MINUTE requests and COST_BUDGET_PER_MINUTE work units (or the API
 * key's own) per RATE_LIMIT_WINDOW_SECONDS, in one Durable Object call; both must allow it, a refused
 * request spends neither. RateLimit-* headers state the policies and the one that bound; a 429 says
 * which budget refused (`details.budget`) and when it refills (Retry-After). A request with an invalid
 * API key is charged to its IP's budgets, then answered 401 (edge/ratelimit/client-key.ts).
 *
 * Failure policy: FAIL-OPEN. If the limiter itself fails (the Durable Object throws or is unreachable),
 * the request is served without RateLimit-* headers, an error line `rate_limiter_failed_open` is
 * logged and the `rate_limiter_failures` counter of GET /health grows. Availability of translations
 * is preferred over strict limiting during a limiter outage; the origin's own admission control
 * (bounded queue, 503 OVERLOADED) still protects the container. (An invalid key is still 401.)
 */
export function rateLimit(options: { acceptBodyApiKey?: boolean } = {}): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const services = c.get('services');
    const { limits, ipv6PrefixBits } = services.config;
    const identity = await identifyClient(c, options.acceptBodyApiKey ? bodyApiKey(c.get('body')) : undefined, {
      requestsPerWindow: limits.RATE_LIMIT_PER_MINUTE,
      costPerWindow: limits.COST_BUDGET_PER_MINUTE,
      ipv6PrefixBits,
    });
    next = accountGate(c, identity, next); // an API key's account: revocation, character quotas (edge/keys/gate.ts)
    const costs: Record<BudgetName, number> = { requests: REQUEST_COUNT, cost: requestCost(c) };
    const policies: BudgetPolicies = { limits: identity.limits, windowSeconds: limits.RATE_LIMIT_WINDOW_SECONDS };
    let decision;
    try {
      decision = await services.limiter.consume(identity.bucket, {
        requests: { limit: identity.limits.requests, cost: costs.requests },
        cost: { limit: identity.limits.cost, cost: costs.cost },
      });
    } catch (err) {
      services.metrics.rate_limiter_failures++;
      log('error', 'rate_limiter_failed_open', {
        request_id: c.get('requestId'),
        client_kind: identity.kind,
        error: describeError(err),
        failures: services.metrics.rate_limiter_failures,
      });
      if (identity.refusal) throw identity.refusal;
      c.set('client', identity); // the key still acts for its owner (glossaries) while the limiter is down
      await next();
      return;
    }
    if (!decision.allowed) throw budgetRateLimitedError(policies, decision, costs);
    if (identity.refusal) throw identity.refusal;
    c.set('client', identity);
    await next();
    for (const [name, value] of Object.entries(budgetRateLimitHeaders(policies, decision))) c.res.headers.set(name, value);
  };
}
