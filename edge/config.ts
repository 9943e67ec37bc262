import { z } from 'zod';
import { resolveLimits, type Limits } from '../shared/limits.js';

/**
 * The edge's configuration: wrangler.toml vars (and the EDGE_SHARED_SECRET secret), parsed with zod
 * once per isolate. A misconfigured Worker answers every request with a 500 INTERNAL envelope and
 * logs the reason once (never a stack trace to the client).
 */
export interface EdgeConfig {
  originUrls: string[];
  /** Model id + revision the cache keys on; origin answers from another model are served but not cached. */
  modelId: string;
  /** Language detector id; part of the "auto" cache keys (a detector change invalidates them). */
  detectorId: string;
  /** '*' or an explicit list of allowed origins. */
  corsOrigins: '*' | string[];
  cacheTtlSeconds: number;
  originTimeoutMs: number;
  rateLimitPerMinute: number;
  circuitFailureThreshold: number;
  circuitCooldownMs: number;
  edgeSharedSecret: string | undefined;
  benchTrivialRoute: boolean;
  limits: Limits;
}

const intVar = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

const urlList = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part.length > 0))
  .pipe(
    z
      .array(
        z
          .string()
          .url()
          .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL')
          .transform((url) => url.replace(/\/+$/, '')),
      )
      .min(1, 'at least one origin URL is required'),
  );

const VarsSchema = z.object({
  ORIGIN_URLS: urlList.default(['http://127.0.0.1:7860']),
  MODEL_ID: z.string().trim().min(1).default('facebook/nllb-200-distilled-600M'),
  DETECTOR_ID: z.string().trim().min(1).default('fasttext-lid.176'),
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value): '*' | string[] => {
      const list = value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
      return list.length === 0 || list.includes('*') ? '*' : list;
    }),
  /** KV refuses expirationTtl < 60, so 60 is the floor. */
  CACHE_TTL_SECONDS: intVar(7 * 24 * 3600, 60),
  CIRCUIT_FAILURE_THRESHOLD: intVar(3),
  CIRCUIT_COOLDOWN_MS: intVar(10_000),
  EDGE_SHARED_SECRET: z.string().optional(),
  BENCH_TRIVIAL_ROUTE: z.enum(['0', '1', 'true', 'false']).optional(),
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the env; throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, unknown>): EdgeConfig {
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(VarsSchema.shape)) {
    const value = env[name];
    if (typeof value === 'string' && value.trim() !== '') picked[name] = value;
    else if (value !== undefined && value !== '' && typeof value !== 'string') picked[name] = value;
  }
  const parsed = VarsSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid edge configuration: ${problems}`);
  }
  let limits: Limits;
  try {
    limits = resolveLimits(env);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  const vars = parsed.data;
  return {
    originUrls: vars.ORIGIN_URLS,
    modelId: vars.MODEL_ID,
    detectorId: vars.DETECTOR_ID,
    corsOrigins: vars.CORS_ORIGINS,
    cacheTtlSeconds: vars.CACHE_TTL_SECONDS,
    originTimeoutMs: limits.ORIGIN_TIMEOUT_MS,
    rateLimitPerMinute: limits.RATE_LIMIT_PER_MINUTE,
    circuitFailureThreshold: vars.CIRCUIT_FAILURE_THRESHOLD,
    circuitCooldownMs: vars.CIRCUIT_COOLDOWN_MS,
    edgeSharedSecret: vars.EDGE_SHARED_SECRET === undefined || vars.EDGE_SHARED_SECRET === '' ? undefined : vars.EDGE_SHARED_SECRET,
    benchTrivialRoute: vars.BENCH_TRIVIAL_ROUTE === '1' || vars.BENCH_TRIVIAL_ROUTE === 'true',
    limits,
  };
}
