import { OpenAPIHono } from '@hono/zod-openapi';
import { libreTranslateRoute } from '../../../shared/contract/libretranslate-routes.js';
import { validateLtTranslateRequest } from '../../../shared/contract/validate.js';
import { ltTranslateAnswer } from '../../../shared/libretranslate/answer.js';
import { rateLimit } from '../../ratelimit/middleware.js';
import type { TranslateRouteEnv } from '../shared.js';
import { translateCached } from '../translate-cached.js';
import { ltBody } from './body.js';

/**
 * LibreTranslate's POST /translate: its body kinds (JSON, urlencoded, multipart), then the same cached
 * translate flow and rate limit as /api/v1/translate; `api_key` in any body kind works like a Bearer
 * key. The answer is LibreTranslate's shape, built by the builder the container uses too.
 */
export function createLtTranslateApp(): OpenAPIHono<TranslateRouteEnv> {
  const app = new OpenAPIHono<TranslateRouteEnv>();
  const middleware = [ltBody(validateLtTranslateRequest, { normalize: ['q'] }), rateLimit({ acceptBodyApiKey: true })];
  app.openapi({ ...libreTranslateRoute, middleware }, async (c) => {
    const outcome = await translateCached(c);
    return c.json(ltTranslateAnswer(outcome.results, c.get('input')), 200);
  });
  return app;
}
