import { AppError } from '../errors.js';
import { BUDGET_NAMES, type BudgetName, type BudgetsDecision, type RateLimitDecision } from './sliding-window.js';

/** The single-budget headers (the earlier drafts' fields), which the container's standalone limiter sends. */
const SINGLE_BUDGET_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'] as const;

/** Every rate-limit header either app sends (IETF draft "RateLimit header fields for HTTP"); CORS exposes them. */
export const RATE_LIMIT_HEADERS = [...SINGLE_BUDGET_HEADERS, 'RateLimit'] as const;

export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
}

/** One budget's headers, in the earlier drafts' syntax (`RateLimit-Policy: 60;w=60`). */
export function rateLimitHeaders(policy: RateLimitPolicy, decision: RateLimitDecision): Record<(typeof SINGLE_BUDGET_HEADERS)[number], string> {
  return {
    'RateLimit-Limit': String(policy.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
    'RateLimit-Policy': `${policy.limit};w=${policy.windowSeconds}`,
  };
}

/** 429 RATE_LIMITED with Retry-After, the RateLimit-* headers and the policy in `details`. */
export function rateLimitedError(policy: RateLimitPolicy, decision: RateLimitDecision): AppError {
  return new AppError(
    'RATE_LIMITED',
    `rate limit of ${policy.limit} requests per ${policy.windowSeconds} s exceeded; retry in ${decision.retryAfterSeconds} s`,
    {
      retryAfterSeconds: decision.retryAfterSeconds,
      headers: rateLimitHeaders(policy, decision),
      details: { limit: policy.limit, window_seconds: policy.windowSeconds, retry_after_seconds: decision.retryAfterSeconds },
    },
  );
}

/** The edge's two budgets of one client, per window. */
export interface BudgetPolicies {
  limits: Record<BudgetName, number>;
  windowSeconds: number;
}

/**
 * The quota unit of each budget: "requests" is the draft's registered unit; the cost budget counts work
 * units (shared/cost.ts), which the draft has no registered name for, so it carries our own token.
 */
const QUOTA_UNIT: Record<BudgetName, string> = { requests: 'requests', cost: 'work-units' };

/**
 * The headers of a two-budget decision, following draft-ietf-httpapi-ratelimit-headers (-08 and later,
 * Structured Fields, RFC 9651):
 * - `RateLimit-Policy`: every policy, a List of Items named by a String, `q` quota, `qu` quota unit,
 *   `w` window seconds: `"requests";q=60;qu="requests";w=60, "cost";q=20000;qu="work-units";w=60`;
 * - `RateLimit`: the policy that bound (see BudgetsDecision.binding), `r` remaining, `t` seconds until
 *   it next grows: `"cost";r=1200;t=42`;
 * - `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`: the binding policy again, in the
 *   earlier drafts' fields that existing clients read.
 */
export function budgetRateLimitHeaders(policies: BudgetPolicies, decision: BudgetsDecision): Record<(typeof RATE_LIMIT_HEADERS)[number], string> {
  const name = decision.binding;
  const bound = decision.budgets[name];
  return {
    'RateLimit-Limit': String(policies.limits[name]),
    'RateLimit-Remaining': String(bound.remaining),
    'RateLimit-Reset': String(bound.resetSeconds),
    'RateLimit-Policy': BUDGET_NAMES.map((budget) => `"${budget}";q=${policies.limits[budget]};qu="${QUOTA_UNIT[budget]}";w=${policies.windowSeconds}`).join(', '),
    RateLimit: `"${name}";r=${bound.remaining};t=${bound.resetSeconds}`,
  };
}

/**
 * 429 RATE_LIMITED for a refused two-budget decision: says which budget (`details.budget`) and when it
 * refills (Retry-After). A request that costs more than its whole budget can never be admitted: the
 * message says so and there is no Retry-After (waiting would not help); `details.never_admitted` is true.
 */
export function budgetRateLimitedError(policies: BudgetPolicies, decision: BudgetsDecision, costs: Record<BudgetName, number>): AppError {
  const budget = decision.binding;
  const limit = policies.limits[budget];
  const retryAfter = decision.budgets[budget].retryAfterSeconds;
  const headers = budgetRateLimitHeaders(policies, decision);
  const window = `per ${policies.windowSeconds} s`;
  if (costs[budget] > limit) {
    return new AppError(
      'RATE_LIMITED',
      `this request costs ${costs[budget]} work units, more than the whole cost budget of ${limit} ${window}, so it is never admitted; send less text, fewer beams or alternatives, or use an API key with a larger cost budget`,
      { headers, details: { budget, limit, window_seconds: policies.windowSeconds, request_cost: costs[budget], never_admitted: true } },
    );
  }
  const what = budget === 'requests' ? `rate limit of ${limit} requests ${window}` : `cost budget of ${limit} work units ${window} (this request costs ${costs.cost})`;
  return new AppError('RATE_LIMITED', `${what} exceeded; retry in ${retryAfter} s`, {
    retryAfterSeconds: retryAfter,
    headers,
    details: { budget, limit, window_seconds: policies.windowSeconds, retry_after_seconds: retryAfter, request_cost: costs[budget] },
  });
}
