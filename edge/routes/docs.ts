import type { Hono } from 'hono';
import { createDocsApp as createSharedDocsApp } from '../../shared/http/docs.js';
import type { EdgeEnv } from '../context.js';

/** GET / (Swagger UI pointing at /openapi.json) and GET /openapi.json (buildOpenApiDocument({service: 'edge'})). */
export function createDocsApp(): Hono<EdgeEnv> {
  return createSharedDocsApp<EdgeEnv>('edge');
}
