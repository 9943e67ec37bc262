import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/bytes.js';
import { createEdgeRoutes } from '../../edge/routes/index.js';
import { createGlossaryRoute, deleteGlossaryRoute, getGlossaryRoute, listGlossariesRoute } from '../../shared/contract/glossaries.js';
import { ltDownloadFileRoute, ltTranslateFileRoute, translateDocumentRoute } from '../../shared/contract/documents-routes.js';
import { createKeyRoute, listKeysRoute, revokeKeyRoute, updateKeyRoute, usageRoute } from '../../shared/contract/keys-routes.js';
import {
  libreDetectRoute,
  libreFrontendSettingsRoute,
  libreSpecRoute,
  libreSuggestRoute,
  libreTranslateRoute,
} from '../../shared/contract/libretranslate-routes.js';
import { detectRoute, edgeHealthRoute, translateRoute } from '../../shared/contract/routes.js';
import { createSuggestionRoute, deleteSuggestionRoute, listSuggestionsRoute } from '../../shared/contract/suggestions.js';
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
  /** Another method than GET/POST (e.g. DELETE). */
  method?: string;
  headers?: Record<string, string>;
  /** A multipart body (built per call: a FormData is consumed by one request), POSTed. */
  form?: () => FormData;
}

/** A small text file as a multipart form, with its language fields. */
function fileForm(fields: Record<string, string>, name = 'hello.txt', content = 'good morning\n'): () => FormData {
  return () => {
    const form = new FormData();
    form.append('file', new File([content], name, { type: 'text/plain' }));
    for (const [field, value] of Object.entries(fields)) form.append(field, value);
    return form;
  };
}

const WALK_ADMIN_TOKEN = 'openapi-walk-admin-token-0123456789';
const admin = { authorization: `Bearer ${WALK_ADMIN_TOKEN}` };

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
  'POST /suggest': {
    valid: post('/suggest', { q: `good night ${unique()}`, s: 'usiku mwema', source: 'en', target: 'sw' }),
    invalid: { ...post('/suggest', { q: 'hi', source: 'en', target: 'sw' }), status: 400, code: 'VALIDATION_FAILED' },
  },
  'GET /frontend/settings': { valid: get('/frontend/settings') },
  'GET /spec': { valid: get('/spec') },
  'POST /api/v1/suggestions': {
    valid: post('/api/v1/suggestions', { text: `good evening ${unique()}`, translation: 'habari za jioni', source_language: 'en', target_language: 'sw' }),
    invalid: { ...post('/api/v1/suggestions', { text: 'hi', source_language: 'en', target_language: 'sw' }), status: 400, code: 'VALIDATION_FAILED' },
  },
  'GET /api/v1/suggestions': {
    valid: { path: '/api/v1/suggestions', headers: admin },
    invalid: { path: '/api/v1/suggestions', status: 401, code: 'UNAUTHORIZED' },
  },
  'POST /api/v1/translate-document': {
    valid: { path: '/api/v1/translate-document', form: fileForm({ target_language: 'sw', source_language: 'en' }) },
    invalid: { path: '/api/v1/translate-document', form: fileForm({ target_language: 'sw' }, 'hello.exe'), status: 415, code: 'UNSUPPORTED_DOCUMENT_FORMAT' },
  },
  'POST /translate_file': {
    valid: { path: '/translate_file', form: fileForm({ source: 'en', target: 'sw' }) },
    invalid: { path: '/translate_file', form: fileForm({ source: 'en' }), status: 400, code: 'VALIDATION_FAILED' },
  },
  'GET /download_file/{filename}': {
    valid: get('/download_file/set-in-beforeAll'),
    invalid: { ...get(`/download_file/${'0'.repeat(32)}.hello.txt`), status: 404, code: 'DOCUMENT_NOT_FOUND' },
  },
  ...staticRouteExamples(get),
};

/** Served on purpose without being in the document: the docs themselves, and the benchmark's trivial route. */
const UNDOCUMENTED = ['GET /', 'GET /docs', 'GET /openapi.json', 'GET /playground', 'GET /playground/app.js', 'GET /playground/app.css', 'GET /__bench/constant'];

const ROUTES = new Map([
  ...routesByKey([edgeHealthRoute, translateRoute, detectRoute, libreTranslateRoute, libreDetectRoute, libreSuggestRoute, libreFrontendSettingsRoute, libreSpecRoute]),
  ...routesByKey([createGlossaryRoute, listGlossariesRoute, getGlossaryRoute, deleteGlossaryRoute]),
  ...routesByKey([createKeyRoute, listKeysRoute, updateKeyRoute, revokeKeyRoute, usageRoute]),
  ...routesByKey([createSuggestionRoute, listSuggestionsRoute, deleteSuggestionRoute]),
  ...routesByKey([translateDocumentRoute, ltTranslateFileRoute, ltDownloadFileRoute]),
  ...staticRoutes(),
]);

let h: Harness;
let walk: Walk<Call>;

/** Each call from its own client IP, so the rate limit never interferes; `method` replaces the call's own. */
function send(call: Call, method?: string): Promise<Response> {
  const headers = { 'cf-connecting-ip': uniqueIp(), 'content-type': 'application/json', ...call.headers };
  if (method !== undefined) return h.request(call.path, { method, headers });
  if (call.form !== undefined) {
    const { 'content-type': _json, ...rest } = headers;
    return h.request(call.path, { method: 'POST', headers: rest, body: call.form() });
  }
  if (call.json === undefined) return h.request(call.path, { method: call.method ?? 'GET', headers });
  return h.request(call.path, { method: call.method ?? 'POST', headers, body: JSON.stringify(call.json) });
}

