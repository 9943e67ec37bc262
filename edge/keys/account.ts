import { DurableObject } from 'cloudflare:workers';
import { chargeCharacters, refundCharacters, usageAt, type QuotaLimits, type QuotaWindow, type UsageCounters, type WindowUsage } from './quota.js';

/** last_used_at is written to storage at most this often on its own (a charge writes it anyway). */
export const LAST_USED_RESOLUTION_MS = 60_000;

interface AccountState {
  /** SHA-256 hex of the key (so the admin API finds the API_KEYS record from the id). */
  hash?: string;
  revokedAt?: number;
  lastUsedAt?: number;
  usage?: UsageCounters;
}

export interface AdmitRequest {
  hash: string;
  /** Characters the request would be served (0 for detection and GET /api/v1/usage). */
  characters: number;
  /** From the key's API_KEYS record. */
  limits: QuotaLimits;
  now: number;
}

export type AdmitDecision =
  | { outcome: 'allowed'; usage: Record<QuotaWindow, WindowUsage>; charged: { dayStart: number; monthStart: number } }
  | { outcome: 'revoked' }
  | { outcome: 'quota_exceeded'; window: QuotaWindow; limit: number; resetsAt: number; usage: Record<QuotaWindow, WindowUsage> };

export interface AccountSummary {
  hash: string | undefined;
  revokedAt: number | undefined;
  lastUsedAt: number | undefined;
  /** As stored; quota.ts's usageAt says what they mean at a given time and limits. */
  counters: UsageCounters | undefined;
}

/**
 * One instance per API key (idFromName(key id)): the key's character counters for the current UTC day
 * and month, counted exactly (the object is the only writer and runs one call at a time; its state is
 * loaded once, before the first call, and every change is written before the answer leaves), whether
 * the key was revoked (authoritative at once, while API_KEYS may still hold the unrevoked record for
 * up to a minute elsewhere), and when it was last used. Called over RPC by the edge with the edge's
 * clock (injectable in tests); the quota arithmetic is edge/keys/quota.ts.
 */
export class KeyAccountDurableObject extends DurableObject {
  private state: AccountState = {};
  private persistedLastUsedAt: number | undefined;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get<AccountState>('state')) ?? {};
      this.persistedLastUsedAt = this.state.lastUsedAt;
    });
  }

  private async save(): Promise<void> {
    await this.ctx.storage.put('state', this.state);
    this.persistedLastUsedAt = this.state.lastUsedAt;
  }

  /** A key was created with this id: a fresh account (an id reused by a hash-prefix collision starts over). */
  async open(hash: string): Promise<void> {
    this.state = { hash };
    await this.save();
  }

  async admit(request: AdmitRequest): Promise<AdmitDecision> {
    if (this.state.revokedAt !== undefined) return { outcome: 'revoked' };
    const learnedHash = this.state.hash === undefined;
    this.state.hash ??= request.hash;
    const decision = chargeCharacters(this.state.usage, request.limits, request.characters, request.now);
    const changed = decision.allowed && request.characters > 0;
    if (decision.allowed) {
      this.state.usage = decision.counters;
      this.state.lastUsedAt = Math.max(this.state.lastUsedAt ?? 0, request.now);
    }
    const lastUsedStale = this.state.lastUsedAt !== undefined && (this.persistedLastUsedAt === undefined || this.state.lastUsedAt - this.persistedLastUsedAt >= LAST_USED_RESOLUTION_MS);
    if (changed || learnedHash || lastUsedStale) await this.save();
    const usage = usageAt(decision.counters, request.limits, request.now);
    if (!decision.allowed) return { outcome: 'quota_exceeded', window: decision.window, limit: decision.limit, resetsAt: decision.resetsAt, usage };
    return { outcome: 'allowed', usage, charged: { dayStart: decision.counters.dayStart, monthStart: decision.counters.monthStart } };
  }

  /** Gives back an admitted charge whose request was answered with an error. */
  async refund(characters: number, charged: { dayStart: number; monthStart: number }): Promise<void> {
    if (this.state.usage === undefined || characters <= 0) return;
    this.state.usage = refundCharacters(this.state.usage, characters, charged);
    await this.save();
  }

  /** Idempotent: the first revocation's time stays. */
  async revoke(hash: string, now: number): Promise<number> {
    this.state.hash ??= hash;
    this.state.revokedAt ??= now;
    await this.save();
    return this.state.revokedAt;
  }

  async summary(): Promise<AccountSummary> {
    return { hash: this.state.hash, revokedAt: this.state.revokedAt, lastUsedAt: this.state.lastUsedAt, counters: this.state.usage };
  }
}
