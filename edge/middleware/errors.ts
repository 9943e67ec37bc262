import type { Context } from 'hono';
import type { AppError } from '../../shared/errors.js';
import { appErrorHandler, notFoundHandler } from '../../shared/http/errors.js';
import { describeError, log } from '../log.js';

/**
 * The log line's status and code of a request whose client went away before its answer (nginx's 499):
 * log-only, since nothing is sent to anyone. Not an upstream failure, and not a warning.
 */
export const CLIENT_CLOSED = { code: 'CLIENT_CLOSED', status: 499 } as const;

/**
 * What the one error handler logs: a request whose client went away (its signal aborted: whatever
 * error that left behind, e.g. the abandoned origin call's UPSTREAM_UNAVAILABLE) as `client_closed`
 * at info with CLIENT_CLOSED; unknown errors (INTERNAL, with their cause and stack: operators see
 * them, clients never do); and the edge's own 5xx (upstream failures) as warnings.
 */
function logError(err: AppError, c: Context): void {
  const requestId: string = c.get('requestId') ?? 'unknown';
  if (c.req.raw.signal?.aborted) {
    log('info', 'client_closed', { request_id: requestId, path: c.req.path, code: CLIENT_CLOSED.code, status: CLIENT_CLOSED.status });
    return;
  }
  if (err.code === 'INTERNAL') {
    const cause = err.cause;
    if (cause !== undefined) {
      log('error', 'unhandled_error', {
        request_id: requestId,
        path: c.req.path,
        error: describeError(cause),
        stack: cause instanceof Error ? cause.stack : undefined,
      });
    }
    return;
  }
  if (err.status >= 500) log('warn', 'request_failed', { request_id: requestId, path: c.req.path, code: err.code, status: err.status });
}

/**
 * The shared handler (shared/http/errors.ts): every thrown value becomes the shared envelope with its
 * stable code; Retry-After and the error's own headers (e.g. RateLimit-* on a 429) come from the AppError.
 */
export const onError = appErrorHandler(logError);
export const notFound = notFoundHandler();
