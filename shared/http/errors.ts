import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { AppError, errorResponse, toAppError } from '../errors.js';
import type { RequestContextVariables } from './request-context.js';

export type ErrorLogger = (err: AppError, c: Context) => void;

function requestIdOf(c: Context): string {
  return (c.get('requestId' as never) as RequestContextVariables['requestId'] | undefined) ?? 'unknown';
}

/**
 * The one error handler of an app: every thrown value becomes the shared envelope. Unknown errors
 * become INTERNAL; `log` sees them (with their cause) so operators do, clients never do.
 */
export function appErrorHandler(log: ErrorLogger = () => undefined): ErrorHandler {
  return (err, c) => {
    const appError = toAppError(err);
    log(appError, c);
    return errorResponse(appError, requestIdOf(c));
  };
}

export function notFoundHandler(): NotFoundHandler {
  return (c) => errorResponse(new AppError('NOT_FOUND', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), requestIdOf(c));
}

/** For a known path asked with the wrong method: 405 METHOD_NOT_ALLOWED with an Allow header. */
export function methodNotAllowed(allowed: string): MiddlewareHandler {
  return async (c) => {
    throw new AppError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here; use ${allowed}`, { headers: { allow: allowed } });
  };
}
