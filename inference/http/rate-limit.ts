import type { MiddlewareHandler } from 'hono';
import type { Limits } from '../../shared/limits.js';
import { budgetRateLimitedError, budgetRateLimitHeaders, type BudgetPolicies } from '../../shared/ratelimit/headers.js';
import type { BudgetName } from '../../shared/ratelimit/sliding-window.js';
import { BudgetLimiter } from './budget-limiter.js';
import { requestCost } from './request-cost.js';

export interface StandaloneRateLimitOptions {
  /** Read: RATE_LIMIT_PER_MINUTE, COST_BUDGET_PER_MINUTE, RATE_LIMIT_WINDOW_SECONDS; the validators' limits. */
  limits: Limits;
  now?: () => number;
}

/**
 * Standalone mode (no edge in front): the container charges each client (`clientKey`, its IP here:
 * inference/http/client-key.ts) the edge's two budgets itself, with the same sliding window, headers and
 * 429 (`details.budget`): one request against RATE_LIMIT_PER_MINUTE and its estimated work
 * (shared/cost.ts) against COST_BUDGET_PER_MINUTE. Both must allow it; a refused request spends neither.
 * One instance per app, shared by the routes it is mounted on (`path` says which route charges).
 */
export function standaloneRateLimit(options: StandaloneRateLimitOptions): (path: string) => MiddlewareHandler {
  const { limits } = options;
  const policies: BudgetPolicies = {
    limits: { requests: limits.RATE_LIMIT_PER_MINUTE, cost: limits.COST_BUDGET_PER_MINUTE },
    windowSeconds: limits.RATE_LIMIT_WINDOW_SECONDS,
  };
  const limiter = new BudgetLimiter(policies.limits, policies.windowSeconds * 1000, options.now);
  return (path) => async (c, next) => {
    const costs: Record<BudgetName, number> = { requests: 1, cost: await requestCost(c, path, limits) };
    const decision = limiter.consume(c.get('clientKey'), costs);
    if (!decision.allowed) throw budgetRateLimitedError(policies, decision, costs);
    await next();
    for (const [name, value] of Object.entries(budgetRateLimitHeaders(policies, decision))) c.res.headers.set(name, value);
  };
}
