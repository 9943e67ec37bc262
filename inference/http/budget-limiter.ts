import { BudgetLogs, consumeBudgets, type BudgetName, type BudgetsDecision } from '../../shared/ratelimit/sliding-window.js';

/**
 * The standalone container's two budgets per client (requests and estimated work), with the shared
 * exact sliding window (shared/ratelimit): the edge's Durable Object decides with the same function,
 * only the storage differs. Memory is bounded by keys × entries; keys idle for a whole window are swept.
 */
export class BudgetLimiter {
  private readonly logs = new Map<string, BudgetLogs>();
  private lastSweep = 0;

  constructor(
    private readonly limits: Record<BudgetName, number>,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  consume(key: string, costs: Record<BudgetName, number>): BudgetsDecision {
    const now = this.now();
    this.sweep(now);
    let logs = this.logs.get(key);
    if (!logs) {
      logs = new BudgetLogs();
      this.logs.set(key, logs);
    }
    const { decision } = consumeBudgets(logs, {
      budgets: { requests: { limit: this.limits.requests, cost: costs.requests }, cost: { limit: this.limits.cost, cost: costs.cost } },
      windowMs: this.windowMs,
      now,
    });
    return decision;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, logs] of this.logs) {
      if ((logs.newest ?? 0) <= now - this.windowMs) this.logs.delete(key);
    }
  }
}
