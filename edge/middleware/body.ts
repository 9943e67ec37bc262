import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { bodyTooLarge, readJsonBody } from '../../shared/http/json-body.js';
import type { EdgeEnv } from '../context.js';

const limiters = new Map<number, MiddlewareHandler>();

/**
 * 413 BODY_TOO_LARGE before anything else looks at the body (content type included). hono/body-limit
 * trusts Content-Length when present and otherwise (chunked bodies) reads the stream, stopping at the
 * first byte over the limit; its error becomes our envelope.
 */
export function bodyLimitMiddleware(): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const maxSize = c.get('services').config.limits.MAX_BODY_BYTES;
    let limiter = limiters.get(maxSize);
    if (!limiter) {
      limiter = bodyLimit({
        maxSize,
        onError: (ctx) => {
          // Stop the upload instead of leaving the client's stream dangling (when nothing reads it yet).
          const body = ctx.req.raw.body;
          if (body && !body.locked) body.cancel().catch(() => undefined);
          throw bodyTooLarge(maxSize);
        },
      });
      limiters.set(maxSize, limiter);
    }
    return limiter(c, next);
  };
}

/**
 * For JSON routes: the shared reader (shared/http/json-body.ts): 415 UNSUPPORTED_MEDIA_TYPE unless the
 * body is application/json (parameters such as charset allowed), then 400 INVALID_JSON for bytes that are
 * not UTF-8 or not JSON. The parsed value is `c.var.body`.
 */
export function jsonBody(): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    c.set('body', await readJsonBody(c, c.get('services').config.limits.MAX_BODY_BYTES));
    await next();
  };
}
