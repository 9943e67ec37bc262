import type { Context, MiddlewareHandler } from 'hono';
import type { Limits } from '../limits.js';
import { readJsonBody } from './json-body.js';

/** What validatedJsonBody leaves on the context: the parsed JSON, and the request after every check. */
export interface ValidatedBodyVariables<V> {
  body: unknown;
  input: V;
}

/** A shared validator (shared/contract/validate.ts): the parsed body → the normalised request, or an AppError. */
export type BodyValidator<V> = (body: unknown, limits: Limits) => V;

/**
 * The request-body layers of a JSON route, in the documented order: media type (415), bytes (413),
 * UTF-8 and JSON (400 INVALID_JSON), then the shared validator (schema → items → characters →
 * languages, each with its own code). Used as a route's `middleware`, so it runs before the route's
 * own zod-openapi validation (which then only re-reads what this accepted) and every refusal carries
 * our envelope and codes. `limitsOf` is the app's configured limits.
 */
export function validatedJsonBody<V>(
  validate: BodyValidator<V>,
  limitsOf: (c: Context) => Limits,
): MiddlewareHandler<{ Variables: ValidatedBodyVariables<V> }> {
  return async (c, next) => {
    const limits = limitsOf(c);
    const body = await readJsonBody(c, limits.MAX_BODY_BYTES);
    c.set('body', body);
    c.set('input', validate(body, limits));
    await next();
  };
}
