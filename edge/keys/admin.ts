import type { KeyLimitsInput, KeySummary } from '../../shared/contract/keys.js';
import { MAX_KEYS_PAGE } from '../../shared/contract/keys.js';
import { AppError } from '../../shared/errors.js';
import type { Clock } from '../clock.js';
import type { KeyAccounts } from './accounts.js';
import { keyRevokedConflict } from './errors.js';
import { generateApiKey, hashApiKey, KEY_ID_PATTERN, keyIdOf } from './key-material.js';
import { usageAt } from './quota.js';
import { usageJson } from './views.js';
import { ApiKeyRecordSchema, costBudget, parseApiKeyRecord, quotaLimits, type ApiKeyRecord } from './record.js';

/** API_KEYS names that are key hashes (the namespace holds nothing else today; anything else is skipped). */
const HASH_NAME = /^[0-9a-f]{64}$/;

export interface KeyAdminDeps {
  /** API_KEYS: SHA-256 hex → the record (value, and metadata for listing). */
  kv: KVNamespace;
  accounts: KeyAccounts;
  clock: Clock;
  /** RATE_LIMIT_PER_MINUTE and COST_BUDGET_PER_MINUTE: a new key's request limit and the scaled cost budget. */
  defaults: { requestsPerWindow: number; costPerWindow: number };
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const notFound = (id: string) => new AppError('NOT_FOUND', `no API key has the id '${id.slice(0, 64)}'`);

/** The record with the fields of `limits` applied: absent keeps, null removes (unlimited / scaled default). */
function withLimits(record: ApiKeyRecord, limits: KeyLimitsInput | undefined): ApiKeyRecord {
  if (limits === undefined) return record;
  const next: ApiKeyRecord = { ...record };
  if (limits.requests_per_minute !== undefined) next.limit_per_minute = limits.requests_per_minute;
  const optional = [
    ['cost_per_minute', limits.cost_per_minute],
    ['chars_per_day', limits.characters_per_day],
    ['chars_per_month', limits.characters_per_month],
  ] as const;
  for (const [field, value] of optional) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next;
}

/**
 * The admin API's work (edge/routes/keys.ts): keys live in API_KEYS under their SHA-256 (the format
 * client-key.ts reads on every request, records written by hand included), with the record as KV
 * metadata too so a listing is one KV list; each key's usage, revocation and last use live in its
 * KeyAccountDurableObject, which also remembers the hash so an id finds its record at once (a
 * hand-written key the account has never seen is found by its hash prefix in a KV list).
 *
 * Consistency, as Workers KV gives it: a new key, a revocation and new limits are read at once where
 * they were written and within about a minute everywhere. A revocation is also immediate everywhere for
 * every rate-limited route, because the key's account (strongly consistent) refuses it; a listing (KV
 * list) may miss a key created in the last minute.
 */
export class KeyAdmin {
  constructor(private readonly deps: KeyAdminDeps) {}

  async create(name: string, limits: KeyLimitsInput | undefined): Promise<KeySummary & { key: string }> {
    const key = generateApiKey();
    const hash = await hashApiKey(key);
    const id = keyIdOf(hash);
    const now = this.deps.clock.now();
    const record = withLimits({ name, limit_per_minute: this.deps.defaults.requestsPerWindow, created_at: new Date(now).toISOString() }, limits);
    await this.deps.accounts.open(id, hash);
    await this.write(hash, record);
    return { ...(await this.summarize(id, record)), key };
  }

  async list(limit: number | undefined, cursor: string | undefined): Promise<{ keys: KeySummary[]; next_cursor: string | null }> {
    let page: KVNamespaceListResult<unknown, string>;
    try {
      page = await this.deps.kv.list({ limit: limit ?? MAX_KEYS_PAGE, ...(cursor !== undefined ? { cursor } : {}) });
    } catch (err) {
      if (cursor !== undefined) throw new AppError('VALIDATION_FAILED', 'invalid cursor', { cause: err });
      throw err;
    }
    const entries = page.keys.filter((entry) => HASH_NAME.test(entry.name));
    const summaries = await Promise.all(
      entries.map(async (entry) => {
        const fromMetadata = ApiKeyRecordSchema.safeParse(entry.metadata);
        const record = fromMetadata.success ? fromMetadata.data : await this.read(entry.name);
        return record === undefined ? undefined : await this.summarize(keyIdOf(entry.name), record);
      }),
    );
    return { keys: summaries.filter((summary) => summary !== undefined), next_cursor: page.list_complete ? null : page.cursor };
  }

