import type { Context, Env, ErrorHandler, Hono, MiddlewareHandler, NotFoundHandler, Schema } from 'hono';
import { METHOD_NAME_ALL } from 'hono/router';
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

/** Paths each app already answers wrong methods for, so a second call only covers routes added since. */
const guardedPaths = new WeakMap<object, Set<string>>();

/**
 * Every path registered on `app` so far answers the methods it has no handler for with 405 and an
 * `Allow` header listing those it has (GET implies HEAD: Hono answers HEAD with the GET handler),
 * instead of falling through to 404. Call it after the routes it covers; a later call covers only the
 * paths added since (the container guards its public routes before the edge-secret check, the rest after).
 */
export function rejectOtherMethods<E extends Env, S extends Schema, B extends string>(app: Hono<E, S, B>): void {
  const allowed = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === METHOD_NAME_ALL) continue; // middleware, and the catch-alls of an earlier call
    const methods = allowed.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    allowed.set(route.path, methods);
  }
  const guarded = guardedPaths.get(app) ?? new Set<string>();
  guardedPaths.set(app, guarded);
  for (const [path, methods] of allowed) {
    if (guarded.has(path)) continue;
    guarded.add(path);
    app.all(path, methodNotAllowed([...methods].join(', ')));
  }
}
