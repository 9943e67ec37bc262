import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { envVar, integerVar, pickEnvVars } from './env-var.js';
import { formatZodIssues } from './zod-issues.js';

/**
 * Default limits of the public API, the ones BOTH apps enforce (the edge first, the container again for
 * callers that reach it directly). Every one can be overridden by an env var of the same name, set the
 * same on both sides. Settings of one side live in that side's config (edge/config.ts: ORIGIN_TIMEOUT_MS;
 * inference/config.ts: QUEUE_MAX_REQUESTS, REQUEST_DEADLINE_MS).
 */
export const DEFAULT_LIMITS = {
  /** Characters per request, summed over the items of a batch. */
  MAX_CHARACTERS: 5000,
  /** Items in one batch request. */
  MAX_BATCH_ITEMS: 64,
  /** Request body size in bytes, checked before parsing. */
  MAX_BODY_BYTES: 64 * 1024,
  /**
   * Translate/detect cost units (a request costs 1) per client per rate-limit window. The name is the
   * default window's: with RATE_LIMIT_WINDOW_SECONDS=60 it is "per minute".
   */
  RATE_LIMIT_PER_MINUTE: 60,
  /**
   * Work units (shared/cost.ts: estimated source tokens × beams) per client per rate-limit window, a
   * second budget beside the request count; a request must fit both. 60 requests of ~100 characters
   * greedy cost ~2,300; one 5000-character beam-4 request ~6,800, so a client gets about three of those
   * a minute. API keys may carry their own (`cost_per_minute`).
   */
  COST_BUDGET_PER_MINUTE: 20_000,
  /** The rate-limit window: a client spends at most RATE_LIMIT_PER_MINUTE (and COST_BUDGET_PER_MINUTE) in any span this long. */
  RATE_LIMIT_WINDOW_SECONDS: 60,
  /** Hard cap on generated tokens per sentence, whatever the request asks. */
  MAX_NEW_TOKENS_CAP: 512,
  /** Generated tokens allowed per input token (NLLB outputs are rarely > 2x the input). */
  MAX_NEW_TOKENS_PER_INPUT_TOKEN: 2,
  /** Added to the per-input bound so very short inputs can still be translated fully. */
  MAX_NEW_TOKENS_MIN: 16,
  /** Beam search width bound. */
  MAX_BEAMS: 4,
  /** Alternatives returned by language detection at most. */
  MAX_DETECT_TOP_K: 10,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/** Every limit is a positive integer; MAX_BEAMS cannot be raised (the contract's schema stops at 4). */
const LimitVarsSchema = z.object(
  Object.fromEntries(
    LIMIT_NAMES.map((name) => [name, envVar(integerVar(1, name === 'MAX_BEAMS' ? DEFAULT_LIMITS.MAX_BEAMS : undefined)).default(DEFAULT_LIMITS[name])]),
  ) as Record<keyof Limits, z.ZodDefault<z.ZodType<number, string>>>,
);

export type LimitsResult = { ok: true; limits: Limits } | { ok: false; problems: string[] };

/**
 * Limits from an environment (process.env or a Worker's env). Unset or empty vars keep the default; each
 * bad one is a "NAME: expected …, got …" line, for the caller's ConfigError.
 */
export function parseLimits(env: Readonly<Record<string, unknown>> = {}): LimitsResult {
  const parsed = LimitVarsSchema.safeParse(pickEnvVars(env, LIMIT_NAMES));
  return parsed.success ? { ok: true, limits: parsed.data } : { ok: false, problems: formatZodIssues(parsed.error.issues) };
}

/** parseLimits, throwing a ConfigError that names every bad variable. */
export function resolveLimits(env: Readonly<Record<string, unknown>> = {}): Limits {
  const result = parseLimits(env);
  if (!result.ok) throw new ConfigError('limit', result.problems);
  return result.limits;
}
