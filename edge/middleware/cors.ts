import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { EdgeEnv } from '../context.js';
import { RATE_LIMIT_HEADERS } from '../ratelimit/middleware.js';

export const EXPOSED_HEADERS = ['X-Request-ID', 'X-Response-Time-Ms', 'X-Cache', 'Retry-After', ...RATE_LIMIT_HEADERS];

/** CORS for browsers: origins from CORS_ORIGINS ('*' or a comma-separated list), GET/POST/OPTIONS. */
export function corsMiddleware(): MiddlewareHandler<EdgeEnv> {
  return cors({
    origin: (origin, c) => {
      const allowed = (c as unknown as { get(name: 'services'): { config: { corsOrigins: '*' | string[] } } }).get('services').config.corsOrigins;
      if (allowed === '*') return '*';
      return allowed.includes(origin) ? origin : null;
    },
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'X-Request-ID'],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 86_400,
  }) as MiddlewareHandler<EdgeEnv>;
}
