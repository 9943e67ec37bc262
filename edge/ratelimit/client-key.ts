import type { Context } from 'hono';
import { AppError } from '../../shared/errors.js';
import type { BudgetName } from '../../shared/ratelimit/sliding-window.js';
import { sha256Hex } from '../../shared/bytes.js';
import type { EdgeEnv } from '../context.js';
import { revokedKeyError } from '../keys/errors.js';
import { keyIdOf } from '../keys/key-material.js';
import type { QuotaLimits } from '../keys/quota.js';
import { costBudget, parseApiKeyRecord, quotaLimits } from '../keys/record.js';
import { log } from '../log.js';
import { addressGroup, normalizeAddress } from './ip.js';
import { NegativeCache } from './negative-cache.js';

/**
 * Who is asking, for rate limiting.
 * - The client IP is `CF-Connecting-IP` only; X-Forwarded-For, X-Real-IP and True-Client-IP are ignored
 *   (anyone can write them). It is normalised (edge/ratelimit/ip.ts: every textual form of an address is
 *   one text, IPv4-mapped IPv6 is the IPv4 address, zone ids are dropped), and an IPv6 client's bucket is
 *   its IPV6_PREFIX_BITS prefix (default /64): `ip:1.2.3.4`, `ip:2001:db8:1:2::/64`. Without a usable
 *   CF-Connecting-IP (never the case behind Cloudflare; possible locally) every such request shares ONE
 *   bucket, `ip:unknown`.
 * - An API key (`Authorization: Bearer <key>`, or LibreTranslate's `api_key` body field) is looked up by
 *   the SHA-256 hex of the key in the API_KEYS KV namespace, whose value is
 *   {name, limit_per_minute, cost_per_minute?, chars_per_day?, chars_per_month?, created_at?, revoked_at?}
 *   (edge/keys/record.ts; written by the admin API, edge/routes/keys.ts); it gets its own budgets keyed by that hash
 *   (`key:<hash>`). Without cost_per_minute the key's cost budget is COST_BUDGET_PER_MINUTE scaled by
 *   limit_per_minute / RATE_LIMIT_PER_MINUTE (a key allowed ten times the requests may spend ten times
 *   the work).
 * - An unknown or malformed key (or Authorization header) is answered 401 UNAUTHORIZED, but only after
 *   the request was charged to the caller's IP budgets, so guessing keys is rate-limited like any other
 *   traffic (and, once the IP budget is spent, answered 429). Unknown key hashes are remembered for ~60 s
 *   (NegativeCache), so guesses cost bounded KV reads. A revoked key (revoked_at) is refused the same
 *   way, with details.reason 'revoked'.
 */
export interface ClientIdentity {
  /** The Durable Object name of the bucket. */
  bucket: string;
  limits: Record<BudgetName, number>;
  kind: 'ip' | 'api_key';
  /** The API key's name (never the key itself). */
  name?: string;
  /** An API key was presented and is not valid: charge the IP budgets, then throw this (401). */
  refusal?: AppError;
  /** An API key's account (edge/keys): its id, hash and character quotas. */
  account?: { id: string; hash: string; quotas: QuotaLimits };
}

export const UNKNOWN_CLIENT_IP = 'unknown';

/** Per isolate: the key hashes API_KEYS does not hold. */
const unknownKeys = new NegativeCache(1024, 60_000);

/** Only for tests: how many unknown key hashes this isolate remembers. */
export function unknownKeyCount(): number {
  return unknownKeys.size;
}

/** The normalised CF-Connecting-IP (the full address, as the origin is told it), or 'unknown'. */
export function clientIp(c: Context<EdgeEnv>): string {
  const header = c.req.header('cf-connecting-ip');
  return (header !== undefined ? normalizeAddress(header) : undefined) ?? UNKNOWN_CLIENT_IP;
}

/** The IP bucket of a normalised client IP. */
export function ipBucket(ip: string, ipv6PrefixBits: number): string {
  return `ip:${addressGroup(ip, ipv6PrefixBits) ?? UNKNOWN_CLIENT_IP}`;
}

function bearerToken(header: string): string | undefined {
  return /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header)?.[1];
}

export interface ClientLimits {
  requestsPerWindow: number;
  costPerWindow: number;
  ipv6PrefixBits: number;
}

export async function identifyClient(c: Context<EdgeEnv>, bodyApiKey: string | undefined, defaults: ClientLimits): Promise<ClientIdentity> {
  const ipIdentity: ClientIdentity = {
    bucket: ipBucket(c.get('clientIp'), defaults.ipv6PrefixBits),
    limits: { requests: defaults.requestsPerWindow, cost: defaults.costPerWindow },
    kind: 'ip',
  };
  const refused = (message: string): ClientIdentity => ({ ...ipIdentity, refusal: new AppError('UNAUTHORIZED', message) });

  const authorization = c.req.header('authorization');
  let apiKey: string | undefined;
  if (authorization !== undefined) {
    apiKey = bearerToken(authorization);
    if (apiKey === undefined) return refused("the Authorization header must be 'Bearer <api key>'");
  } else if (bodyApiKey !== undefined && bodyApiKey !== '') apiKey = bodyApiKey;
  if (apiKey === undefined) return ipIdentity;
  if (apiKey.length > 512) return refused('invalid API key');

  const hash = await sha256Hex(apiKey);
  const now = c.get('services').clock.now();
  if (unknownKeys.has(hash, now)) return refused('invalid API key');
  const store = c.env.API_KEYS;
  const raw = store ? await store.get(hash, 'text') : null;
  if (raw === null) {
    unknownKeys.add(hash, now);
    return refused('invalid API key');
  }
  const record = parseApiKeyRecord(raw);
  if (record === undefined) {
    // Not remembered as unknown: an operator's fix of the record applies at once.
    log('error', 'api_key_record_invalid', { key_hash: hash.slice(0, 12) });
    return refused('invalid API key');
  }
  if (record.revoked_at !== undefined) return { ...ipIdentity, refusal: revokedKeyError() };
  const cost = costBudget(record, defaults);
  return {
    bucket: `key:${hash}`,
    limits: { requests: record.limit_per_minute, cost },
    kind: 'api_key',
    name: record.name,
    account: { id: keyIdOf(hash), hash, quotas: quotaLimits(record) },
  };
}
