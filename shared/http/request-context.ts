import type { MiddlewareHandler } from 'hono';
import { REQUEST_ID_HEADER, RESPONSE_TIME_HEADER, isValidRequestId } from '../contract/headers.js';

/** Variables every app of the project sets on the Hono context. */
export interface RequestContextVariables {
  requestId: string;
  /** performance.now() when the request entered the app. */
  startedAt: number;
}

/**
 * First middleware of both apps: keeps a valid client `X-Request-ID` (else a new UUID) and stamps
 * `X-Request-ID` and `X-Response-Time-Ms` on every response, errors included.
 */
export function requestContext(): MiddlewareHandler<{ Variables: RequestContextVariables }> {
  return async (c, next) => {
    const startedAt = performance.now();
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const requestId = isValidRequestId(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('startedAt', startedAt);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, requestId);
    c.res.headers.set(RESPONSE_TIME_HEADER, (performance.now() - startedAt).toFixed(2));
  };
}

/** Seconds since the request entered the app, for `total_time` fields. */
export function elapsedSeconds(startedAt: number): number {
  return Math.max(0, (performance.now() - startedAt) / 1000);
}
