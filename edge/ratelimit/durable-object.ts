import { DurableObject } from 'cloudflare:workers';
import { DEFAULT_LIMITS } from '../../shared/limits.js';
import { BudgetLogs, consumeBudgets, type BudgetCharge, type BudgetName, type BudgetsDecision } from '../../shared/ratelimit/sliding-window.js';

/** Extra time before the clean-up alarm, so it never races the window's last entry. */
const CLEANUP_SLACK_MS = 5_000;

/**
 * One instance per client key (`ip:<address or /64 prefix>` or `key:<sha256 of the API key>`).
 *
 * The exact sliding-window log of shared/ratelimit/sliding-window.ts with its two budgets, requests and
 * cost (estimated work units, shared/cost.ts), decided together in one call: a request is allowed only
 * when both allow it, and a refused one spends neither. Stored in the object's SQLite database: every
 * allowed request is a row (ts, requests, cost). The rows are mirrored in memory (the object is the
 * only writer and runs one request at a time), so a decision costs one INSERT and, now and then, one
 * DELETE of expired rows. An alarm deletes all storage once the window has been idle, so idle clients
 * cost nothing. The window length comes with each call (the edge's RATE_LIMIT_WINDOW_SECONDS) and is
 * stored too, so the alarm of an object that was evicted and woken by it still knows which rows are
 * expired. (The single-budget table `hits` of earlier versions is dropped: at most one window of
 * history is forgotten at that upgrade.)
 */
export class RateLimiterDurableObject extends DurableObject {
  private logs = new BudgetLogs();
  private schemaReady = false;
  private alarmScheduled = false;
  private windowMs: number | undefined;

  private ensureSchema(): void {
    if (this.schemaReady) return;
    const sql = this.ctx.storage.sql;
    sql.exec('DROP TABLE IF EXISTS hits');
    sql.exec('CREATE TABLE IF NOT EXISTS spends (ts INTEGER NOT NULL, requests INTEGER NOT NULL, cost INTEGER NOT NULL)');
    sql.exec('CREATE INDEX IF NOT EXISTS spends_ts ON spends (ts)');
    sql.exec('CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL)');
    const rows = sql.exec<{ ts: number; requests: number; cost: number }>('SELECT ts, requests, cost FROM spends ORDER BY ts').toArray();
    this.logs = new BudgetLogs(rows.map((row) => [row.ts, row.requests, row.cost] as const));
    this.windowMs = sql.exec<{ value: number }>("SELECT value FROM settings WHERE name = 'window_ms'").toArray()[0]?.value;
    this.schemaReady = true;
  }

  private rememberWindow(windowMs: number): void {
    if (this.windowMs === windowMs) return;
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO settings (name, value) VALUES ('window_ms', ?)", windowMs);
    this.windowMs = windowMs;
  }

  /** Called over RPC by the edge. `now` is the edge's clock (injectable in tests). Synchronous SQL: nothing interleaves. */
  async consume(budgets: Record<BudgetName, BudgetCharge>, windowMs: number, now: number): Promise<BudgetsDecision> {
    this.ensureSchema();
    this.rememberWindow(windowMs);
    const sql = this.ctx.storage.sql;
    const { decision, pruned } = consumeBudgets(this.logs, { budgets, windowMs, now });
    if (pruned > 0) sql.exec('DELETE FROM spends WHERE ts <= ?', now - windowMs);
    if (decision.allowed) sql.exec('INSERT INTO spends (ts, requests, cost) VALUES (?, ?, ?)', now, budgets.requests.cost, budgets.cost.cost);
    if (!this.alarmScheduled && this.logs.newest !== undefined) {
      this.alarmScheduled = true;
      await this.ctx.storage.setAlarm(Date.now() + windowMs + CLEANUP_SLACK_MS);
    }
    return decision;
  }

  /** Alarms run on the wall clock; rows carry the edge's clock, which is the wall clock outside tests. */
  override async alarm(): Promise<void> {
    this.ensureSchema();
    // Rows written before the window was stored were written with the default window.
    const windowMs = this.windowMs ?? DEFAULT_LIMITS.RATE_LIMIT_WINDOW_SECONDS * 1000;
    const cutoff = Date.now() - windowMs;
    if (this.logs.prune(cutoff) > 0) this.ctx.storage.sql.exec('DELETE FROM spends WHERE ts <= ?', cutoff);
    const newest = this.logs.newest;
    if (newest === undefined) {
      await this.ctx.storage.deleteAll();
      this.logs = new BudgetLogs();
      this.windowMs = undefined;
      this.schemaReady = false;
      this.alarmScheduled = false;
      return;
    }
    await this.ctx.storage.setAlarm(Math.max(Date.now(), newest) + windowMs + CLEANUP_SLACK_MS);
  }
}
