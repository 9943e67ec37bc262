import type { Context, MiddlewareHandler } from 'hono';
import type { ValidatedBodyVariables } from '../../shared/http/validated-body.js';
import type { Limits } from '../../shared/limits.js';
import { budgetRateLimitedError, budgetRateLimitHeaders, type BudgetPolicies } from '../../shared/ratelimit/headers.js';
import type { BudgetName, BudgetsDecision } from '../../shared/ratelimit/sliding-window.js';
import { BudgetLimiter } from './budget-limiter.js';
import { requestCost } from './request-cost.js';

export interface StandaloneRateLimitOptions {
  /** Read: RATE_LIMIT_PER_MINUTE, COST_BUDGET_PER_MINUTE, RATE_LIMIT_WINDOW_SECONDS. */
  limits: Limits;
  now?: () => number;
}

/**
 * Standalone mode (no edge in front): the container charges each client (`clientKey`, its IP here:
 * inference/http/client-key.ts) the edge's two budgets itself, with the same sliding window, headers and
 * 429 (`details.budget`): one request against RATE_LIMIT_PER_MINUTE and its estimated work
 * (shared/cost.ts) against COST_BUDGET_PER_MINUTE. Both must allow it; a refused request spends neither.
 * As at the edge, the charge comes after the route's own validation, when it sets the validated
 * request (`c.var.input`), so the body is read once and a malformed request spends nothing.
 * One instance per app, shared by the routes it is mounted on (`path` says which route charges).
 */
/** The context variable every body validator of the app sets (shared/http/validated-body.ts, shared/libretranslate/validated-body.ts). */
const INPUT: keyof ValidatedBodyVariables<unknown> = 'input';

/**
 * Runs `charge(input)` at the moment the route's validation sets `c.var.input`, before the route's
 * handler runs: a 429 thrown there is the validation step's error. Hooking the context's `set` (this
 * request's context only) instead of each route's middleware list keeps every validator, JSON or
 * LibreTranslate's form bodies, charged without the routes knowing about budgets.
 */
function chargeWhenValidated(c: Context, charge: (input: unknown) => void): void {
  const set = c.set.bind(c) as (key: string, value: unknown) => void;
  (c as { set: (key: string, value: unknown) => void }).set = (key, value) => {
    if (key === INPUT) charge(value);
    set(key, value);
  };
}

export function standaloneRateLimit(options: StandaloneRateLimitOptions): (path: string) => MiddlewareHandler {
  const { limits } = options;
  const policies: BudgetPolicies = {
    limits: { requests: limits.RATE_LIMIT_PER_MINUTE, cost: limits.COST_BUDGET_PER_MINUTE },
    windowSeconds: limits.RATE_LIMIT_WINDOW_SECONDS,
  };
  const limiter = new BudgetLimiter(policies.limits, policies.windowSeconds * 1000, options.now);
  return (path) => async (c, next) => {
    let decision: BudgetsDecision | undefined;
    const charge = (input: unknown): void => {
      if (decision !== undefined) return; // once per request
      const costs: Record<BudgetName, number> = { requests: 1, cost: requestCost(path, input) };
      const result = limiter.consume(c.get('clientKey'), costs);
      if (!result.allowed) throw budgetRateLimitedError(policies, result, costs);
      decision = result;
    };
    chargeWhenValidated(c, charge);
    await next();
    if (decision === undefined) return;
    for (const [name, value] of Object.entries(budgetRateLimitHeaders(policies, decision))) c.res.headers.set(name, value);
  };
}
