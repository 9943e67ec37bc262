import type { Context, MiddlewareHandler } from 'hono';
import type { BodyValidator, ValidatedBodyVariables } from '../http/validated-body.js';
import type { Limits } from '../limits.js';
import { normalizeLineEndings, readLtBody } from './body.js';

export interface LtBodyOptions {
  /**
   * Fields of a form body that get LibreTranslate's line-ending normalisation: `q` on /translate (as
   * LibreTranslate does), `q` and `s` on /suggest (so a correction's text matches the text /translate sees).
   */
  normalize?: readonly string[];
}

/**
 * A LibreTranslate route's body layers: the body read as LibreTranslate reads it (JSON, urlencoded,
 * multipart, or the query string; 413 before parsing), then the route's validator with the configured
 * limits. Leaves the fields in `c.var.body` (so the rate limiter finds `api_key` in any body kind) and
 * the normalised request in `c.var.input`, like the JSON routes' validatedJsonBody.
 */
export function ltValidatedBody<V>(
  validate: BodyValidator<V>,
  limitsOf: (c: Context) => Limits,
  options: LtBodyOptions = {},
): MiddlewareHandler<{ Variables: ValidatedBodyVariables<V> }> {
  return async (c, next) => {
    const limits = limitsOf(c);
    const { kind, fields } = await readLtBody(c.req.raw, limits.MAX_BODY_BYTES);
    if (kind === 'form') {
      for (const name of options.normalize ?? []) {
        const value = fields[name];
        if (typeof value === 'string') fields[name] = normalizeLineEndings(value);
      }
    }
    c.set('body', fields);
    c.set('input', validate(fields, limits));
    await next();
  };
}
