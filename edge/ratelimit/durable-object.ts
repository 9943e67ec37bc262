import { DurableObject } from 'cloudflare:workers';
import type { RateLimitDecision } from './limiter.js';
import { decide } from './sliding-log.js';

/** Extra time before the clean-up alarm, so it never races the window's last entry. */
const CLEANUP_SLACK_MS = 5_000;

/**
 * One instance per client key (`ip:<CF-Connecting-IP>` or `key:<sha256 of the API key>`).
 *
 * Exact sliding-window log: every allowed request is a row (ts, cost) in the object's SQLite
 * database; a request is allowed when the costs of the rows newer than now − window, plus its own,
 * stay within the limit. Refused requests are not logged, so a client that keeps hammering while
 * limited regains capacity exactly one window after its earlier requests. The rows are mirrored in
 * memory (the object is the only writer and runs one request at a time), so a decision costs one
 * INSERT and, now and then, one DELETE of expired rows. An alarm deletes all storage once the
 * window has been idle, so idle clients cost nothing.
 */
export class RateLimiterDurableObject extends DurableObject {
  private entries: Array<[number, number]> = [];
  private schemaReady = false;
  private alarmScheduled = false;
  private windowMs = 60_000;

  private ensureSchema(): void {
    if (this.schemaReady) return;
    const sql = this.ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS hits (ts INTEGER NOT NULL, cost INTEGER NOT NULL)');
    sql.exec('CREATE INDEX IF NOT EXISTS hits_ts ON hits (ts)');
    this.entries = sql
      .exec<{ ts: number; cost: number }>('SELECT ts, cost FROM hits ORDER BY ts')
      .toArray()
      .map((row): [number, number] => [row.ts, row.cost]);
    this.schemaReady = true;
  }

  private prune(cutoff: number): void {
    let expired = 0;
    while (expired < this.entries.length && this.entries[expired]![0] <= cutoff) expired++;
    if (expired === 0) return;
    this.entries.splice(0, expired);
    this.ctx.storage.sql.exec('DELETE FROM hits WHERE ts <= ?', cutoff);
  }

  /** Called over RPC by the edge. `now` is the edge's clock (injectable in tests). Synchronous SQL: nothing interleaves. */
  async consume(limit: number, cost: number, windowMs: number, now: number): Promise<RateLimitDecision> {
    this.ensureSchema();
    this.windowMs = windowMs;
    const decision = this.decideOne(limit, cost, windowMs, now);
    if (!this.alarmScheduled && this.entries.length > 0) {
      this.alarmScheduled = true;
      await this.ctx.storage.setAlarm(Date.now() + windowMs + CLEANUP_SLACK_MS);
    }
    return decision;
  }

  private decideOne(limit: number, cost: number, windowMs: number, now: number): RateLimitDecision {
    this.prune(now - windowMs);
    const decision = decide(this.entries, limit, cost, windowMs, now);
    if (decision.allowed) {
      this.ctx.storage.sql.exec('INSERT INTO hits (ts, cost) VALUES (?, ?)', now, cost);
      // Keep the mirror sorted even if a caller's clock steps back a little.
      let at = this.entries.length;
      while (at > 0 && this.entries[at - 1]![0] > now) at--;
      this.entries.splice(at, 0, [now, cost]);
    }
    return decision;
  }

  override async alarm(): Promise<void> {
    this.ensureSchema();
    const windowMs = this.windowMs;
    this.prune(Date.now() - windowMs);
    const newest = this.entries.at(-1)?.[0];
    if (newest === undefined) {
      await this.ctx.storage.deleteAll();
      this.entries = [];
      this.schemaReady = false;
      this.alarmScheduled = false;
      return;
    }
    await this.ctx.storage.setAlarm(Math.max(Date.now(), newest) + windowMs + CLEANUP_SLACK_MS);
  }
}
