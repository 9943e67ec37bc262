import { OpenAPIHono } from '@hono/zod-openapi';
import { libreDetectRoute } from '../../../shared/contract/libretranslate-routes.js';
import { validateLtDetectRequest } from '../../../shared/contract/validate.js';
import { ltDetectAnswer } from '../../../shared/libretranslate/answer.js';
import { rateLimit } from '../../ratelimit/middleware.js';
import { detectAtOrigin } from '../detect-origin.js';
import type { DetectRouteEnv } from '../shared.js';
import { ltBody } from './body.js';

/** LibreTranslate's POST /detect: its body kinds, then the same origin call and rate limit as /api/v1/detect-language. */
export function createLtDetectApp(): OpenAPIHono<DetectRouteEnv> {
  const app = new OpenAPIHono<DetectRouteEnv>();
  const middleware = [ltBody(validateLtDetectRequest), rateLimit({ acceptBodyApiKey: true })];
  app.openapi({ ...libreDetectRoute, middleware }, async (c) => {
    const detection = await detectAtOrigin(c);
    c.header('Cache-Control', 'no-store');
    return c.json(ltDetectAnswer(detection), 200);
  });
  return app;
}
