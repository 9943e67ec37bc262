import { swaggerUI } from '@hono/swagger-ui';
import { Hono, type Env } from 'hono';
import { buildOpenApiDocument, type OpenApiOptions } from '../contract/openapi.js';

/** GET / (interactive docs) and GET /openapi.json, generated from the shared zod schemas once per process. */
export function createDocsApp<E extends Env>(service: OpenApiOptions['service']): Hono<E> {
  const app = new Hono<E>();
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  app.get('/', swaggerUI({ url: '/openapi.json', title: 'Sema Edge translation API' }));
  app.get('/openapi.json', (c) => {
    document ??= buildOpenApiDocument({ service });
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(document);
  });
  return app;
}
