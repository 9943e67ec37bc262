import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { libreSpecRoute } from '../contract/libretranslate-routes.js';
import { openApiDocument, type OpenApiDocument, type OpenApiOptions } from '../contract/openapi.js';

/**
 * LibreTranslate's GET /spec on `app`: the same OpenAPI document as /openapi.json (generated from
 * `app`'s registry on the first request, when every route is registered, then kept). Register it on
 * the app that serves /openapi.json, before rejectOtherMethods.
 */
export function registerLtSpec<E extends Env>(app: OpenAPIHono<E>, options: OpenApiOptions): void {
  let document: OpenApiDocument | undefined;
  app.openapi(libreSpecRoute, (c) => {
    document ??= openApiDocument(app, options);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(document as unknown as Record<string, unknown>, 200);
  });
}
