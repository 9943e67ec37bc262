import { OpenAPIHono } from '@hono/zod-openapi';
import {
  createSuggestionRoute,
  deleteSuggestionRoute,
  listSuggestionsRoute,
  validateSuggestionRequest,
  type NormalizedSuggestion,
} from '../../shared/contract/suggestions.js';
import { AppError } from '../../shared/errors.js';
import { validationFailedHook } from '../../shared/http/validation-hook.js';
import type { EdgeEnv } from '../context.js';
import { requireAdmin } from '../middleware/admin.js';
import { correctionsOf, submitterOf } from '../suggestions/submitter.js';
import { validatedBody, type RouteEnv } from './shared.js';

/**
 * Community corrections in this API's terms: POST /api/v1/suggestions stores one (the client is who
 * its Bearer API key or, without one, its IP group says); an admin (Bearer ADMIN_TOKEN) lists them and
 * deletes them. While SUGGESTIONS is off the store is not opened: submitting is 403, the list is
 * empty and a delete finds nothing (turn suggestions on to clean up).
 */
export function createSuggestionsApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>({ defaultHook: validationFailedHook });

  const submit = new OpenAPIHono<RouteEnv<NormalizedSuggestion>>();
  submit.openapi({ ...createSuggestionRoute, middleware: [validatedBody(validateSuggestionRequest)] }, async (c) => {
    const corrections = correctionsOf(c.get('services'));
    const { submitted_by: _who, ...created } = await corrections.submit(c.get('input'), await submitterOf(c, undefined));
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  });
  app.route('/', submit);

  app.openapi({ ...listSuggestionsRoute, middleware: [requireAdmin()] }, async (c) => {
    const services = c.get('services');
    const { limit, cursor } = c.req.valid('query');
    const page = services.corrections ? await services.corrections.list(limit, cursor) : { suggestions: [], cursor: null };
    c.header('Cache-Control', 'no-store');
    return c.json(page, 200);
  });

  app.openapi({ ...deleteSuggestionRoute, middleware: [requireAdmin()] }, async (c) => {
    const services = c.get('services');
    const { id } = c.req.valid('param');
    if (!services.corrections || !(await services.corrections.delete(id))) throw new AppError('NOT_FOUND', `no suggestion ${id}`);
    return c.json({ id, deleted: true as const }, 200);
  });
  return app;
}
