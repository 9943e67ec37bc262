import { DurableObject } from 'cloudflare:workers';
import type { BudgetCharge, BudgetName, BudgetsDecision } from '../../shared/ratelimit/sliding-window.js';
import { describeError, log } from '../log.js';
import { FLUSH_DELAY_MS, nextAlarm, type Activity, type PersistedPart } from './persisted-state.js';
import { WindowBudgets } from './window-budgets.js';

/** Tables of earlier versions (one row per request); dropped when found, forgetting at most one window. */
const LEGACY_TABLES = ['spends', 'settings', 'hits'];

/**
 * One instance per client key (`ip:<address or /64 prefix>` or `key:<sha256 of the API key>`): the
 * exact sliding-window budgets of shared/ratelimit/sliding-window.ts, requests and cost decided
 * together (a request is allowed only when both allow it; a refused one spends neither).
 *
 * The state lives in memory, where every decision is made: the object is the only writer and runs
 * one event at a time, so decisions are exact. Storage is written behind, never per request: the
 * first change after a quiet spell sets an alarm FLUSH_DELAY_MS later, which writes the state as one
 * value per part (one row written) and, while a busy client keeps coming, fires again one delay later.
 * So a busy client costs two rows written (the snapshot and the alarm) and one alarm invocation per
 * FLUSH_DELAY_MS, whatever its request rate, and a refused request writes nothing. Once the window
 * empties, the alarm deletes all storage, so idle clients cost nothing (bench/COST.md counts it all). A woken object (after
 * hibernation or eviction) reads its state back on its first event.
 *
 * Exactness: hibernation (after 10 s idle) never loses a change, since the flush comes first. An abrupt
 * restart (a deploy, a crash, the object moving) loses the changes of at most the last FLUSH_DELAY_MS:
 * after one, a client may spend up to what it spent in those few seconds once more within its window.
 *
 * More state (per-key daily or monthly quotas) plugs in as another PersistedPart in `parts`, checked in
 * `consume` beside the window budgets.
 */
export class RateLimiterDurableObject extends DurableObject {
  private readonly budgets = new WindowBudgets();
  private readonly parts: readonly PersistedPart[] = [this.budgets];
  private loaded = false;
  private dirty = false;
  /** Changes since the previous alarm, and the wall-clock time of the last (alarms run on the wall clock). */
  private activity: Activity = { changes: 0, lastChangeAt: undefined };
  /** The pending alarm as this instance knows it (read from storage once per wake). */
  private alarmAt: number | null = null;

  private async load(): Promise<void> {
    if (this.loaded) return;
    const storage = this.ctx.storage;
    const legacy = storage.sql
      .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${LEGACY_TABLES.map(() => '?').join(', ')})`, ...LEGACY_TABLES)
      .toArray();
    for (const { name } of legacy) storage.sql.exec(`DROP TABLE ${name}`);
    for (const part of this.parts) part.restore(storage.kv.get(part.storageKey));
    this.alarmAt = await storage.getAlarm();
    this.loaded = true;
  }

  /** Called over RPC by the edge. `now` is the edge's clock (injectable in tests). */
  async consume(budgets: Record<BudgetName, BudgetCharge>, windowMs: number, now: number): Promise<BudgetsDecision> {
    await this.load();
    const { decision, changed } = this.budgets.consume(budgets, windowMs, now);
    if (changed) await this.changed();
    return decision;
  }

  /** Something worth keeping changed: make sure a flush comes within FLUSH_DELAY_MS. */
  private async changed(): Promise<void> {
    this.dirty = true;
    const wallNow = Date.now();
    this.activity = { changes: this.activity.changes + 1, lastChangeAt: wallNow };
    if (this.alarmAt !== null && this.alarmAt <= wallNow + FLUSH_DELAY_MS) return;
    this.alarmAt = wallNow + FLUSH_DELAY_MS;
    await this.ctx.storage.setAlarm(this.alarmAt);
  }

  /** Writes every part's state (one row each), or deletes the key of a part that holds nothing. */
  private flush(): void {
    const kv = this.ctx.storage.kv;
    for (const part of this.parts) {
      const value = part.snapshot();
      try {
        if (value === undefined) kv.delete(part.storageKey);
        else kv.put(part.storageKey, value);
      } catch (err) {
        // Decisions stay exact in memory; only surviving an eviction is at stake. Retried at the next flush.
        log('error', 'rate_limiter_flush_failed', { part: part.storageKey, error: describeError(err) });
        return;
      }
    }
    this.dirty = false;
  }

  /** Alarms run on the wall clock; entries carry the edge's clock, which is the wall clock outside tests. */
  override async alarm(): Promise<void> {
    await this.load();
    const now = Date.now();
    // What expired needs no write of its own: expired entries are ignored when read back.
    for (const part of this.parts) part.expire(now);
    if (this.dirty) this.flush();
    const emptyAts = this.parts.map((part) => part.emptyAt()).filter((at): at is number => at !== undefined);
    const next = nextAlarm(now, this.activity, emptyAts.length === 0 ? undefined : Math.max(...emptyAts));
    this.activity = { changes: 0, lastChangeAt: this.activity.lastChangeAt };
    if (next === 'delete-all') {
      await this.ctx.storage.deleteAll();
      this.alarmAt = null;
      this.dirty = false;
      return;
    }
    this.alarmAt = next.at;
    await this.ctx.storage.setAlarm(next.at);
  }
}
