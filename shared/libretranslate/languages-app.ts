import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { libreLanguagesRoute } from '../contract/libretranslate-routes.js';
import { LANGUAGES_CACHE_CONTROL } from '../languages/app.js';
import { ltLanguages } from '../languages/libretranslate.js';

/**
 * LibreTranslate's GET /languages, answered from static data by both apps (the edge never asks the
 * container), cacheable like the /api/v1/languages routes. A body sent with the GET (libretranslatepy
 * sends its urlencoded parameters) is ignored, as LibreTranslate ignores it.
 */
export function createLtLanguagesApp<E extends Env = Env>(): OpenAPIHono<E> {
  const app = new OpenAPIHono<E>();
  app.openapi(libreLanguagesRoute, (c) => c.json(ltLanguages(), 200, { 'Cache-Control': LANGUAGES_CACHE_CONTROL }));
  return app;
}
