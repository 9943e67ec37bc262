import { OpenAPIHono } from '@hono/zod-openapi';
import { ltTranslateRoute } from '../../../shared/contract/routes.js';
import { validateLtTranslateRequest } from '../../../shared/contract/validate.js';
import { ltTranslateAnswer } from '../../../shared/libretranslate/answer.js';
import { rateLimit } from '../../ratelimit/middleware.js';
import { validatedBody, type TranslateRouteEnv } from '../shared.js';
import { translateCached } from '../translate-cached.js';

/**
 * LibreTranslate's POST /translate: the same cached translate flow and rate limit as
 * /api/v1/translate; LibreTranslate's `api_key` body field works like a Bearer key. The answer is
 * LibreTranslate's shape, built by the builder the container uses too.
 */
export function createLtTranslateApp(): OpenAPIHono<TranslateRouteEnv> {
  const app = new OpenAPIHono<TranslateRouteEnv>();
  const middleware = [validatedBody(validateLtTranslateRequest), rateLimit({ acceptBodyApiKey: true })];
  app.openapi({ ...ltTranslateRoute, middleware }, async (c) => {
    const outcome = await translateCached(c);
    return c.json(ltTranslateAnswer(outcome.results, c.get('input')), 200);
  });
  return app;
}
