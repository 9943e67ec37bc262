import type { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { Env } from 'hono';
import { openApiDocument, type OpenApiDocument, type OpenApiOptions } from '../contract/openapi.js';

/**
 * GET / (interactive docs) and GET /openapi.json on `app`. The document is generated from `app`'s own
 * registry (every route registered with `app.openapi`, and those of the OpenAPIHono sub-apps mounted on
 * it), so it lists exactly what the app serves. It is built on the first request, when every route is
 * registered, and kept for the life of the process.
 */
export function registerDocs<E extends Env>(app: OpenAPIHono<E>, options: OpenApiOptions): void {
  let document: OpenApiDocument | undefined;
  app.get('/', swaggerUI({ url: '/openapi.json', title: 'Sema Edge translation API' }));
  app.get('/openapi.json', (c) => {
    document ??= openApiDocument(app, options);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(document);
  });
}
