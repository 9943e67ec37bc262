import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { RATE_LIMIT_HEADERS } from '../../shared/ratelimit/headers.js';

/** X-Error-Code: the stable code of a LibreTranslate-shaped error, whose body has only a message. */
export const EXPOSED_HEADERS = ['X-Request-ID', 'X-Response-Time-Ms', 'X-Cache', 'Retry-After', 'X-Error-Code', ...RATE_LIMIT_HEADERS];

/** CORS for browsers: origins from CORS_ORIGINS ('*' or a list), GET/POST/OPTIONS; built once from config. */
export function corsMiddleware(allowed: '*' | readonly string[]): MiddlewareHandler {
  return cors({
    origin: (origin) => {
      if (allowed === '*') return '*';
      return allowed.includes(origin) ? origin : null;
    },
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'X-Request-ID'],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 86_400,
  });
}
