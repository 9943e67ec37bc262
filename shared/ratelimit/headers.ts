import { AppError } from '../errors.js';
import type { RateLimitDecision } from './sliding-window.js';

/** The rate-limit headers both apps send (IETF draft "RateLimit header fields for HTTP"). */
export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'] as const;

export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
}

export function rateLimitHeaders(policy: RateLimitPolicy, decision: RateLimitDecision): Record<(typeof RATE_LIMIT_HEADERS)[number], string> {
  return {
    'RateLimit-Limit': String(policy.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
    'RateLimit-Policy': `${policy.limit};w=${policy.windowSeconds}`,
  };
}

/** 429 RATE_LIMITED with Retry-After, the RateLimit-* headers and the policy in `details`. */
export function rateLimitedError(policy: RateLimitPolicy, decision: RateLimitDecision): AppError {
  return new AppError(
    'RATE_LIMITED',
    `rate limit of ${policy.limit} requests per ${policy.windowSeconds} s exceeded; retry in ${decision.retryAfterSeconds} s`,
    {
      retryAfterSeconds: decision.retryAfterSeconds,
      headers: rateLimitHeaders(policy, decision),
      details: { limit: policy.limit, window_seconds: policy.windowSeconds, retry_after_seconds: decision.retryAfterSeconds },
    },
  );
}
