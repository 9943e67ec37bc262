import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetLogs, consume, consumeBudgets, decide, SlidingWindowLog, type WindowEntry } from '../../../shared/ratelimit/sliding-window.js';

const MINUTE = 60_000;

describe('decide (the one sliding-window rule of the edge and the container)', () => {
  it('allows up to the limit within a window and tells exactly when room frees up', () => {
    const entries: Array<[number, number]> = [];
    for (let t = 0; t < 3; t++) {
      const decision = decide(entries, { limit: 3, cost: 1, windowMs: MINUTE, now: t * 10_000 });
      expect(decision).toMatchObject({ allowed: true, remaining: 2 - t, resetSeconds: 60 - t * 10, retryAfterSeconds: 0 });
      entries.push([t * 10_000, 1]);
    }
    expect(decide(entries, { limit: 3, cost: 1, windowMs: MINUTE, now: 30_000 })).toEqual({ allowed: false, remaining: 0, resetSeconds: 30, retryAfterSeconds: 30 });
    expect(decide(entries, { limit: 3, cost: 1, windowMs: MINUTE, now: 59_999 }).allowed).toBe(false);
    expect(decide(entries, { limit: 3, cost: 1, windowMs: MINUTE, now: 60_000 }).allowed).toBe(true); // the entry at 0 left the window
    expect(decide(entries, { limit: 3, cost: 2, windowMs: MINUTE, now: 60_000 })).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
  });

  it('a cost above the limit is never allowed and waits a full window', () => {
    expect(decide([], { limit: 3, cost: 4, windowMs: MINUTE, now: 0 })).toEqual({ allowed: false, remaining: 3, resetSeconds: 60, retryAfterSeconds: 60 });
  });

  it('the window length is a parameter: 10 s', () => {
    const entries: WindowEntry[] = [[0, 1]];
    expect(decide(entries, { limit: 1, cost: 1, windowMs: 10_000, now: 4_000 })).toEqual({ allowed: false, remaining: 0, resetSeconds: 6, retryAfterSeconds: 6 });
    expect(decide(entries, { limit: 1, cost: 1, windowMs: 10_000, now: 10_000 }).allowed).toBe(true);
  });

  it('reset and retry are whole seconds, at least 1, rounded up', () => {
    const entries: WindowEntry[] = [[0, 1]];
    expect(decide(entries, { limit: 1, cost: 1, windowMs: MINUTE, now: 59_999 })).toMatchObject({ resetSeconds: 1, retryAfterSeconds: 1 });
    expect(decide(entries, { limit: 1, cost: 1, windowMs: MINUTE, now: 58_999 })).toMatchObject({ resetSeconds: 2, retryAfterSeconds: 2 });
  });
});

describe('SlidingWindowLog and consume', () => {
  it('logs only allowed requests and prunes what left the window', () => {
    const log = new SlidingWindowLog();
    const request = (now: number) => consume(log, { limit: 2, cost: 1, windowMs: MINUTE, now });
    expect(request(0).decision.allowed).toBe(true);
    expect(request(1_000).decision.allowed).toBe(true);
    expect(request(2_000).decision.allowed).toBe(false);
    expect(log.entries).toEqual([[0, 1], [1_000, 1]]);
    const later = request(60_500);
    expect(later).toMatchObject({ decision: { allowed: true, remaining: 0 }, pruned: 1 });
    expect(log.entries).toEqual([[1_000, 1], [60_500, 1]]);
  });

  it('keeps the entries in time order even when a caller’s clock steps back', () => {
    const log = new SlidingWindowLog([[5_000, 1], [1_000, 2]]);
    log.add(3_000, 1);
    expect(log.entries).toEqual([[1_000, 2], [3_000, 1], [5_000, 1]]);
    expect(log.newest).toBe(5_000);
  });
});

/** Requests as (gap since the previous one in ms, cost), on a log that starts empty. */
const scenario: fc.Arbitrary<Scenario> = fc.record({
  limit: fc.integer({ min: 1, max: 8 }),
  windowMs: fc.integer({ min: 1_000, max: 120_000 }),
  requests: fc.array(fc.record({ gap: fc.nat({ max: 40_000 }), cost: fc.integer({ min: 1, max: 9 }) }), { maxLength: 120 }),
});

interface Scenario {
  limit: number;
  windowMs: number;
  requests: { gap: number; cost: number }[];
}

function run({ limit, windowMs, requests }: Scenario) {
  const log = new SlidingWindowLog();
  const allowed: Array<[number, number]> = [];
  const refusals: Array<{ now: number; cost: number; retryAfterSeconds: number; snapshot: WindowEntry[] }> = [];
  let now = 1_000_000;
  for (const { gap, cost } of requests) {
    now += gap;
    const snapshot = [...log.entries];
    const { decision } = consume(log, { limit, cost, windowMs, now });
    if (decision.allowed) allowed.push([now, cost]);
    else refusals.push({ now, cost, retryAfterSeconds: decision.retryAfterSeconds, snapshot });
  }
  return { allowed, refusals };
}

