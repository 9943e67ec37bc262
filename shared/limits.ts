import { z } from 'zod';

/** Default limits of the public API. Every one can be overridden by an env var of the same name. */
export const DEFAULT_LIMITS = {
  /** Characters per request, summed over the items of a batch. */
  MAX_CHARACTERS: 5000,
  /** Items in one batch request. */
  MAX_BATCH_ITEMS: 64,
  /** Request body size in bytes, checked before parsing. */
  MAX_BODY_BYTES: 64 * 1024,
  /** Translate/detect requests per client per minute. */
  RATE_LIMIT_PER_MINUTE: 60,
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
  /** Milliseconds the edge waits for an origin. */
  ORIGIN_TIMEOUT_MS: 30_000,
  /** Requests waiting in the container's queue at most. */
  QUEUE_MAX_REQUESTS: 256,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

const positiveInt = z.coerce.number().int().positive();

const limitsSchema = z.object(
  Object.fromEntries(
    Object.entries(DEFAULT_LIMITS).map(([name, value]) => [name, positiveInt.default(value)]),
  ) as Record<keyof Limits, z.ZodDefault<typeof positiveInt>>,
);

/**
 * Limits from an environment (process.env or a Worker's env). Unset or empty vars keep the default;
 * a set but invalid value throws with the variable's name, so a process fails fast at start-up.
 */
export function resolveLimits(env: Record<string, unknown> = {}): Limits {
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(DEFAULT_LIMITS)) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  const parsed = limitsSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid limit configuration: ${problems}`);
  }
  const limits = parsed.data as Limits;
  if (limits.MAX_BEAMS > DEFAULT_LIMITS.MAX_BEAMS) {
    throw new Error(`invalid limit configuration: MAX_BEAMS must be at most ${DEFAULT_LIMITS.MAX_BEAMS}`);
  }
  return limits;
}

/** The bound on new tokens for an input of `inputTokens` tokens. */
export function maxNewTokensFor(inputTokens: number, limits: Limits, requested?: number): number {
  const relative = limits.MAX_NEW_TOKENS_MIN + limits.MAX_NEW_TOKENS_PER_INPUT_TOKEN * inputTokens;
  return Math.max(1, Math.min(requested ?? relative, relative, limits.MAX_NEW_TOKENS_CAP));
}
