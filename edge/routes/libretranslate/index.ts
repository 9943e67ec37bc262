import { OpenAPIHono } from '@hono/zod-openapi';
import { createLtLanguagesApp } from '../../../shared/libretranslate/languages-app.js';
import type { EdgeEnv } from '../../context.js';
import { createLtDetectApp } from './detect.js';
import { createLtSettingsApp } from './settings.js';
import { createLtSuggestApp } from './suggest.js';
import { createLtTranslateApp } from './translate.js';

/**
 * The LibreTranslate-compatible routes, so existing LibreTranslate clients work unchanged: POST
 * /translate, POST /detect, POST /suggest, GET /languages (answered at the edge) and GET
 * /frontend/settings; GET /spec is registered beside /openapi.json (shared/libretranslate/spec.ts).
 * Bodies may be JSON, urlencoded or multipart; errors are LibreTranslate's `{"error": "<message>"}`
 * (shared/libretranslate/errors.ts, mounted app-wide in edge/app.ts so the body limit's 413 is too).
 */
export function createLibreTranslateApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>();
  app.route('/', createLtTranslateApp());
  app.route('/', createLtDetectApp());
  app.route('/', createLtSuggestApp());
  app.route('/', createLtLanguagesApp<EdgeEnv>());
  app.route('/', createLtSettingsApp());
  return app;
}
