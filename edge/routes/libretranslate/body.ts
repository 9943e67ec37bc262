import type { Context } from 'hono';
import type { BodyValidator } from '../../../shared/http/validated-body.js';
import { ltValidatedBody, type LtBodyOptions } from '../../../shared/libretranslate/validated-body.js';
import type { EdgeEnv } from '../../context.js';

/** A LibreTranslate route's body layers (any body kind LibreTranslate takes) with the edge's configured limits. */
export function ltBody<V>(validate: BodyValidator<V>, options: LtBodyOptions = {}) {
  return ltValidatedBody(validate, (c: Context<EdgeEnv>) => c.get('services').config.limits, options);
}