describe('properties', () => {
  it('never allows more than `limit` cost in any window', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { allowed } = run(s);
        // The heaviest window ends at an allowed request: check the window (t − window, t] for each.
        for (const [end] of allowed) {
          const spent = allowed.filter(([ts]) => ts > end - s.windowMs && ts <= end).reduce((sum, [, cost]) => sum + cost, 0);
          expect(spent).toBeLessThanOrEqual(s.limit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('Retry-After is the smallest whole number of seconds after which the same request would be allowed', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const refusal of run(s).refusals) {
          const at = (seconds: number) =>
            decide(refusal.snapshot, { limit: s.limit, cost: refusal.cost, windowMs: s.windowMs, now: refusal.now + seconds * 1000 }).allowed;
          if (refusal.cost > s.limit) {
            expect(at(refusal.retryAfterSeconds)).toBe(false); // can never fit: told to wait a window
            continue;
          }
          expect(at(refusal.retryAfterSeconds)).toBe(true);
          expect(at(refusal.retryAfterSeconds - 1)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('what is allowed plus what is left never exceeds the limit, and a request within budget is always allowed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 20 }), (limit, costs) => {
        const log = new SlidingWindowLog();
        let spent = 0;
        for (const cost of costs) {
          const { decision } = consume(log, { limit, cost, windowMs: MINUTE, now: 0 });
          expect(decision.allowed).toBe(spent + cost <= limit);
          if (decision.allowed) spent += cost;
          expect(decision.remaining).toBe(limit - spent);
        }
      }),
    );
  });
});

describe('consumeBudgets: requests and cost decided together', () => {
  const WINDOW = 60_000;
  const step = (logs: BudgetLogs, now: number, cost: number, limits = { requests: 3, cost: 100 }) =>
    consumeBudgets(logs, { budgets: { requests: { limit: limits.requests, cost: 1 }, cost: { limit: limits.cost, cost } }, windowMs: WINDOW, now }).decision;

  it('allows only when both allow, and then logs the request in both', () => {
    const logs = new BudgetLogs();
    expect(step(logs, 0, 20)).toMatchObject({ allowed: true, binding: 'requests' }); // 80/100 left of cost, 2/3 of requests
    const second = step(logs, 1_000, 50);
    expect(second.allowed).toBe(true);
    expect(second.budgets.cost.remaining).toBe(30);
    expect(second.binding).toBe('cost'); // 30/100 left of cost, 1/3 of requests
    expect(logs.logs.requests.entries).toEqual([[0, 1], [1_000, 1]]);
    expect(logs.logs.cost.entries).toEqual([[0, 20], [1_000, 50]]);
  });

  it('a request refused by the cost budget spends neither budget, and says when the cost refills', () => {
    const logs = new BudgetLogs();
    step(logs, 0, 60);
    step(logs, 10_000, 30);
    const refused = step(logs, 20_000, 20);
    expect(refused).toMatchObject({ allowed: false, binding: 'cost' });
    expect(refused.budgets.requests.allowed).toBe(true);
    expect(refused.budgets.requests.remaining).toBe(1); // 2 of 3 used: the refused one is not counted
    expect(refused.budgets.cost.retryAfterSeconds).toBe(40); // the 60 from t = 0 leaves at t = 60 s
    expect(logs.logs.requests.entries).toHaveLength(2);
    expect(logs.logs.cost.entries).toHaveLength(2);
    expect(step(logs, 20_000, 10).allowed).toBe(true); // a cheaper request still fits
  });

  it('a request refused by the request budget spends no cost', () => {
    const logs = new BudgetLogs();
    for (let i = 0; i < 3; i++) step(logs, i, 1);
    const refused = step(logs, 5, 1);
    expect(refused).toMatchObject({ allowed: false, binding: 'requests' });
    expect(refused.budgets.cost.remaining).toBe(97);
    expect(logs.logs.cost.entries.reduce((sum, [, cost]) => sum + cost, 0)).toBe(3);
  });

  it('a cost above the whole budget is never allowed, even on an empty log', () => {
    const logs = new BudgetLogs();
    const refused = step(logs, 0, 101);
    expect(refused).toMatchObject({ allowed: false, binding: 'cost' });
    expect(logs.newest).toBeUndefined();
  });

  it('property: the cost logged in any window never exceeds the limit, and refused requests are never logged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 60 })), { maxLength: 60 }), (steps) => {
        const logs = new BudgetLogs();
        let now = 0;
        let allowed = 0;
        for (const [gap, cost] of steps) {
          now += gap;
          if (step(logs, now, cost, { requests: 5, cost: 100 }).allowed) allowed++;
          const inWindow = (name: 'requests' | 'cost') =>
            logs.logs[name].entries.filter(([ts]) => ts > now - WINDOW).reduce((sum, [, c]) => sum + c, 0);
          expect(inWindow('cost')).toBeLessThanOrEqual(100);
          expect(inWindow('requests')).toBeLessThanOrEqual(5);
        }
        expect(logs.logs.requests.entries.length).toBeLessThanOrEqual(allowed);
      }),
    );
  });

  it('BudgetLogs rebuilds from stored rows (ts, requests, cost)', () => {
    const logs = new BudgetLogs([[5, 1, 30], [1, 1, 20]]);
    expect(logs.logs.cost.entries).toEqual([[1, 20], [5, 30]]);
    expect(logs.newest).toBe(5);
  });
});
