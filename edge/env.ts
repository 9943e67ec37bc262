import type { GlossaryDurableObject } from './glossaries/durable-object.js';
import type { KeyAccountDurableObject } from './keys/account.js';
import type { RateLimiterDurableObject } from './ratelimit/durable-object.js';

/**
 * The Worker's bindings (wrangler.toml). Vars arrive as strings and are parsed once per isolate by
 * edge/config.ts; the KV and Durable Object bindings are wrapped once per isolate (edge/worker.ts);
 * only the API key lookup reads a binding (API_KEYS) per request.
 */
export interface EdgeBindings {
  /** Tier 2 of the translation cache (global, eventually consistent). */
  TRANSLATION_CACHE: KVNamespace;
  /** API keys: SHA-256 hex of the key → JSON record (edge/keys/record.ts), also as KV metadata for listing. */
  API_KEYS: KVNamespace;
  /** One SQLite-backed Durable Object per client key: the exact sliding-window rate limiter. */
  RATE_LIMITER: DurableObjectNamespace<RateLimiterDurableObject>;
  /** One Durable Object per API key id: its character usage, revocation and last use (edge/keys/account.ts). */
  KEY_ACCOUNTS: DurableObjectNamespace<KeyAccountDurableObject>;
  /** One SQLite-backed Durable Object per API key: its stored glossaries. */
  GLOSSARIES: DurableObjectNamespace<GlossaryDurableObject>;

  ORIGIN_URLS?: string;
  MODEL_ID?: string;
  DETECTOR_ID?: string;
  CORS_ORIGINS?: string;
  CACHE_TTL_SECONDS?: string;
  ORIGIN_TIMEOUT_MS?: string;
  RATE_LIMIT_PER_MINUTE?: string;
  CIRCUIT_FAILURE_THRESHOLD?: string;
  CIRCUIT_COOLDOWN_MS?: string;
  /** Secret (wrangler secret put EDGE_SHARED_SECRET): sent to the container on every call. */
  EDGE_SHARED_SECRET?: string;
  /** '1' adds GET /__bench/constant (benchmarks only). */
  BENCH_TRIVIAL_ROUTE?: string;
  /** Community corrections: off (default), api_keys or all (edge/suggestions/). */
  SUGGESTIONS?: string;
  /** Suggestions one client may send in any 24 hours (default 50). */
  SUGGESTIONS_PER_DAY?: string;
  /** Shared limits (shared/limits.ts, RATE_LIMIT_WINDOW_SECONDS included) may be overridden by vars of the same name. */
  [name: string]: unknown;
}
