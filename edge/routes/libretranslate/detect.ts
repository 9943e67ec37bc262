import { OpenAPIHono } from '@hono/zod-openapi';
import { ltDetectRoute } from '../../../shared/contract/routes.js';
import { validateLtDetectRequest } from '../../../shared/contract/validate.js';
import { ltDetectAnswer } from '../../../shared/libretranslate/answer.js';
import { rateLimit } from '../../ratelimit/middleware.js';
import { detectAtOrigin } from '../detect-origin.js';
import { validatedBody, type DetectRouteEnv } from '../shared.js';

/** LibreTranslate's POST /detect: the same origin call and rate limit as /api/v1/detect-language. */
export function createLtDetectApp(): OpenAPIHono<DetectRouteEnv> {
  const app = new OpenAPIHono<DetectRouteEnv>();
  const middleware = [validatedBody(validateLtDetectRequest), rateLimit({ acceptBodyApiKey: true })];
  app.openapi({ ...ltDetectRoute, middleware }, async (c) => {
    const detection = await detectAtOrigin(c);
    c.header('Cache-Control', 'no-store');
    return c.json(ltDetectAnswer(detection), 200);
  });
  return app;
}
