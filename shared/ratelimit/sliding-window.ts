/**
 * The exact sliding-window rate limit, independent of storage. The edge's Durable Object keeps the log
 * in SQLite (mirrored in a SlidingWindowLog), the standalone container in a Map of SlidingWindowLogs;
 * both decide with `decide` below, so "N per window" means the same on both sides.
 *
 * The rule: a request of `cost` at `now` is allowed when the costs logged in (now − window, now] plus
 * its own stay within `limit`. Only allowed requests are logged, so a client that keeps hammering while
 * limited regains capacity exactly one window after its earlier requests (no fixed-window 2x burst at a
 * boundary, no penalty for retries).
 */

/** One allowed request: when (ms) and what it cost. */
export type WindowEntry = readonly [timestampMs: number, cost: number];

export interface RateLimitRequest {
  limit: number;
  cost: number;
  windowMs: number;
  now: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Units left in the window after this request (0 when refused). */
  remaining: number;
  /**
   * Seconds until the oldest counted request (this one included, when allowed) leaves the window, i.e.
   * until `remaining` next grows; at least 1.
   */
  resetSeconds: number;
  /** Seconds until a request of this cost would be allowed (0 when allowed; at least 1 when refused). */
  retryAfterSeconds: number;
}

/** Whole seconds, rounded up, at least 1: a header that says 0 invites an immediate, refused retry. */
const wholeSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** `entries` in ascending time order (older ones than the window are ignored, not required to be gone). */
export function decide(entries: readonly WindowEntry[], request: RateLimitRequest): RateLimitDecision {
  const { limit, cost, windowMs, now } = request;
  const cutoff = now - windowMs;
  let used = 0;
  let oldest: number | undefined;
  for (const [ts, entryCost] of entries) {
    if (ts <= cutoff) continue;
    used += entryCost;
    oldest ??= ts;
  }
  const resetSeconds = wholeSeconds((oldest ?? now) + windowMs - now);

  if (used + cost <= limit) {
    return { allowed: true, remaining: limit - used - cost, resetSeconds, retryAfterSeconds: 0 };
  }
  // Refused: wait until enough of the oldest entries leave the window to make room for `cost`; a cost
  // above the limit can never fit, and is told to wait a whole window.
  let retryAt = now + windowMs;
  if (cost <= limit) {
    const need = used + cost - limit;
    let freed = 0;
    for (const [ts, entryCost] of entries) {
      if (ts <= cutoff) continue;
      freed += entryCost;
      if (freed >= need) {
        retryAt = ts + windowMs;
        break;
      }
    }
  }
  return { allowed: false, remaining: Math.max(0, limit - used), resetSeconds, retryAfterSeconds: wholeSeconds(retryAt - now) };
}

/** The in-memory log of one client: entries kept sorted by time, expired ones pruned on demand. */
export class SlidingWindowLog {
  private readonly log: Array<[number, number]> = [];

  constructor(entries: Iterable<WindowEntry> = []) {
    for (const [ts, cost] of entries) this.add(ts, cost);
  }

  get entries(): readonly WindowEntry[] {
    return this.log;
  }

  /** The newest timestamp, if any. */
  get newest(): number | undefined {
    return this.log.at(-1)?.[0];
  }

  /** Drops the entries at or before `cutoff`; returns how many were dropped. */
  prune(cutoff: number): number {
    let expired = 0;
    while (expired < this.log.length && this.log[expired]![0] <= cutoff) expired++;
    if (expired > 0) this.log.splice(0, expired);
    return expired;
  }

  /** Logs an allowed request, keeping the order even if a caller's clock steps back a little. */
  add(ts: number, cost: number): void {
    let at = this.log.length;
    while (at > 0 && this.log[at - 1]![0] > ts) at--;
    this.log.splice(at, 0, [ts, cost]);
  }
}

/**
 * The whole step for a log held in memory: prune what left the window, decide, log the request when it
 * is allowed. Returns the decision and how many entries were pruned (a store that mirrors the log, like
 * the Durable Object's SQLite table, deletes those too).
 */
