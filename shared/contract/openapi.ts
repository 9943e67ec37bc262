import { OpenAPIHono } from '@hono/zod-openapi';
import { createLanguagesApp } from '../languages/index.js';
import { API_ROUTES } from './routes.js';

export const API_VERSION = '1.0.0';

export interface OpenApiOptions {
  /** Which deployable serves the document; both share one contract. */
  service: 'edge' | 'inference';
  serverUrl?: string;
}

/** The OpenAPI 3 document, generated from the shared zod schemas and route definitions. */
export function buildOpenApiDocument(options: OpenApiOptions): ReturnType<OpenAPIHono['getOpenAPIDocument']> {
  const app = new OpenAPIHono();
  for (const route of API_ROUTES) app.openAPIRegistry.registerPath(route);
  app.route('/api/v1', createLanguagesApp());
  return app.getOpenAPIDocument({
    openapi: '3.0.3',
    info: {
      title: 'Sema Edge translation API',
      version: API_VERSION,
      description:
        'Translation for the 200 languages of NLLB-200, with a focus on African languages. ' +
        `Served by the ${options.service === 'edge' ? 'edge worker (cache, rate limit)' : 'inference container'}. ` +
        'Errors share one envelope: {"error": {"code", "message", "status", "request_id"}}.',
      license: { name: 'Code: Apache-2.0; NLLB-200 weights: CC-BY-NC-4.0' },
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
  });
}
