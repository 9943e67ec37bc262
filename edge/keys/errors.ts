import { AppError } from '../../shared/errors.js';
import type { QuotaWindow } from './quota.js';

/**
 * A revoked key is an invalid credential: 401 UNAUTHORIZED (RFC 6750 §3.1 lists "revoked" under
 * invalid_token), with `details.reason` so a client can tell it from a typo.
 */
export function revokedKeyError(): AppError {
  return new AppError('UNAUTHORIZED', 'this API key was revoked', { details: { reason: 'revoked' } });
}

export interface QuotaRefusal {
  window: QuotaWindow;
  limit: number;
  used: number;
  requested: number;
  resetsAt: number;
}

/**
 * QUOTA_EXCEEDED is 429 with Retry-After until the window resets (not DeepL's non-standard 456): every
 * HTTP client, proxy and retry library knows 429 and honours Retry-After; the stable code (and, on the
 * LibreTranslate routes, the message) tells it from the per-minute RATE_LIMITED.
 * A request with more characters than the whole quota can never be served, however long the client
 * waits: the message says so, `details.never_fits` is true and there is no Retry-After (nor a
 * resets_at), so a retrying client stops instead of coming back every midnight. (The rate limiter
 * does the same for a request that costs more than its whole budget: `never_admitted`.)
 */
export function quotaExceededError(refusal: QuotaRefusal, now: number): AppError {
  const label = refusal.window === 'day' ? 'daily' : 'monthly';
  const details = { quota: refusal.window, limit: refusal.limit, used: refusal.used, requested: refusal.requested };
  if (refusal.requested > refusal.limit) {
    return new AppError('QUOTA_EXCEEDED', `this request has ${refusal.requested} characters; the key's ${label} quota is ${refusal.limit}: it can never fit — split it or raise the quota`, {
      details: { ...details, never_fits: true },
    });
  }
  const resetsAt = new Date(refusal.resetsAt).toISOString();
  return new AppError('QUOTA_EXCEEDED', `this API key's ${label} character quota (${refusal.limit}) is spent: ${refusal.used} used, this request has ${refusal.requested}; it resets at ${resetsAt}`, {
    retryAfterSeconds: Math.max(1, Math.ceil((refusal.resetsAt - now) / 1000)),
    details: { ...details, resets_at: resetsAt },
  });
}

/**
 * PATCH of a revoked key: 409 KEY_REVOKED. A revoked key is never used again, so changing it has no
 * purpose, and refusing keeps a PATCH from writing back a record without revoked_at (edge/keys/admin.ts).
 * Not 404: the key exists and stays listed.
 */
export function keyRevokedConflict(id: string): AppError {
  return new AppError('KEY_REVOKED', `the API key '${id}' is revoked: a revoked key cannot be changed (create a new key instead)`, { details: { reason: 'revoked' } });
}
