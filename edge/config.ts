import { z } from 'zod';
import { ConfigError } from '../shared/config-error.js';
import { envVar, integerVar, pickEnvVars, type EnvVarSpec } from '../shared/env-var.js';
import { parseLimits, type Limits } from '../shared/limits.js';
import { DEFAULT_ORIGIN_TIMEOUT_MS, ORIGIN_TIMEOUT_VAR } from '../shared/origin-timeout.js';
import { SECRET_VAR } from '../shared/secret.js';
import { SUGGESTIONS_MODES, type SuggestionsMode } from '../shared/contract/suggestions.js';
import { formatZodIssues } from '../shared/zod-issues.js';

/**
 * The edge's configuration: wrangler.toml vars (and the EDGE_SHARED_SECRET and ADMIN_TOKEN secrets), parsed with zod
 * from the first request's env (Workers give env only at request time) and kept for the isolate. A
 * misconfigured Worker answers every request with a 500 INTERNAL envelope and logs the ConfigError,
 * which names every bad variable the way the container's does (never a stack trace to the client).
 */
export interface EdgeConfig {
  originUrls: string[];
  /**
   * MODEL_ID, an optional override. Unset (the default): the cache keys each answer by the model label
   * of the origin that gave it (learned from the origins' answers, edge/origin/model-labels.ts). Set: only
   * that label's answers are cached and read, and it is assumed before any origin has answered.
   */
  modelId: string | undefined;
  /** Language detector id; part of the "auto" cache keys (a detector change invalidates them). */
  detectorId: string;
  /** '*' or an explicit list of allowed origins. */
  corsOrigins: '*' | string[];
  cacheTtlSeconds: number;
  /** Bound on one origin call, a retry included (the container's REQUEST_DEADLINE_MS ends before it). */
  originTimeoutMs: number;
  circuitFailureThreshold: number;
  circuitCooldownMs: number;
  edgeSharedSecret: string | undefined;
  /**
   * ADMIN_TOKEN (a secret): `Authorization: Bearer <it>` on GET /health shows the per-origin details.
   * Unset: the details are never shown.
   */
  adminToken: string | undefined;
  /** IPV6_PREFIX_BITS: an IPv6 client's rate-limit bucket is this prefix of its address (default /64). */
  ipv6PrefixBits: number;
  benchTrivialRoute: boolean;
  /** The API limits both apps enforce (shared/limits.ts), rate limit and its window included. */
  limits: Limits;
  /** SUGGESTIONS: who may send community corrections (off: nobody, and the translate path never looks one up). */
  suggestions: SuggestionsMode;
  /** SUGGESTIONS_PER_DAY: suggestions one client (API key or IP group) may send in any 24 hours. */
  suggestionsPerDay: number;
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

const ORIGIN_URLS: EnvVarSpec<string[]> = {
  schema: z
    .string()
    .transform(list)
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''))).min(1)),
  expected: 'comma-separated http(s) URLs',
};

const CORS_ORIGINS: EnvVarSpec<'*' | string[]> = {
  schema: z.string().transform((value): '*' | string[] => {
    const origins = list(value);
    return origins.length === 0 || origins.includes('*') ? '*' : origins;
  }),
  expected: "'*' or comma-separated origins",
};

const NAME: EnvVarSpec<string> = { schema: z.string().min(1).max(200), expected: 'a non-empty name' };

const FLAG: EnvVarSpec<boolean> = {
  schema: z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true'),
  expected: '1, 0, true or false',
};

const EdgeVarsSchema = z.object({
  ORIGIN_URLS: envVar(ORIGIN_URLS).default(['http://127.0.0.1:7860']),
  MODEL_ID: envVar(NAME).optional(),
  DETECTOR_ID: envVar(NAME).default('fasttext-lid.176'),
  CORS_ORIGINS: envVar(CORS_ORIGINS).default('*'),
  /** KV refuses expirationTtl < 60, so 60 is the floor. */
  CACHE_TTL_SECONDS: envVar(integerVar(60)).default(7 * 24 * 3600),
  ORIGIN_TIMEOUT_MS: envVar(ORIGIN_TIMEOUT_VAR).default(DEFAULT_ORIGIN_TIMEOUT_MS),
  CIRCUIT_FAILURE_THRESHOLD: envVar(integerVar(1)).default(3),
  CIRCUIT_COOLDOWN_MS: envVar(integerVar(1)).default(10_000),
  /** The container's rule (shared/secret.ts): a short secret is refused here at start, as there. */
  EDGE_SHARED_SECRET: envVar(SECRET_VAR).optional(),
  /** The same rule as the shared secret: at least 16 printable ASCII characters without spaces. */
  ADMIN_TOKEN: envVar(SECRET_VAR).optional(),
  /** /16 at the widest (a whole provider), /128 the single address. */
  IPV6_PREFIX_BITS: envVar(integerVar(16, 128)).default(64),
  BENCH_TRIVIAL_ROUTE: envVar(FLAG).default(false),
  SUGGESTIONS: envVar({ schema: z.enum(SUGGESTIONS_MODES), expected: 'off, api_keys or all' }).default('off'),
  SUGGESTIONS_PER_DAY: envVar(integerVar(1)).default(50),
});

const EDGE_VAR_NAMES = Object.keys(EdgeVarsSchema.shape);

/** Parses the env; throws ConfigError ("invalid edge configuration:" + one line per bad variable). */
export function parseConfig(env: Readonly<Record<string, unknown>>): EdgeConfig {
  const parsed = EdgeVarsSchema.safeParse(pickEnvVars(env, EDGE_VAR_NAMES));
  const limits = parseLimits(env);
  const problems = [...(parsed.success ? [] : formatZodIssues(parsed.error.issues)), ...(limits.ok ? [] : limits.problems)];
  if (!parsed.success || !limits.ok) throw new ConfigError('edge', problems);
  const vars = parsed.data;
  return {
    originUrls: vars.ORIGIN_URLS,
    modelId: vars.MODEL_ID,
    detectorId: vars.DETECTOR_ID,
    corsOrigins: vars.CORS_ORIGINS,
    cacheTtlSeconds: vars.CACHE_TTL_SECONDS,
    originTimeoutMs: vars.ORIGIN_TIMEOUT_MS,
    circuitFailureThreshold: vars.CIRCUIT_FAILURE_THRESHOLD,
    circuitCooldownMs: vars.CIRCUIT_COOLDOWN_MS,
    edgeSharedSecret: vars.EDGE_SHARED_SECRET,
    adminToken: vars.ADMIN_TOKEN,
    ipv6PrefixBits: vars.IPV6_PREFIX_BITS,
    benchTrivialRoute: vars.BENCH_TRIVIAL_ROUTE,
    limits: limits.limits,
    suggestions: vars.SUGGESTIONS,
    suggestionsPerDay: vars.SUGGESTIONS_PER_DAY,
  };
}

export { ConfigError };
