/**
 * Character quotas of an API key: a daily and a monthly count of characters served, in calendar windows
 * that reset at 00:00 UTC (the day) and at 00:00 UTC on the 1st (the month). Pure functions over the
 * counters and a time given by the caller (the edge's clock), so tests move time across a day or month
 * boundary without sleeping; KeyAccountDurableObject keeps the counters and calls these.
 */

export type QuotaWindow = 'day' | 'month';

/** The quotas of a key; null = unlimited. */
export interface QuotaLimits {
  day: number | null;
  month: number | null;
}

/** The characters counted in the current day and month, and when those windows began (ms since epoch). */
export interface UsageCounters {
  dayStart: number;
  day: number;
  monthStart: number;
  month: number;
}

export function utcDayStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

export function utcMonthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** When the window that began at `start` ends (Date.UTC normalises day 32 and month 13). */
export function windowEnd(window: QuotaWindow, start: number): number {
  const date = new Date(start);
  return window === 'day'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/**
 * The counters as they stand at `now`: a window that has ended starts over at zero. Windows only move
 * forward: a `now` before the stored window (another isolate's clock a little behind) counts in the
 * stored window rather than reopening an old one.
 */
export function currentCounters(counters: UsageCounters | undefined, now: number): UsageCounters {
  const dayStart = utcDayStart(now);
  const monthStart = utcMonthStart(now);
  if (counters === undefined) return { dayStart, day: 0, monthStart, month: 0 };
  const newDay = dayStart > counters.dayStart;
  const newMonth = monthStart > counters.monthStart;
  return {
    dayStart: newDay ? dayStart : counters.dayStart,
    day: newDay ? 0 : counters.day,
    monthStart: newMonth ? monthStart : counters.monthStart,
    month: newMonth ? 0 : counters.month,
  };
}

export type ChargeDecision =
  | { allowed: true; counters: UsageCounters }
  /**
   * `window` is a window whose whole limit is below the request if there is one, else the exhausted
   * window that resets last (both must allow a request); `resetsAt` is its end.
   */
  | { allowed: false; counters: UsageCounters; window: QuotaWindow; limit: number; resetsAt: number };

/**
 * Charges `characters` to both windows if both have room, else neither. A request of 0 characters is
 * always allowed (it reads, it does not spend). A request larger than what is left is refused whole:
 * nothing is served partly. A request larger than a whole quota is refused by that window first
 * (it never fits, whatever the other window says: the caller must hear that, not "wait").
 */
export function chargeCharacters(counters: UsageCounters | undefined, limits: QuotaLimits, characters: number, now: number): ChargeDecision {
  const current = currentCounters(counters, now);
  if (characters <= 0) return { allowed: true, counters: current };
  // the day first: its limit is the smaller as a rule, so it names the quota to raise
  const neverFits = (['day', 'month'] as const).find((window) => {
    const limit = limits[window];
    return limit !== null && characters > limit;
  });
  const over = (['month', 'day'] as const).filter((window) => {
    const limit = limits[window];
    return limit !== null && current[window] + characters > limit;
  });
  const refusing = neverFits ?? over[0];
  if (refusing !== undefined) {
    const start = refusing === 'day' ? current.dayStart : current.monthStart;
    return { allowed: false, counters: current, window: refusing, limit: limits[refusing]!, resetsAt: windowEnd(refusing, start) };
  }
  return { allowed: true, counters: { ...current, day: current.day + characters, month: current.month + characters } };
}

/**
 * Gives back a charge whose request was not served (an error answered it). Only to the windows it was
 * charged to: a refund after midnight does not lower the new day's count.
 */
export function refundCharacters(counters: UsageCounters, characters: number, charged: { dayStart: number; monthStart: number }): UsageCounters {
  return {
    ...counters,
    day: counters.dayStart === charged.dayStart ? Math.max(0, counters.day - characters) : counters.day,
    month: counters.monthStart === charged.monthStart ? Math.max(0, counters.month - characters) : counters.month,
  };
}

export interface WindowUsage {
  used: number;
  limit: number | null;
  /** null when unlimited. */
  remaining: number | null;
  /** ms since epoch. */
  resetsAt: number;
}

/** What GET /api/v1/usage says about each window at `now`. */
export function usageAt(counters: UsageCounters | undefined, limits: QuotaLimits, now: number): Record<QuotaWindow, WindowUsage> {
  const current = currentCounters(counters, now);
  const view = (window: QuotaWindow, start: number): WindowUsage => {
    const limit = limits[window];
    return { used: current[window], limit, remaining: limit === null ? null : Math.max(0, limit - current[window]), resetsAt: windowEnd(window, start) };
  };
  return { day: view('day', current.dayStart), month: view('month', current.monthStart) };
}
