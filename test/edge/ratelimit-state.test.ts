import { describe, expect, it } from 'vitest';
import { CLEANUP_SLACK_MS, FLUSH_DELAY_MS, nextAlarm } from '../../edge/ratelimit/persisted-state.js';
import { WindowBudgets } from '../../edge/ratelimit/window-budgets.js';

const charge = (requestLimit: number, cost = 1, costLimit = 1_000) => ({ requests: { limit: requestLimit, cost: 1 }, cost: { limit: costLimit, cost } });

describe('WindowBudgets (the limiter object state)', () => {
  it('a restored snapshot decides exactly like the state it was taken from', () => {
    const live = new WindowBudgets();
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 4; i++) live.consume(charge(5, 100 + i), 60_000, t0 + i * 7_000);
    const woken = new WindowBudgets();
    woken.restore(JSON.parse(JSON.stringify(live.snapshot())));
    for (const at of [t0 + 30_000, t0 + 60_001, t0 + 74_000]) {
      expect(woken.consume(charge(5, 50, 500), 60_000, at)).toEqual(live.consume(charge(5, 50, 500), 60_000, at));
    }
    expect(woken.snapshot()).toEqual(live.snapshot());
  });

  it('only an allowed request (or a new window length) is a change worth writing; a refused one is not', () => {
    const budgets = new WindowBudgets();
    expect(budgets.consume(charge(1), 60_000, 1_000).changed).toBe(true);
    expect(budgets.consume(charge(1), 60_000, 2_000)).toMatchObject({ changed: false, decision: { allowed: false } });
    expect(budgets.consume(charge(1), 30_000, 3_000)).toMatchObject({ changed: true, decision: { allowed: false } });
  });

  it('the snapshot keeps the window, so a woken object expires what the caller\'s window says', () => {
    const budgets = new WindowBudgets();
    budgets.consume(charge(5), 120_000, 10_000);
    const woken = new WindowBudgets();
    woken.restore(budgets.snapshot());
    expect(woken.emptyAt()).toBe(130_000);
    woken.expire(100_000);
    expect(woken.snapshot()).toBeDefined();
    woken.expire(130_000);
    expect(woken.snapshot()).toBeUndefined();
    expect(woken.emptyAt()).toBeUndefined();
  });

  it('an unreadable stored value starts empty', () => {
    const budgets = new WindowBudgets();
    for (const value of [undefined, 'garbage', { v: 1, window_ms: 60_000, t: [1, 2], r: [1], c: [1, 1] }, { v: 2 }]) {
      budgets.restore(value);
      expect(budgets.snapshot()).toBeUndefined();
    }
  });
});

describe('nextAlarm', () => {
  const now = 1_000_000;
  it('while a busy client keeps coming, one flush delay later', () => {
    expect(nextAlarm(now, { changes: 2, lastChangeAt: now - FLUSH_DELAY_MS + 1 }, now + 50_000)).toEqual({ at: now + FLUSH_DELAY_MS });
  });
  it('after one request, or once they stopped, when the state empties (plus slack)', () => {
    expect(nextAlarm(now, { changes: 1, lastChangeAt: now - 1 }, now + 50_000)).toEqual({ at: now + 50_000 + CLEANUP_SLACK_MS });
    expect(nextAlarm(now, { changes: 9, lastChangeAt: now - FLUSH_DELAY_MS }, now + 50_000)).toEqual({ at: now + 50_000 + CLEANUP_SLACK_MS });
    expect(nextAlarm(now, { changes: 0, lastChangeAt: undefined }, now - 10)).toEqual({ at: now + CLEANUP_SLACK_MS });
  });
  it('nothing left: delete all storage', () => {
    expect(nextAlarm(now, { changes: 0, lastChangeAt: undefined }, undefined)).toBe('delete-all');
  });
  it('the flush delay stays below the 10 s after which an idle object hibernates', () => {
    expect(FLUSH_DELAY_MS).toBeLessThan(10_000);
  });
});
