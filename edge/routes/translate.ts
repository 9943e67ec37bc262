import { OpenAPIHono } from '@hono/zod-openapi';
import { translateRoute } from '../../shared/contract/routes.js';
import type { BatchTranslationResponse } from '../../shared/contract/translate.js';
import { validateTranslateRequest } from '../../shared/contract/validate.js';
import { rateLimit } from '../ratelimit/middleware.js';
import { validatedBody, type TranslateRouteEnv } from './shared.js';
import { translateCached } from './translate-cached.js';

/**
 * POST /api/v1/translate: one text → a TranslationResult; an array → a BatchTranslationResponse. The
 * cached translate flow (edge/services/translate.ts); rate-limited after validation.
 */
export function createTranslateApp(): OpenAPIHono<TranslateRouteEnv> {
  const app = new OpenAPIHono<TranslateRouteEnv>();
  app.openapi({ ...translateRoute, middleware: [validatedBody(validateTranslateRequest), rateLimit()] }, async (c) => {
    const request = c.get('input');
    const outcome = await translateCached(c);
    if (!request.batch) return c.json(outcome.results[0]!, 200);
    const body: BatchTranslationResponse = {
      results: outcome.results,
      count: outcome.results.length,
      character_count: request.characterCount,
      total_time: outcome.results[0]?.total_time ?? 0,
      timestamp: outcome.results[0]?.timestamp ?? new Date().toISOString(),
      request_id: c.get('requestId'),
      model: outcome.model,
    };
    return c.json(body, 200);
  });
  return app;
}
