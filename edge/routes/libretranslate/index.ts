import { OpenAPIHono } from '@hono/zod-openapi';
import { createLtLanguagesApp } from '../../../shared/libretranslate/languages-app.js';
import type { EdgeEnv } from '../../context.js';
import { createLtDetectApp } from './detect.js';
import { createLtTranslateApp } from './translate.js';

/**
 * The LibreTranslate-compatible routes, so existing LibreTranslate clients work unchanged: POST
 * /translate, POST /detect, and GET /languages (answered at the edge). Errors use the shared envelope
 * ({"error": {"code", "message", ...}}).
 */
export function createLibreTranslateApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>();
  app.route('/', createLtTranslateApp());
  app.route('/', createLtDetectApp());
  app.route('/', createLtLanguagesApp<EdgeEnv>());
  return app;
}
