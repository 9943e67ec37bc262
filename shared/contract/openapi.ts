import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';

export const API_VERSION = '1.0.0';

export interface OpenApiOptions {
  /** Which deployable serves the document; both share one contract but serve different routes. */
  service: 'edge' | 'inference';
  serverUrl?: string;
}

export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPIDocument']>;
type OpenApiObjectConfig = Parameters<OpenAPIHono['getOpenAPIDocument']>[0];

/** The document's header: version, title, what serves it, the error envelope, licences. */
export function openApiObjectConfig(options: OpenApiOptions): OpenApiObjectConfig {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Sema Edge translation API',
      version: API_VERSION,
      description:
        'Translation for the 200 languages of NLLB-200, with a focus on African languages. ' +
        `Served by the ${options.service === 'edge' ? 'edge worker (cache, rate limit)' : 'inference container'}. ` +
        'Errors share one envelope: {"error": {"code", "message", "status", "request_id"}}; a known path asked ' +
        'with another method answers 405 METHOD_NOT_ALLOWED with an Allow header.',
      license: { name: 'Code: Apache-2.0; NLLB-200 weights: CC-BY-NC-4.0' },
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
  };
}

/**
 * The OpenAPI 3 document of an app, generated from the routes registered on it (`app.openapi(route,
 * handler)` with the route definitions of routes.ts and shared/languages/routes.ts), so each app
 * documents exactly the routes it serves.
 */
export function openApiDocument<E extends Env>(app: OpenAPIHono<E>, options: OpenApiOptions): OpenApiDocument {
  return app.getOpenAPIDocument(openApiObjectConfig(options));
}
