import { describe, expect, it } from 'vitest';
import { budgetRateLimitedError, budgetRateLimitHeaders, rateLimitHeaders } from '../../../shared/ratelimit/headers.js';
import { BudgetLogs, consumeBudgets, type BudgetsDecision } from '../../../shared/ratelimit/sliding-window.js';

const policies = { limits: { requests: 60, cost: 20_000 }, windowSeconds: 60 };

function decisionAfter(spends: Array<[now: number, cost: number]>, now: number, cost: number): BudgetsDecision {
  const logs = new BudgetLogs();
  const charge = (c: number) => ({ requests: { limit: 60, cost: 1 }, cost: { limit: 20_000, cost: c } });
  for (const [t, c] of spends) consumeBudgets(logs, { budgets: charge(c), windowMs: 60_000, now: t });
  return consumeBudgets(logs, { budgets: charge(cost), windowMs: 60_000, now }).decision;
}

describe('budgetRateLimitHeaders (draft-ietf-httpapi-ratelimit-headers, structured fields)', () => {
  it('RateLimit-Policy lists both policies; RateLimit and the legacy fields describe the binding one', () => {
    const headers = budgetRateLimitHeaders(policies, decisionAfter([], 0, 19_000));
    expect(headers['RateLimit-Policy']).toBe('"requests";q=60;qu="requests";w=60, "cost";q=20000;qu="work-units";w=60');
    expect(headers.RateLimit).toBe('"cost";r=1000;t=60');
    expect(headers['RateLimit-Limit']).toBe('20000');
    expect(headers['RateLimit-Remaining']).toBe('1000');
    expect(headers['RateLimit-Reset']).toBe('60');
  });

  it('a cheap request is bound by the request count', () => {
    const headers = budgetRateLimitHeaders(policies, decisionAfter([], 0, 10));
    expect(headers.RateLimit).toBe('"requests";r=59;t=60');
    expect(headers['RateLimit-Limit']).toBe('60');
  });

  it('the single-budget form the standalone container sends is unchanged', () => {
    expect(rateLimitHeaders({ limit: 5, windowSeconds: 30 }, { allowed: true, remaining: 4, resetSeconds: 30, retryAfterSeconds: 0 })['RateLimit-Policy']).toBe('5;w=30');
  });
});

describe('budgetRateLimitedError', () => {
  it('names the cost budget, the request cost and when it refills', () => {
    const decision = decisionAfter([[0, 15_000]], 20_000, 6_000);
    const error = budgetRateLimitedError(policies, decision, { requests: 1, cost: 6_000 });
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(40);
    expect(error.details).toEqual({ budget: 'cost', limit: 20_000, window_seconds: 60, retry_after_seconds: 40, request_cost: 6_000 });
    expect(error.message).toMatch(/cost budget of 20000 work units per 60 s.*retry in 40 s/);
    expect(error.headers?.RateLimit).toBe('"cost";r=5000;t=40');
  });

  it('a request costlier than the whole budget is told it is never admitted, with no Retry-After', () => {
    const decision = decisionAfter([], 0, 25_000);
    const error = budgetRateLimitedError(policies, decision, { requests: 1, cost: 25_000 });
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.details).toMatchObject({ budget: 'cost', never_admitted: true, request_cost: 25_000 });
    expect(error.message).toMatch(/more than the whole cost budget of 20000 .*never admitted/);
  });
});
