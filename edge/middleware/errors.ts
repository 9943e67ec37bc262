import type { Context } from 'hono';
import type { AppError } from '../../shared/errors.js';
import { appErrorHandler, notFoundHandler } from '../../shared/http/errors.js';
import { describeError, log } from '../log.js';

/**
 * What the one error handler logs: unknown errors (INTERNAL, with their cause and stack: operators see
 * them, clients never do) and the edge's own 5xx (upstream failures) as warnings.
 */
function logError(err: AppError, c: Context): void {
  const requestId: string = c.get('requestId') ?? 'unknown';
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
