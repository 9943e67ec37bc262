import type { BudgetCharge, BudgetName, BudgetsDecision } from '../../shared/ratelimit/sliding-window.js';
import type { Clock } from '../clock.js';
import type { RateLimiterDurableObject } from './durable-object.js';

export type { BudgetCharge, BudgetName, BudgetsDecision };

/** The limiter behind a small interface, so tests can inject a failing or a fake one. */
export interface RateLimiter {
  /** Charges both budgets of `key` at once, or neither (see RateLimiterDurableObject). */
  consume(key: string, budgets: Record<BudgetName, BudgetCharge>): Promise<BudgetsDecision>;
}

/**
 * The production limiter: one SQLite-backed Durable Object per client key (idFromName), holding an
 * exact log of the requests of the last window (RATE_LIMIT_WINDOW_SECONDS) in memory, written behind
 * (edge/ratelimit/durable-object.ts); one RPC per request decides both budgets. The edge's clock stamps each request, so a test clock drives the window. Built once per
 * isolate; a missing binding fails each call (and the middleware fails open), not the isolate.
 *
 * (Coalescing concurrent requests of one bucket into one RPC was tried and dropped: in workerd a
 * continuation runs in the request context that resolved the promise, so a batch sent after another
 * request's call returns is I/O of a request that may already have finished, and hangs.)
 */
export class DurableObjectRateLimiter implements RateLimiter {
  constructor(
    private readonly namespace: DurableObjectNamespace<RateLimiterDurableObject> | undefined,
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  async consume(key: string, budgets: Record<BudgetName, BudgetCharge>): Promise<BudgetsDecision> {
    if (!this.namespace) throw new Error('the RATE_LIMITER Durable Object binding is missing');
    const stub = this.namespace.get(this.namespace.idFromName(key));
    return await stub.consume(budgets, this.windowMs, this.clock.now());
  }
}
