import type { Context, Next } from 'hono';
import type { EdgeEnv } from '../context.js';
import { describeError, log } from '../log.js';
import type { ClientIdentity } from '../ratelimit/client-key.js';
import type { QuotaWindow, WindowUsage } from './quota.js';
import { durableObjectKeyAccounts } from './accounts.js';
import { quotaExceededError, revokedKeyError } from './errors.js';

/** What the gate leaves on the context for GET /api/v1/usage: the calling key and its usage now. */
export interface KeyUsageSnapshot {
  id: string;
  name: string;
  rateLimits: ClientIdentity['limits'];
  usage: Record<QuotaWindow, WindowUsage>;
}

/** The characters a request is served: a validated translate request's (shared/contract/common.ts characterCount); 0 otherwise. */
function translatedCharacters(c: Context<EdgeEnv>): number {
  const input: unknown = (c.var as { input?: unknown }).input;
  if (typeof input !== 'object' || input === null || !('texts' in input) || !('characterCount' in input)) return 0;
  return typeof input.characterCount === 'number' ? input.characterCount : 0;
}

/**
 * Wraps a rate-limited route's `next` for an API key (anonymous callers pass straight through: they
 * keep the per-IP limits only). One call to the key's account (KeyAccountDurableObject) per request:
 * - a key revoked there is refused at once (401, details.reason 'revoked'), even where API_KEYS still
 *   serves the unrevoked record;
 * - a translation is charged its characters, in the current UTC day and month, before it is served,
 *   or refused whole with QUOTA_EXCEEDED (429 + Retry-After until the window resets, details with the
 *   quota, limit, used and resets_at); a request answered with an error gets its characters back;
 * - cache hits count: a quota counts characters served to the key, and what the cache answers is
 *   served. (Counting only misses would make the charge depend on whether someone else translated the
 *   same text first, which the caller can neither see nor predict.)
 * Failure policy, as the limiter's: FAIL-OPEN. If the account cannot be reached the request is served
 * uncounted and `key_account_failed_open` is logged.
 */
export function accountGate(c: Context<EdgeEnv>, identity: ClientIdentity, next: Next): Next {
  const account = identity.account;
  if (identity.kind !== 'api_key' || account === undefined) return next;
  return async () => {
    const accounts = durableObjectKeyAccounts(c.env.KEY_ACCOUNTS);
    const characters = translatedCharacters(c);
    const now = c.get('services').clock.now();
    let decision;
    try {
      decision = await accounts.admit(account.id, { hash: account.hash, characters, limits: account.quotas, now });
    } catch (err) {
      log('error', 'key_account_failed_open', { request_id: c.get('requestId'), key_id: account.id, error: describeError(err) });
      await next();
      return;
    }
    if (decision.outcome === 'revoked') throw revokedKeyError();
    if (decision.outcome === 'quota_exceeded') {
      throw quotaExceededError({ window: decision.window, limit: decision.limit, used: decision.usage[decision.window].used, requested: characters, resetsAt: decision.resetsAt }, now);
    }
    c.set('keyUsage', { id: account.id, name: identity.name ?? account.id, rateLimits: identity.limits, usage: decision.usage });
    let served = false;
    try {
      await next();
      served = c.error === undefined && c.res.status < 400;
    } finally {
      if (!served && characters > 0) {
        await accounts.refund(account.id, characters, decision.charged).catch((err: unknown) => {
          log('error', 'key_account_refund_failed', { request_id: c.get('requestId'), key_id: account.id, characters, error: describeError(err) });
        });
      }
    }
  };
}
