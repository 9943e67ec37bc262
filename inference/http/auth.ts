import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { EDGE_SECRET_HEADER } from '../../shared/contract/headers.js';
import { AppError } from '../../shared/errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison: hashing first makes the lengths equal, so nothing leaks through timing. */
export function secretsMatch(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/**
 * Requires a header to carry `secret`; with no secret configured the middleware lets everything through.
 * `what` names the secret in the error ("the edge's shared secret is missing or wrong (header …)").
 */
export function requireSecret(secret: string | undefined, header = EDGE_SECRET_HEADER, what = "the edge's shared secret"): MiddlewareHandler {
  return async (c, next) => {
    if (secret && !secretsMatch(c.req.header(header), secret)) {
      throw new AppError('UNAUTHORIZED', `${what} is missing or wrong (header ${header})`);
    }
    await next();
  };
}

/** `Authorization: Bearer <token>` check for operator routes (/metrics, /admin). */
export function requireBearer(token: string | undefined, what: string): MiddlewareHandler {
  return async (c, next) => {
    if (token) {
      const header = c.req.header('authorization') ?? '';
      const given = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
      if (!secretsMatch(given, token)) throw new AppError('UNAUTHORIZED', `the bearer token for ${what} is missing or wrong`);
    }
    await next();
  };
}
