import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { libreSuggestRoute } from '../../../shared/contract/libretranslate-routes.js';
import { validateLtSuggestRequest, type NormalizedSuggestion } from '../../../shared/contract/suggestions.js';
import type { EdgeEnv } from '../../context.js';
import { correctionsOf, submitterOf } from '../../suggestions/submitter.js';
import type { RouteEnv } from '../shared.js';
import { ltBody } from './body.js';

/** LibreTranslate checks that suggestions are on before it looks at the body. */
const suggestionsEnabled: MiddlewareHandler<EdgeEnv> = async (c, next) => {
  correctionsOf(c.get('services'));
  await next();
};

function bodyApiKey(fields: unknown): string | undefined {
  const value = (fields as Record<string, unknown>).api_key;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * LibreTranslate's POST /suggest (`q`, `s`, `source`, `target`, any body kind): stores a correction that
 * is served from then on for that exact text, source and target (edge/suggestions/). 403 "Suggestions
 * are disabled on this server." while SUGGESTIONS is off, as LibreTranslate answers.
 */
export function createLtSuggestApp(): OpenAPIHono<RouteEnv<NormalizedSuggestion>> {
  const app = new OpenAPIHono<RouteEnv<NormalizedSuggestion>>();
  const middleware = [suggestionsEnabled, ltBody(validateLtSuggestRequest, { normalize: ['q', 's'] })];
  app.openapi({ ...libreSuggestRoute, middleware }, async (c) => {
    const submitter = await submitterOf(c, bodyApiKey(c.get('body')));
    await correctionsOf(c.get('services')).submit(c.get('input'), submitter);
    c.header('Cache-Control', 'no-store');
    return c.json({ success: true as const }, 200);
  });
  return app;
}
