import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { ltLanguagesRoute } from '../contract/routes.js';
import { LANGUAGES_CACHE_CONTROL } from '../languages/app.js';
import { ltLanguages } from '../languages/libretranslate.js';

/**
 * LibreTranslate's GET /languages, answered from static data by both apps (the edge never asks the
 * container), cacheable like the /api/v1/languages routes.
 */
export function createLtLanguagesApp<E extends Env = Env>(): OpenAPIHono<E> {
  const app = new OpenAPIHono<E>();
  app.openapi(ltLanguagesRoute, (c) => c.json(ltLanguages(), 200, { 'Cache-Control': LANGUAGES_CACHE_CONTROL }));
  return app;
}
