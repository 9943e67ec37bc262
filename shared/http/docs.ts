import type { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { Env } from 'hono';
import { openApiDocument, type OpenApiDocument, type OpenApiOptions } from '../contract/openapi.js';

/**
 * GET `docsPath` (default /: interactive docs) and GET /openapi.json on `app`. The document is generated from `app`'s own
 * registry (every route registered with `app.openapi`, and those of the OpenAPIHono sub-apps mounted on
 * it), so it lists exactly what the app serves. It is built on the first request, when every route is
 * registered, and kept for the life of the process.
 */
export function registerDocs<E extends Env>(app: OpenAPIHono<E>, options: OpenApiOptions & { docsPath?: string }): void {
  let document: OpenApiDocument | undefined;
  // Routes that act for an API key or an operator declare `security: [{ bearerAuth: [] }]`.
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'An API key, or ADMIN_TOKEN on admin routes' });
  app.get(options.docsPath ?? '/', swaggerUI({ url: '/openapi.json', title: 'Sema Edge translation API' }));
  app.get('/openapi.json', (c) => {
    document ??= openApiDocument(app, options);
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(document);
  });
}
