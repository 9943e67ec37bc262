import { OpenAPIHono } from '@hono/zod-openapi';
import { registerDocs } from '../../shared/http/docs.js';
import { rejectOtherMethods } from '../../shared/http/errors.js';
import { validationFailedHook } from '../../shared/http/validation-hook.js';
import { createLanguagesApp } from '../../shared/languages/app.js';
import type { EdgeEnv } from '../context.js';
import { createDetectApp } from './detect.js';
import { createHealthApp } from './health.js';
import { createLibreTranslateApp } from './libretranslate/index.js';
import { createTranslateApp } from './translate.js';

/**
 * Every route the edge serves, one sub-app per route group, each endpoint registered with
 * `app.openapi(route, handler)` so this app's registry is the edge's OpenAPI document (GET
 * /openapi.json, with Swagger UI at GET /). A known path asked with another method is 405 with Allow.
 * Mount it after the app-wide middleware (request id, services, CORS, body limit).
 */
export function createEdgeRoutes(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>({ defaultHook: validationFailedHook });
  app.route('/', createHealthApp());
  app.route('/', createTranslateApp());
  app.route('/', createDetectApp());
  app.route('/api/v1', createLanguagesApp<EdgeEnv>());
  app.route('/', createLibreTranslateApp());
  registerDocs(app, { service: 'edge' });
  rejectOtherMethods(app);
  return app;
}