export function consume(log: SlidingWindowLog, request: RateLimitRequest): { decision: RateLimitDecision; pruned: number } {
  const pruned = log.prune(request.now - request.windowMs);
  const decision = decide(log.entries, request);
  if (decision.allowed) log.add(request.now, request.cost);
  return { decision, pruned };
}

/** The two budgets every client has: a request count and estimated model work (shared/cost.ts). */
export const BUDGET_NAMES = ['requests', 'cost'] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];

/** One budget's side of a request: the budget's limit and what this request spends of it. */
export interface BudgetCharge {
  limit: number;
  cost: number;
}

export interface BudgetsRequest {
  budgets: Record<BudgetName, BudgetCharge>;
  windowMs: number;
  now: number;
}

export interface BudgetsDecision {
  /** Both budgets allowed it; then (and only then) it was logged in both. */
  allowed: boolean;
  /** Each budget's own decision, as if it were alone. */
  budgets: Record<BudgetName, RateLimitDecision>;
  /**
   * The budget that bound: when refused, the one that refused (the one with the longer wait when both
   * did); when allowed, the one with the smaller share of its limit left (requests on a tie).
   */
  binding: BudgetName;
}

/** The logs of one client's two budgets; an allowed request is an entry in both, at the same time. */
export class BudgetLogs {
  readonly logs: Record<BudgetName, SlidingWindowLog>;

  constructor(entries: Iterable<readonly [timestampMs: number, requests: number, cost: number]> = []) {
    this.logs = { requests: new SlidingWindowLog(), cost: new SlidingWindowLog() };
    for (const [ts, requests, cost] of entries) this.add(ts, { requests, cost });
  }

  get newest(): number | undefined {
    return this.logs.requests.newest;
  }

  prune(cutoff: number): number {
    this.logs.cost.prune(cutoff);
    return this.logs.requests.prune(cutoff);
  }

  add(ts: number, costs: Record<BudgetName, number>): void {
    for (const name of BUDGET_NAMES) this.logs[name].add(ts, costs[name]);
  }
}

function bindingBudget(budgets: Record<BudgetName, RateLimitDecision>, request: BudgetsRequest): BudgetName {
  const { requests, cost } = budgets;
  if (!requests.allowed || !cost.allowed) {
    if (requests.allowed) return 'cost';
    if (cost.allowed) return 'requests';
    return cost.retryAfterSeconds > requests.retryAfterSeconds ? 'cost' : 'requests';
  }
  const share = (name: BudgetName) => budgets[name].remaining / request.budgets[name].limit;
  return share('cost') < share('requests') ? 'cost' : 'requests';
}

/**
 * Both budgets in one step, for a log held in memory: prune, let each budget decide with `decide`,
 * and log the request in both only when both allow it (a refused request spends neither).
 */
export function consumeBudgets(logs: BudgetLogs, request: BudgetsRequest): { decision: BudgetsDecision; pruned: number } {
  const pruned = logs.prune(request.now - request.windowMs);
  const budgets = {
    requests: decide(logs.logs.requests.entries, { ...request.budgets.requests, windowMs: request.windowMs, now: request.now }),
    cost: decide(logs.logs.cost.entries, { ...request.budgets.cost, windowMs: request.windowMs, now: request.now }),
  };
  const allowed = budgets.requests.allowed && budgets.cost.allowed;
  if (allowed) logs.add(request.now, { requests: request.budgets.requests.cost, cost: request.budgets.cost.cost });
  else {
    // Refused by one budget, the other did not spend: its `remaining` is what it has now.
    for (const name of BUDGET_NAMES) {
      const own = budgets[name];
      if (own.allowed) budgets[name] = { ...own, remaining: own.remaining + request.budgets[name].cost };
    }
  }
  return { decision: { allowed, budgets, binding: bindingBudget(budgets, request) }, pruned };
}
