import { DEFAULT_LIMITS } from '../../shared/limits.js';
import { BudgetLogs, consumeBudgets, type BudgetCharge, type BudgetName, type BudgetsDecision } from '../../shared/ratelimit/sliding-window.js';
import type { PersistedPart } from './persisted-state.js';

/**
 * What is stored: the window length and the allowed requests of the window, columnar and
 * delta-encoded (t: gaps between timestamps in ms, the first one absolute; r: request counts; c: costs),
 * so a window of N requests is one value of about 10·N bytes, written as one row.
 */
interface WindowSnapshot {
  v: 1;
  window_ms: number;
  t: number[];
  r: number[];
  c: number[];
}

function isSnapshot(value: unknown): value is WindowSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<WindowSnapshot>;
  const numbers = (list: unknown): list is number[] => Array.isArray(list) && list.every((n) => typeof n === 'number' && Number.isFinite(n));
  return s.v === 1 && typeof s.window_ms === 'number' && numbers(s.t) && numbers(s.r) && numbers(s.c) && s.t.length === s.r.length && s.t.length === s.c.length;
}

/**
 * The client's two sliding-window budgets (requests and cost, shared/ratelimit/sliding-window.ts),
 * exact in memory. The window length comes with each call (the edge's RATE_LIMIT_WINDOW_SECONDS) and is
 * kept in the snapshot, so an object woken only by its alarm still knows what has expired.
 */
export class WindowBudgets implements PersistedPart {
  readonly storageKey = 'window';
  private logs = new BudgetLogs();
  private windowMs: number | undefined;

  consume(budgets: Record<BudgetName, BudgetCharge>, windowMs: number, now: number): { decision: BudgetsDecision; changed: boolean } {
    const windowChanged = this.windowMs !== windowMs;
    this.windowMs = windowMs;
    // Pruning alone changes nothing worth writing: expired entries are ignored when read back.
    const { decision } = consumeBudgets(this.logs, { budgets, windowMs, now });
    return { decision, changed: decision.allowed || windowChanged };
  }

  snapshot(): WindowSnapshot | undefined {
    const requests = this.logs.logs.requests.entries;
    if (requests.length === 0) return undefined;
    const costs = this.logs.logs.cost.entries;
    const t: number[] = [];
    let previous = 0;
    for (const [ts] of requests) {
      t.push(ts - previous);
      previous = ts;
    }
    return {
      v: 1,
      window_ms: this.windowMs ?? this.defaultWindowMs(),
      t,
      r: requests.map(([, count]) => count),
      c: costs.map(([, cost]) => cost),
    };
  }

  restore(value: unknown): void {
    this.logs = new BudgetLogs();
    this.windowMs = undefined;
    if (!isSnapshot(value)) return;
    let ts = 0;
    const entries: Array<readonly [number, number, number]> = value.t.map((gap, i) => {
      ts += gap;
      return [ts, value.r[i]!, value.c[i]!] as const;
    });
    this.logs = new BudgetLogs(entries);
    this.windowMs = value.window_ms;
  }

  emptyAt(): number | undefined {
    const newest = this.logs.newest;
    return newest === undefined ? undefined : newest + (this.windowMs ?? this.defaultWindowMs());
  }

  expire(now: number): void {
    this.logs.prune(now - (this.windowMs ?? this.defaultWindowMs()));
  }

  /** A snapshot always has its window; an empty state before any call uses the default one. */
  private defaultWindowMs(): number {
    return DEFAULT_LIMITS.RATE_LIMIT_WINDOW_SECONDS * 1000;
  }
}
