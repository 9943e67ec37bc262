import { Hono } from 'hono';
import { validateDetectRequest } from '../../shared/contract/validate.js';
import type { EdgeEnv } from '../context.js';
import { jsonBody } from '../middleware/body.js';
import { rateLimit } from '../ratelimit/middleware.js';
import { methodNotAllowed, validated, type DetectRouteEnv } from './shared.js';

/** POST /api/v1/detect-language: answered by the origin (not cached: detection is cheap), rate-limited. */
export function createDetectApp(): Hono<EdgeEnv> {
  const app = new Hono<DetectRouteEnv>();
  app.post('/api/v1/detect-language', jsonBody(), validated(validateDetectRequest), rateLimit(), async (c) => {
    const input = c.get('input');
    const detection = await c.get('services').origin.detect(
      { text: input.text, top_k: input.topK },
      { requestId: c.get('requestId'), clientIp: c.get('clientIp') },
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ ...detection, request_id: c.get('requestId') });
  });
  app.all('/api/v1/detect-language', methodNotAllowed('POST'));
  return app as unknown as Hono<EdgeEnv>;
}