/** Routes that act for an API key: a key in API_KEYS, and the glossaries the examples read and delete. */
async function addKeyedExamples(): Promise<void> {
  const key = `sk_${unique()}`;
  await env.API_KEYS.put(await sha256Hex(key), JSON.stringify({ name: 'openapi walk', limit_per_minute: 1000 }));
  const auth = { authorization: `Bearer ${key}` };
  const glossary = { name: 'walk', target_language: 'swh_Latn', entries: { cart: 'kikapu' } };
  const created = async () => ((await (await send({ path: '/api/v1/glossaries', json: glossary, headers: auth })).json()) as { glossary_id: string }).glossary_id;
  const [kept, deleted] = [await created(), await created()];
  Object.assign(EXAMPLES, {
    'POST /api/v1/glossaries': {
      valid: { path: '/api/v1/glossaries', json: glossary, headers: auth },
      invalid: { path: '/api/v1/glossaries', json: { ...glossary, entries: {} }, headers: auth, status: 400, code: 'VALIDATION_FAILED' },
    },
    'GET /api/v1/glossaries': {
      valid: { path: '/api/v1/glossaries', headers: auth },
      invalid: { path: '/api/v1/glossaries', status: 401, code: 'UNAUTHORIZED' },
    },
    'GET /api/v1/glossaries/{id}': {
      valid: { path: `/api/v1/glossaries/${kept}`, headers: auth },
      invalid: { path: '/api/v1/glossaries/gl_nope', headers: auth, status: 404, code: 'GLOSSARY_NOT_FOUND' },
    },
    'DELETE /api/v1/glossaries/{id}': {
      valid: { path: `/api/v1/glossaries/${deleted}`, method: 'DELETE', headers: auth },
      invalid: { path: '/api/v1/glossaries/gl_nope', method: 'DELETE', headers: auth, status: 404, code: 'GLOSSARY_NOT_FOUND' },
    },
  } satisfies Record<string, WalkExample<Call>>);
}

/** The API-key routes: the admin API (the walk's edge has an ADMIN_TOKEN) and GET /api/v1/usage for a created key. */
async function addKeyAdminExamples(): Promise<void> {
  const create = async () => (await (await send({ path: '/api/v1/admin/keys', json: { name: 'walk' }, headers: admin })).json()) as { id: string; key: string };
  const [kept, revoked] = [await create(), await create()];
  const unknownId = '/api/v1/admin/keys/key_ffffffffffffffffffffffff';
  Object.assign(EXAMPLES, {
    'POST /api/v1/admin/keys': {
      valid: { path: '/api/v1/admin/keys', json: { name: 'walk', limits: { characters_per_day: 1000 } }, headers: admin },
      invalid: { path: '/api/v1/admin/keys', json: { name: 'n'.repeat(101) }, headers: admin, status: 400, code: 'VALIDATION_FAILED' },
    },
    'GET /api/v1/admin/keys': {
      valid: { path: '/api/v1/admin/keys', headers: admin },
      invalid: { path: '/api/v1/admin/keys', status: 401, code: 'UNAUTHORIZED' },
    },
    'PATCH /api/v1/admin/keys/{id}': {
      valid: { path: `/api/v1/admin/keys/${kept.id}`, method: 'PATCH', json: { limits: { characters_per_month: 50_000 } }, headers: admin },
      invalid: { path: unknownId, method: 'PATCH', json: { name: 'x' }, headers: admin, status: 404, code: 'NOT_FOUND' },
    },
    'DELETE /api/v1/admin/keys/{id}': {
      valid: { path: `/api/v1/admin/keys/${revoked.id}`, method: 'DELETE', headers: admin },
      invalid: { path: unknownId, method: 'DELETE', headers: admin, status: 404, code: 'NOT_FOUND' },
    },
    'GET /api/v1/usage': {
      valid: { path: '/api/v1/usage', headers: { authorization: `Bearer ${kept.key}` } },
      invalid: { path: '/api/v1/usage', status: 401, code: 'UNAUTHORIZED' },
    },
  } satisfies Record<string, WalkExample<Call>>);
}

/** Examples that need something stored first: a suggestion to delete, a translated file to download. */
async function addStoredExamples(): Promise<void> {
  const created = (await (
    await send(post('/api/v1/suggestions', { text: `see you ${unique()}`, translation: 'tutaonana', source_language: 'en', target_language: 'sw' }))
  ).json()) as { id: string };
  EXAMPLES['DELETE /api/v1/suggestions/{id}'] = {
    valid: { path: `/api/v1/suggestions/${created.id}`, method: 'DELETE', headers: admin },
    invalid: { path: `/api/v1/suggestions/${created.id}`, method: 'DELETE', status: 401, code: 'UNAUTHORIZED' },
  };
  const file = (await (await send({ path: '/translate_file', form: fileForm({ source: 'en', target: 'sw' }) })).json()) as { translatedFileUrl: string };
  EXAMPLES['GET /download_file/{filename}']!.valid = get(new URL(file.translatedFileUrl).pathname);
}

beforeAll(async () => {
  h = harness({ vars: { ADMIN_TOKEN: WALK_ADMIN_TOKEN, SUGGESTIONS: 'all' } });
  await addKeyedExamples();
  await addKeyAdminExamples();
  await addStoredExamples();
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
    for (const path of ['/', '/docs', '/openapi.json', '/playground']) {
      const response = await h.request(path, { method: 'PUT' });
      await expectEnvelope(response, 405, 'METHOD_NOT_ALLOWED', `PUT ${path}`);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });
});
