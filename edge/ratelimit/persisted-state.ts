/**
 * The limiter Durable Object keeps its state in memory and writes it behind (edge/ratelimit/durable-object.ts).
 * Each kind of state is one PersistedPart under its own storage key: today the sliding-window budgets
 * (WindowBudgets); per-key daily/monthly quotas would be another part, without touching the object's
 * persistence or alarm logic.
 */
export interface PersistedPart {
  /** Its key in the object's synchronous KV storage (ctx.storage.kv). */
  readonly storageKey: string;
  /** The state as a JSON-able value, or undefined when it holds nothing (its key is then deleted). */
  snapshot(): unknown;
  /** Rebuilds the state from a value `snapshot` returned (an unreadable one starts it empty). */
  restore(value: unknown): void;
  /**
   * When (ms, on the clock its entries carry) the state will hold nothing unless something is added; undefined
   * when it already holds nothing. The object deletes its storage once every part is empty.
   */
  emptyAt(): number | undefined;
  /** Drops what has expired by `now` (wall clock: alarms run on it). */
  expire(now: number): void;
}

/**
 * How long an allowed request may stay only in memory. Cloudflare hibernates (drops the memory of) an
 * idle object after 10 s without events ("currently", per its lifecycle docs), so the flush alarm must
 * fire before that: a change is on disk at most FLUSH_DELAY_MS after it was made, and hibernation never
 * loses it (2 s of margin for the alarm's delivery). Only an abrupt restart (a deploy, a crash, the
 * object moving) can lose the last FLUSH_DELAY_MS of changes. Longer is cheaper for a busy client (one
 * snapshot and one alarm per delay, bench/COST.md) but must stay below the hibernation delay.
 */
export const FLUSH_DELAY_MS = 8_000;

/** Extra time before the clean-up alarm, so it never races the state's last entry. */
export const CLEANUP_SLACK_MS = 5_000;

export type NextAlarm = { at: number } | 'delete-all';

/** What the object saw since its previous alarm. */
export interface Activity {
  /** Changes (allowed requests) since the previous alarm. */
  changes: number;
  /** Wall-clock time of the last one, if any. */
  lastChangeAt: number | undefined;
}

/**
 * What the object's alarm does next, after flushing: while a busy client keeps coming (more than one
 * change since the previous alarm, the last within FLUSH_DELAY_MS) it fires again one flush delay
 * later, so a busy object sets no alarm on the request path; otherwise (a single request, or requests
 * that stopped) it fires when the state empties, and then the object deletes all its storage.
 */
export function nextAlarm(now: number, activity: Activity, emptyAt: number | undefined): NextAlarm {
  const busy = activity.changes > 1 && activity.lastChangeAt !== undefined && now - activity.lastChangeAt < FLUSH_DELAY_MS;
  if (busy) return { at: now + FLUSH_DELAY_MS };
  if (emptyAt === undefined) return 'delete-all';
  return { at: Math.max(now, emptyAt) + CLEANUP_SLACK_MS };
}
