import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { sha256Hex } from '../cache/key.js';
import type { EdgeEnv } from '../context.js';
import { log } from '../log.js';

/**
 * Who is asking, for rate limiting.
 * - The client IP is `CF-Connecting-IP` only; X-Forwarded-For, X-Real-IP and True-Client-IP are ignored
 *   (anyone can write them). Without CF-Connecting-IP (never the case behind Cloudflare; possible
 *   locally) every such request shares ONE bucket, 'ip:unknown'.
 * - An API key (`Authorization: Bearer <key>`, or LibreTranslate's `api_key` body field) is looked up by
 *   the SHA-256 hex of the key in the API_KEYS KV namespace, whose value is {name, limit_per_minute};
 *   it gets its own budget keyed by that hash (`key:<hash>`). An unknown key is 401 UNAUTHORIZED.
 */
export interface ClientIdentity {
  /** The Durable Object name of the bucket. */
  bucket: string;
  limit: number;
  kind: 'ip' | 'api_key';
  /** The API key's name (never the key itself). */
  name?: string;
}

export const UNKNOWN_CLIENT_IP = 'unknown';

const ApiKeyRecordSchema = z.object({
  name: z.string().min(1),
  limit_per_minute: z.number().int().positive(),
});

export function clientIp(c: Context<EdgeEnv>): string {
  const ip = c.req.header('cf-connecting-ip')?.trim().toLowerCase();
  return ip && ip.length <= 64 ? ip : UNKNOWN_CLIENT_IP;
}

function bearerToken(header: string): string {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  if (!match) throw new AppError('UNAUTHORIZED', "the Authorization header must be 'Bearer <api key>'");
  return match[1]!;
}

export async function identifyClient(c: Context<EdgeEnv>, bodyApiKey: string | undefined, defaultLimit: number): Promise<ClientIdentity> {
  const authorization = c.req.header('authorization');
  const apiKey = authorization !== undefined ? bearerToken(authorization) : bodyApiKey !== undefined && bodyApiKey !== '' ? bodyApiKey : undefined;
  if (apiKey === undefined) {
    return { bucket: `ip:${c.get('clientIp')}`, limit: defaultLimit, kind: 'ip' };
  }
  if (apiKey.length > 512) throw new AppError('UNAUTHORIZED', 'invalid API key');
  const hash = await sha256Hex(apiKey);
  const store = c.env.API_KEYS;
  const raw = store ? await store.get(hash, 'text') : null;
  if (raw === null) throw new AppError('UNAUTHORIZED', 'invalid API key');
  let record: z.infer<typeof ApiKeyRecordSchema>;
  try {
    record = ApiKeyRecordSchema.parse(JSON.parse(raw));
  } catch {
    log('error', 'api_key_record_invalid', { key_hash: hash.slice(0, 12) });
    throw new AppError('UNAUTHORIZED', 'invalid API key');
  }
  return { bucket: `key:${hash}`, limit: record.limit_per_minute, kind: 'api_key', name: record.name };
}
