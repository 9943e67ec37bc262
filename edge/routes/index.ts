import { OpenAPIHono } from '@hono/zod-openapi';
import { registerDocs } from '../../shared/http/docs.js';
import { rejectOtherMethods } from '../../shared/http/errors.js';
import { validationFailedHook } from '../../shared/http/validation-hook.js';
import { createLanguagesApp } from '../../shared/languages/app.js';
import type { EdgeEnv } from '../context.js';
import { createDetectApp } from './detect.js';
import { createDocumentsApp } from './documents.js';
import { createGlossariesApp } from './glossaries.js';
import { createHealthApp } from './health.js';
import { createKeysApp } from './keys.js';
import { createLibreTranslateApp } from './libretranslate/index.js';
import { createPlaygroundApp } from './playground.js';
import { createSuggestionsApp } from './suggestions.js';
import { registerLtSpec } from '../../shared/libretranslate/spec.js';
import { createTranslateApp } from './translate.js';
import { createUsageApp } from './usage.js';

/**
 * Every route the edge serves, one sub-app per route group, each endpoint registered with
 * `app.openapi(route, handler)` so this app's registry is the edge's OpenAPI document (GET
 * /openapi.json, with Swagger UI at GET /docs; GET / and /playground are the HTML pages). A known path asked with another method is 405 with Allow.
 * Mount it after the app-wide middleware (request id, services, CORS, body limit).
 */
export function createEdgeRoutes(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>({ defaultHook: validationFailedHook });
  app.route('/', createHealthApp());
  app.route('/', createTranslateApp());
  app.route('/', createDetectApp());
  app.route('/api/v1', createLanguagesApp<EdgeEnv>());
  app.route('/', createLibreTranslateApp());
  app.route('/', createDocumentsApp());
  app.route('/', createSuggestionsApp());
  app.route('/', createGlossariesApp());
  app.route('/', createKeysApp());
  app.route('/', createUsageApp());
  app.route('/', createPlaygroundApp());
  registerDocs(app, { service: 'edge', docsPath: '/docs' });
  registerLtSpec(app, { service: 'edge' });
  rejectOtherMethods(app);
  return app;
}
