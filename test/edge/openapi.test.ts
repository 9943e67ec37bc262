import { beforeAll, describe, expect, it } from 'vitest';
import { createEdgeRoutes } from '../../edge/routes/index.js';
import { detectRoute, edgeHealthRoute, ltDetectRoute, ltTranslateRoute, translateRoute } from '../../shared/contract/routes.js';
import { documentedOperations, expectEnvelope, routesByKey, servedOperations, staticRouteExamples, staticRoutes, walkTests, type Walk, type WalkExample } from '../shared/contract/openapi-walk.js';
import { harness, unique, uniqueIp, type Harness } from './harness.js';

/**
 * The edge's /openapi.json is exactly what the edge serves: every documented operation answers a valid
 * request as documented (through the real Worker with a fake origin), refuses an invalid one with a
 * documented 4xx in the envelope, and answers another method with 405 + Allow; every served route is
 * documented.
 */

interface Call {
  path: string;
  /** A JSON body, POSTed; without one the call is a GET. */
  json?: unknown;
}

const post = (path: string, json: unknown): Call => ({ path, json });
const get = (path: string): Call => ({ path });

/** One example per documented operation (the test fails when a route is added without one). */
const EXAMPLES: Record<string, WalkExample<Call>> = {
  'GET /health': { valid: get('/health') },
  'POST /api/v1/translate': {
    valid: post('/api/v1/translate', { text: `good morning ${unique()}`, target_language: 'sw', source_language: 'en' }),
    invalid: { ...post('/api/v1/translate', { text: 'hi' }), status: 400, code: 'VALIDATION_FAILED' },
  },
  'POST /api/v1/detect-language': {
    valid: post('/api/v1/detect-language', { text: 'habari yako rafiki' }),
    invalid: { ...post('/api/v1/detect-language', { text: 'a'.repeat(5001) }), status: 413, code: 'TEXT_TOO_LONG' },
  },
  'POST /translate': {
    valid: post('/translate', { q: `bonjour ${unique()}`, source: 'auto', target: 'sw' }),
    invalid: { ...post('/translate', { q: 'hi', source: 'en', target: 'zz' }), status: 400, code: 'UNSUPPORTED_LANGUAGE' },
  },
  'POST /detect': {
    valid: post('/detect', { q: 'bonjour mon ami' }),
    invalid: { ...post('/detect', { text: 'hi' }), status: 400, code: 'VALIDATION_FAILED' },
  },
  ...staticRouteExamples(get),
};

/** Served on purpose without being in the document: the docs themselves, and the benchmark's trivial route. */
const UNDOCUMENTED = ['GET /', 'GET /openapi.json', 'GET /__bench/constant'];

const ROUTES = new Map([...routesByKey([edgeHealthRoute, translateRoute, detectRoute, ltTranslateRoute, ltDetectRoute]), ...staticRoutes()]);

let h: Harness;
let walk: Walk<Call>;

/** Each call from its own client IP, so the rate limit never interferes; `method` replaces the call's own. */
function send(call: Call, method?: string): Promise<Response> {
  const headers = { 'cf-connecting-ip': uniqueIp(), 'content-type': 'application/json' };
  if (method !== undefined) return h.request(call.path, { method, headers });
  if (call.json === undefined) return h.request(call.path, { headers });
  return h.request(call.path, { method: 'POST', headers, body: JSON.stringify(call.json) });
}

beforeAll(async () => {
  h = harness();
  const response = await h.request('/openapi.json');
  expect(response.status).toBe(200);
  const operations = documentedOperations(await response.json());
  walk = { operations, examples: EXAMPLES, routes: ROUTES, send };
});

describe("the edge's OpenAPI document", () => {
  walkTests(() => walk, () => servedOperations(createEdgeRoutes().routes), UNDOCUMENTED);

  it("does not document the container's operations routes, and valid requests reached the origin", () => {
    expect(walk.operations.some((operation) => ['/status', '/metrics'].includes(operation.path))).toBe(false);
    expect(h.origins.a!.calls.translate).toBeGreaterThan(0);
    expect(h.origins.a!.calls.detect).toBeGreaterThan(0);
  });

  it('the docs routes answer another method with 405 too', async () => {
    for (const path of ['/', '/openapi.json']) {
      const response = await h.request(path, { method: 'PUT' });
      await expectEnvelope(response, 405, 'METHOD_NOT_ALLOWED', `PUT ${path}`);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });
});
