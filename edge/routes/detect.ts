import { OpenAPIHono } from '@hono/zod-openapi';
import { detectRoute } from '../../shared/contract/routes.js';
import { validateDetectRequest } from '../../shared/contract/validate.js';
import { rateLimit } from '../ratelimit/middleware.js';
import { detectAtOrigin } from './detect-origin.js';
import { validatedBody, type DetectRouteEnv } from './shared.js';

/** POST /api/v1/detect-language: answered by the origin (not cached: detection is cheap), rate-limited. */
export function createDetectApp(): OpenAPIHono<DetectRouteEnv> {
  const app = new OpenAPIHono<DetectRouteEnv>();
  app.openapi({ ...detectRoute, middleware: [validatedBody(validateDetectRequest), rateLimit()] }, async (c) => {
    const detection = await detectAtOrigin(c);
    c.header('Cache-Control', 'no-store');
    return c.json(detection, 200);
  });
  return app;
}
