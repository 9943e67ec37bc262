import type { Context } from 'hono';
import type { NormalizedDetectRequest, NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import { validatedJsonBody, type BodyValidator, type ValidatedBodyVariables } from '../../shared/http/validated-body.js';
import type { EdgeEnv } from '../context.js';
import type { TranslateFlowContext } from '../services/translate.js';

/** The env of a JSON route: the edge's, plus the normalised request (`c.var.input`) of its validation step. */
export type RouteEnv<V> = { Bindings: EdgeEnv['Bindings']; Variables: EdgeEnv['Variables'] & ValidatedBodyVariables<V> };
export type TranslateRouteEnv = RouteEnv<NormalizedTranslateRequest>;
export type DetectRouteEnv = RouteEnv<NormalizedDetectRequest>;

/**
 * A JSON route's body layers with the configured limits (after the app-wide 413 of the body limit):
 * 415 → INVALID_JSON → the shared validator (schema, items, characters, languages in the documented
 * layers). The parsed body is `c.var.body`, the normalised request `c.var.input`.
 */
export function validatedBody<V>(validate: BodyValidator<V>) {
  return validatedJsonBody(validate, (c: Context<EdgeEnv>) => c.get('services').config.limits);
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
    cache: services.cache,
    defer,
    requestId: c.get('requestId'),
    clientIp: c.get('clientIp'),
    startedAt: c.get('startedAt'),
  };
}

