import { Hono } from 'hono';
import type { BatchTranslationResponse } from '../../shared/contract/translate.js';
import { validateTranslateRequest } from '../../shared/contract/validate.js';
import type { EdgeEnv } from '../context.js';
import { jsonBody } from '../middleware/body.js';
import { rateLimit } from '../ratelimit/middleware.js';
import { translateFlow } from '../services/translate.js';
import { flowContext, methodNotAllowed, validated, type TranslateRouteEnv } from './shared.js';

/** POST /api/v1/translate: one text → a TranslationResult; an array → a BatchTranslationResponse. */
export function createTranslateApp(): Hono<EdgeEnv> {
  const app = new Hono<TranslateRouteEnv>();
  app.post('/api/v1/translate', jsonBody(), validated(validateTranslateRequest), rateLimit(), async (c) => {
    const request = c.get('input');
    const outcome = await translateFlow(request, flowContext(c));
    c.header('X-Cache', outcome.cacheStatus);
    c.header('Cache-Control', 'no-store');
    if (!request.batch) return c.json(outcome.results[0]!);
    const body: BatchTranslationResponse = {
      results: outcome.results,
      count: outcome.results.length,
      character_count: request.characterCount,
      total_time: outcome.results[0]?.total_time ?? 0,
      timestamp: outcome.results[0]?.timestamp ?? new Date().toISOString(),
      request_id: c.get('requestId'),
      model: outcome.model,
    };
    return c.json(body);
  });
  app.all('/api/v1/translate', methodNotAllowed('POST'));
  return app as unknown as Hono<EdgeEnv>;
}
