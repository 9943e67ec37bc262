import { describe, expect, it } from 'vitest';
import { quotaExceededError } from '../../edge/keys/errors.js';
import { chargeCharacters, currentCounters, refundCharacters, usageAt, utcDayStart, utcMonthStart, windowEnd, type UsageCounters } from '../../edge/keys/quota.js';

const at = (iso: string) => Date.parse(iso);

describe('UTC quota windows', () => {
  it.each([
    ['2027-03-15T13:45:00.000Z', '2027-03-15T00:00:00.000Z', '2027-03-16T00:00:00.000Z', '2027-03-01T00:00:00.000Z', '2027-04-01T00:00:00.000Z'],
    ['2027-12-31T23:59:59.999Z', '2027-12-31T00:00:00.000Z', '2028-01-01T00:00:00.000Z', '2027-12-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z'],
    ['2028-02-28T12:00:00.000Z', '2028-02-28T00:00:00.000Z', '2028-02-29T00:00:00.000Z', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['2027-01-31T00:00:00.000Z', '2027-01-31T00:00:00.000Z', '2027-02-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z'],
  ])('%s: day %s–%s, month %s–%s', (now, dayStart, dayEnd, monthStart, monthEnd) => {
    const t = at(now);
    expect(new Date(utcDayStart(t)).toISOString()).toBe(dayStart);
    expect(new Date(windowEnd('day', utcDayStart(t))).toISOString()).toBe(dayEnd);
    expect(new Date(utcMonthStart(t)).toISOString()).toBe(monthStart);
    expect(new Date(windowEnd('month', utcMonthStart(t))).toISOString()).toBe(monthEnd);
  });
});

describe('chargeCharacters', () => {
  const limits = { day: 100, month: 250 };

  it('charges both windows, and refuses a request that does not fit whole (spending nothing)', () => {
    const t = at('2027-03-15T10:00:00Z');
    const first = chargeCharacters(undefined, limits, 60, t);
    expect(first).toMatchObject({ allowed: true, counters: { day: 60, month: 60 } });
    const refused = chargeCharacters(first.counters, limits, 41, t);
    expect(refused).toMatchObject({ allowed: false, window: 'day', limit: 100, resetsAt: at('2027-03-16T00:00:00Z'), counters: { day: 60, month: 60 } });
    expect(chargeCharacters(first.counters, limits, 40, t)).toMatchObject({ allowed: true, counters: { day: 100, month: 100 } });
  });

  it('a new UTC day starts the day at zero and keeps the month; a new month starts both', () => {
    let counters: UsageCounters | undefined;
    const spend = (iso: string, n: number) => {
      const decision = chargeCharacters(counters, limits, n, at(iso));
      counters = decision.counters;
      return decision.allowed;
    };
    expect(spend('2027-03-30T23:59:59Z', 100)).toBe(true);
    expect(spend('2027-03-30T23:59:59.999Z', 1)).toBe(false);
    expect(spend('2027-03-31T00:00:00Z', 100)).toBe(true);
    expect(counters).toMatchObject({ day: 100, month: 200 });
    const monthFull = chargeCharacters(counters, limits, 51, at('2027-03-31T12:00:00Z'));
    // the month refuses (it resets last), though the day refuses too
    expect(monthFull).toMatchObject({ allowed: false, window: 'month', limit: 250, resetsAt: at('2027-04-01T00:00:00Z') });
    expect(spend('2027-04-01T00:00:00Z', 100)).toBe(true);
    expect(counters).toMatchObject({ day: 100, month: 100, monthStart: at('2027-04-01T00:00:00Z') });
  });

  it('null limits are unlimited; 0 characters is always allowed, even with a spent quota', () => {
    const t = at('2027-03-15T10:00:00Z');
    expect(chargeCharacters(undefined, { day: null, month: null }, 10_000_000, t).allowed).toBe(true);
    const full = chargeCharacters(undefined, { day: 5, month: null }, 5, t).counters;
    expect(chargeCharacters(full, { day: 5, month: null }, 0, t)).toMatchObject({ allowed: true, counters: { day: 5 } });
    expect(chargeCharacters(full, { day: 5, month: null }, 1, t).allowed).toBe(false);
  });

  it('a request larger than a whole quota is refused by that window (it never fits), even when another window is spent too', () => {
    const t = at('2027-03-15T10:00:00Z');
    const limits = { day: 5, month: 250 };
    const counters = { ...chargeCharacters(undefined, { day: null, month: null }, 248, t).counters, day: 0 };
    expect(chargeCharacters(counters, limits, 8, t)).toMatchObject({ allowed: false, window: 'day', limit: 5 });
    expect(chargeCharacters(counters, limits, 3, t)).toMatchObject({ allowed: false, window: 'month', limit: 250 });
  });

  it('a time before the stored window (a clock slightly behind) counts in the stored window, never reopens an old one', () => {
    const counters = chargeCharacters(undefined, limits, 10, at('2027-04-01T00:00:01Z')).counters;
    const behind = currentCounters(counters, at('2027-03-31T23:59:59Z'));
    expect(behind).toEqual(counters);
  });
});

describe('refundCharacters and usageAt', () => {
  it('a refund lowers only the windows it was charged to', () => {
    const charged = chargeCharacters(undefined, { day: null, month: null }, 30, at('2027-03-15T23:59:00Z'));
    const windows = { dayStart: charged.counters.dayStart, monthStart: charged.counters.monthStart };
    expect(refundCharacters(charged.counters, 30, windows)).toMatchObject({ day: 0, month: 0 });
    const nextDay = chargeCharacters(charged.counters, { day: null, month: null }, 5, at('2027-03-16T00:00:10Z')).counters;
    expect(refundCharacters(nextDay, 30, windows)).toMatchObject({ day: 5, month: 5 });
  });

  it('usage says used, limit, remaining and the reset of each window as of now', () => {
    const counters = chargeCharacters(undefined, { day: 100, month: null }, 30, at('2027-03-15T10:00:00Z')).counters;
    expect(usageAt(counters, { day: 100, month: null }, at('2027-03-15T11:00:00Z'))).toEqual({
      day: { used: 30, limit: 100, remaining: 70, resetsAt: at('2027-03-16T00:00:00Z') },
      month: { used: 30, limit: null, remaining: null, resetsAt: at('2027-04-01T00:00:00Z') },
    });
    expect(usageAt(counters, { day: 100, month: null }, at('2027-03-16T00:00:00Z')).day).toMatchObject({ used: 0, remaining: 100 });
  });
});

describe('quotaExceededError', () => {
  const now = at('2027-03-15T12:00:00Z');
  const resetsAt = at('2027-03-16T00:00:00Z');

  it('a request that fits the quota but not what is left: Retry-After until the reset', () => {
    const error = quotaExceededError({ window: 'day', limit: 20, used: 15, requested: 6, resetsAt }, now);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 429, retryAfterSeconds: 12 * 3600 });
    expect(error.details).toEqual({ quota: 'day', limit: 20, used: 15, requested: 6, resets_at: '2027-03-16T00:00:00.000Z' });
  });

  it('a request larger than the whole quota: never fits, no Retry-After (waiting would not help)', () => {
    const error = quotaExceededError({ window: 'month', limit: 5, used: 0, requested: 8, resetsAt }, now);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 429, retryAfterSeconds: undefined });
    expect(error.details).toEqual({ quota: 'month', limit: 5, used: 0, requested: 8, never_fits: true });
    expect(error.message).toBe("this request has 8 characters; the key's monthly quota is 5: it can never fit — split it or raise the quota");
  });
});
