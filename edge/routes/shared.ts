import type { Context, MiddlewareHandler } from 'hono';
import type { NormalizedDetectRequest, NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import type { Limits } from '../../shared/limits.js';
import type { EdgeEnv } from '../context.js';
import type { TranslateFlowContext } from '../services/translate.js';

/** Route-level variables set by the validation step. */
export type RouteEnv<V> = { Bindings: EdgeEnv['Bindings']; Variables: EdgeEnv['Variables'] & { input: V } };
export type TranslateRouteEnv = RouteEnv<NormalizedTranslateRequest>;
export type DetectRouteEnv = RouteEnv<NormalizedDetectRequest>;

/**
 * Validation of the parsed body with a shared validator (zod schema, then items, characters and
 * languages in the documented layers); the normalised request is `c.var.input`.
 */
export function validated<V>(validator: (body: unknown, limits: Limits) => V): MiddlewareHandler<RouteEnv<V>> {
  return async (c, next) => {
    c.set('input', validator(c.get('body'), c.get('services').config.limits));
    await next();
  };
}

/** Work after the response; outside a request context (never in practice) it just runs. */
export function deferFor(c: Context): (work: Promise<unknown>) => void {
  return (work) => {
    const guarded = work.catch(() => undefined);
    try {
      c.executionCtx.waitUntil(guarded);
    } catch {
      // no ExecutionContext: the promise still runs to completion
    }
  };
}

export function flowContext(c: Context<TranslateRouteEnv>): TranslateFlowContext {
  const services = c.get('services');
  const defer = deferFor(c);
  return {
    services,
    cache: services.cache(c.env, defer),
    defer,
    requestId: c.get('requestId'),
    clientIp: c.get('clientIp'),
    startedAt: c.get('startedAt'),
  };
}

export { methodNotAllowed } from '../../shared/http/errors.js';