  /**
   * A revoked key is refused (409 KEY_REVOKED, keyRevokedConflict). This is a read-modify-write of
   * the KV record, so a revocation can land between the read and the write; the write must never put
   * back a record without revoked_at. revoke() marks the account before it writes the record, so after
   * our write we ask the account again: revoked meanwhile, the record is written again with the
   * account's revoked_at carried over, and the answer shows the key revoked (the change came first).
   */
  async update(id: string, name: string | undefined, limits: KeyLimitsInput | undefined): Promise<KeySummary> {
    const { hash, record, revokedAt } = await this.find(id);
    if (record.revoked_at !== undefined || revokedAt !== undefined) throw keyRevokedConflict(id);
    let next = withLimits(name === undefined ? record : { ...record, name }, limits);
    await this.write(hash, next);
    const revokedMeanwhile = (await this.deps.accounts.summary(id)).revokedAt;
    if (revokedMeanwhile !== undefined) {
      next = { ...next, revoked_at: new Date(revokedMeanwhile).toISOString() };
      await this.write(hash, next);
    }
    return await this.summarize(id, next);
  }

  async revoke(id: string): Promise<KeySummary> {
    const { hash, record } = await this.find(id);
    // The account first: it refuses the key everywhere at once; the record follows (KV: within a minute).
    const revokedAt = await this.deps.accounts.revoke(id, hash, this.deps.clock.now());
    const next: ApiKeyRecord = { ...record, revoked_at: record.revoked_at ?? new Date(revokedAt).toISOString() };
    if (record.revoked_at === undefined) await this.write(hash, next);
    return await this.summarize(id, next);
  }

  private async read(hash: string): Promise<ApiKeyRecord | undefined> {
    const raw = await this.deps.kv.get(hash, 'text');
    return raw === null ? undefined : parseApiKeyRecord(raw);
  }

  private async write(hash: string, record: ApiKeyRecord): Promise<void> {
    await this.deps.kv.put(hash, JSON.stringify(record), { metadata: record });
  }

  /**
   * The key with this id and when its account says it was revoked, or 404 NOT_FOUND (a malformed id
   * too: ids are never guessed into accounts).
   */
  private async find(id: string): Promise<{ hash: string; record: ApiKeyRecord; revokedAt: number | undefined }> {
    if (!KEY_ID_PATTERN.test(id)) throw notFound(id);
    const account = await this.deps.accounts.summary(id);
    let hash = account.hash;
    if (hash === undefined) {
      const page = await this.deps.kv.list({ prefix: id.slice('key_'.length) });
      hash = page.keys.map((entry) => entry.name).find((name) => HASH_NAME.test(name) && keyIdOf(name) === id);
    }
    const record = hash === undefined ? undefined : await this.read(hash);
    if (hash === undefined || record === undefined) throw notFound(id);
    return { hash, record, revokedAt: account.revokedAt };
  }

  private async summarize(id: string, record: ApiKeyRecord): Promise<KeySummary> {
    const account = await this.deps.accounts.summary(id);
    const now = this.deps.clock.now();
    return {
      id,
      name: record.name,
      limits: {
        requests_per_minute: record.limit_per_minute,
        cost_per_minute: costBudget(record, this.deps.defaults),
        characters_per_day: record.chars_per_day ?? null,
        characters_per_month: record.chars_per_month ?? null,
      },
      created_at: record.created_at ?? null,
      last_used_at: iso(account.lastUsedAt),
      revoked_at: record.revoked_at ?? iso(account.revokedAt),
      usage: usageJson(usageAt(account.counters, quotaLimits(record), now)),
    };
  }
}
