import type { Context } from 'hono';
import type { BodyValidator, ValidatedBodyVariables } from '../../shared/http/validated-body.js';
import { validatedJsonBody } from '../../shared/http/validated-body.js';
import type { Limits } from '../../shared/limits.js';
import type { ContainerVariables } from '../context.js';

/** The env of a JSON route: the container's, plus the normalised request (`c.var.input`) of its validation step. */
export interface JsonRouteEnv<V> {
  Variables: ContainerVariables & ValidatedBodyVariables<V>;
}

/**
 * A JSON route's body layers with the configured limits: 415 → 413 → INVALID_JSON → the shared
 * validator (schema, items, characters, languages), each with its own code.
 */
export function validatedBody<V>(validate: BodyValidator<V>, limits: Limits) {
  return validatedJsonBody(validate, () => limits);
}

/** What the model and detector runs need to know of their request. */
export interface RequestMeta {
  requestId: string;
  /** performance.now() when the request arrived (for total_time). */
  startedAt: number;
  /** Aborts when the client goes away, so its queued work is cancelled. */
  signal: AbortSignal;
  /** Who asked (inference/http/client-key.ts): the fair scheduler serves clients by this key. */
  clientKey: string;
}

export function requestMeta<V>(c: Context<JsonRouteEnv<V>>): RequestMeta {
  return { requestId: c.get('requestId'), startedAt: c.get('startedAt'), signal: c.req.raw.signal, clientKey: c.get('clientKey') };
}
