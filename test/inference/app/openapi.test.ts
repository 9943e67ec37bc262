import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminReloadRoute,
  detectRoute,
  healthRoute,
  metricsRoute,
  statusRoute,
  translateRoute,
} from '../../../shared/contract/routes.js';
import { ErrorBodySchema } from '../../../shared/contract/index.js';
import { libreDetectRoute, libreFrontendSettingsRoute, libreSpecRoute, libreSuggestRoute, libreTranslateRoute } from '../../../shared/contract/libretranslate-routes.js';
import { createTestContainer } from '../../support/container.js';
import { documentedOperations, expectEnvelope, routesByKey, servedOperations, staticRouteExamples, staticRoutes, walkTests, type Walk, type WalkExample } from '../../shared/contract/openapi-walk.js';

/**
 * The container's /openapi.json is exactly what it serves: every documented operation answers a valid
 * request as documented (on the tiny fixture model), refuses an invalid one with a documented 4xx in
 * the envelope, and answers another method with 405 + Allow; every served route is documented. The
 * container runs behind an edge secret with metrics and admin tokens, so the protected routes are
 * exercised with and without their credentials.
 */

const SECRET = 'edge-secret-0123456789abcdef';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

interface Call {
  path: string;
  /** A JSON body, POSTed; without one the call is a GET (or `method`). */
  json?: unknown;
  method?: string;
  /** Headers on top of the edge secret (`withoutSecret` drops it). */
  headers?: Record<string, string>;
  withoutSecret?: boolean;
}

const post = (path: string, json: unknown): Call => ({ path, json });
const get = (path: string, headers?: Record<string, string>): Call => ({ path, ...(headers ? { headers } : {}) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** One example per documented operation (the test fails when a route is added without one). */
/** Invalid examples are a bad body, parameter or credential. */
const EXAMPLES: Record<string, WalkExample<Call>> = {
  'GET /health': { valid: get('/health') },
  'GET /status': { valid: get('/status'), invalid: { ...get('/status'), withoutSecret: true, status: 401, code: 'UNAUTHORIZED' } },
  'GET /metrics': { valid: get('/metrics', bearer(METRICS_TOKEN)), invalid: { ...get('/metrics', bearer('wrong')), status: 401, code: 'UNAUTHORIZED' } },
  'POST /admin/reload': {
    valid: { path: '/admin/reload', method: 'POST', headers: bearer(ADMIN_TOKEN) },
    invalid: { path: '/admin/reload', method: 'POST', status: 401, code: 'UNAUTHORIZED' },
  },
  'POST /api/v1/translate': {
    valid: post('/api/v1/translate', { text: 'the child eats the bread.', source_language: 'en', target_language: 'sw' }),
    invalid: { ...post('/api/v1/translate', { text: ['ok', '  '], target_language: 'sw' }), status: 400, code: 'VALIDATION_FAILED' },
  },
  'POST /api/v1/detect-language': {
    valid: post('/api/v1/detect-language', { text: 'Bonjour tout le monde, comment allez-vous ?' }),
    invalid: { ...post('/api/v1/detect-language', { text: 'hi', top_k: 99 }), status: 400, code: 'VALIDATION_FAILED' },
  },
  'POST /translate': {
    valid: post('/translate', { q: 'the mother drinks the tea.', source: 'auto', target: 'sw' }),
    // LibreTranslate's status for its own batch limit: 400 (the stable code in X-Error-Code).
    invalid: { ...post('/translate', { q: Array.from({ length: 65 }, () => 'a'), source: 'en', target: 'sw' }), status: 400, code: 'BATCH_TOO_LARGE' },
  },
  'POST /detect': {
    valid: post('/detect', { q: 'This is an English sentence.' }),
    invalid: { ...post('/detect', { q: 5 }), status: 400, code: 'VALIDATION_FAILED' },
  },
  // The container stores no suggestions (the edge does): LibreTranslate's answer for a server without them.
  'POST /suggest': { invalid: { ...post('/suggest', { q: 'hello', s: 'habari', source: 'en', target: 'sw' }), status: 403, code: 'SUGGESTIONS_DISABLED' } },
  'GET /frontend/settings': { valid: get('/frontend/settings') },
  'GET /spec': { valid: get('/spec') },
  ...staticRouteExamples(get),
};

/** Served on purpose without being in the document: the docs themselves. */
const UNDOCUMENTED = ['GET /', 'GET /openapi.json'];

const ROUTES = new Map([
  ...routesByKey([healthRoute, statusRoute, metricsRoute, adminReloadRoute, translateRoute, detectRoute, libreTranslateRoute, libreDetectRoute, libreSuggestRoute, libreFrontendSettingsRoute, libreSpecRoute]),
  ...staticRoutes(),
]);

let container: Awaited<ReturnType<typeof createTestContainer>>;
let walk: Walk<Call>;

/** A call with the edge secret (unless `withoutSecret`); `method` replaces the call's own, without a body. */
async function send(call: Call, method?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(call.withoutSecret ? {} : { 'x-sema-edge-secret': SECRET }), ...call.headers };
  if (method !== undefined) return container.app.request(call.path, { method, headers });
  if (call.json === undefined) return container.app.request(call.path, { method: call.method ?? 'GET', headers });
  return container.app.request(call.path, { method: 'POST', headers, body: JSON.stringify(call.json) });
}

beforeAll(async () => {
  container = await createTestContainer({ EDGE_SHARED_SECRET: SECRET, METRICS_TOKEN, ADMIN_TOKEN });
  const response = await send(get('/openapi.json'));
  expect(response.status).toBe(200);
  const operations = documentedOperations(await response.json());
  walk = { operations, examples: EXAMPLES, routes: ROUTES, send };
});
afterAll(async () => {
  await container?.close(1000);
});

describe("the container's OpenAPI document", () => {
  walkTests(() => walk, () => servedOperations(container.app.routes), UNDOCUMENTED);

  it('a request without the edge secret is refused with a sentence that names the header', async () => {
    const response = await send({ ...get('/status'), withoutSecret: true });
    expect(response.status).toBe(401);
    expect(ErrorBodySchema.parse(await response.json()).error.message).toBe("the edge's shared secret is missing or wrong (header x-sema-edge-secret)");
  });

  it('the public routes answer a wrong method with 405 even without the edge secret', async () => {
    for (const path of ['/health', '/metrics']) {
      const response = await send({ path, withoutSecret: true }, 'PUT');
      await expectEnvelope(response, 405, 'METHOD_NOT_ALLOWED', `PUT ${path}`);
    }
  });
});
