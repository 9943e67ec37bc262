import { z, type RouteConfig } from '@hono/zod-openapi';
import { expect, it } from 'vitest';
import { ErrorBodySchema } from '../../../shared/contract/common.js';
import { LtErrorSchema } from '../../../shared/contract/libretranslate.js';
import { libreLanguagesRoute } from '../../../shared/contract/libretranslate-routes.js';
import { languageRoutes } from '../../../shared/languages/routes.js';

/**
 * Helpers of the "walk the app's own /openapi.json" tests (test/edge/openapi.test.ts in workerd,
 * test/inference/app/openapi.test.ts in Node): what a document says, what an app serves, and whether an
 * answer is the one its operation documents.
 */

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** "METHOD /path/{param}", the key of an operation in these tests. */
export type OperationKey = string;

export interface DocumentedOperation {
  key: OperationKey;
  method: string;
  path: string;
  /** The statuses the operation documents. */
  statuses: number[];
}

const OperationSchema = z.object({ responses: z.record(z.string(), z.unknown()).default({}) });
const DocumentSchema = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

/** The operations of a served OpenAPI document (its paths × HTTP methods). */
export function documentedOperations(document: unknown): DocumentedOperation[] {
  return Object.entries(DocumentSchema.parse(document).paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      if (item[method] === undefined) return [];
      const operation = OperationSchema.parse(item[method]);
      const upper = method.toUpperCase();
      return [{ key: `${upper} ${path}`, method: upper, path, statuses: Object.keys(operation.responses).map(Number) }];
    }),
  );
}

/** The operations an app's router answers (Hono routes; middleware and catch-alls are method ALL). */
export function servedOperations(routes: readonly { method: string; path: string }[]): OperationKey[] {
  const keys = routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path.replace(/:([^/]+)/g, '{$1}')}`);
  return [...new Set(keys)];
}

/** The methods a path documents, as an Allow header lists them (GET implies HEAD). */
function allowedMethods(operations: readonly DocumentedOperation[], path: string): string[] {
  const methods = operations.filter((operation) => operation.path === path).map((operation) => operation.method);
  if (methods.includes('GET')) methods.push('HEAD');
  return methods.sort();
}

/** Route definitions by operation key; `prefix` is where their app is mounted (e.g. '/api/v1'). */
export function routesByKey(routes: readonly RouteConfig[], prefix = ''): Map<OperationKey, RouteConfig> {
  return new Map(routes.map((route) => [`${route.method.toUpperCase()} ${prefix}${route.path}`, route]));
}

/** The zod schema a route documents for `status` (JSON or text), if any. */
function documentedSchema(route: RouteConfig, status: number): z.ZodType | undefined {
  const response = route.responses[status];
  if (response === undefined || !('content' in response) || response.content === undefined) return undefined;
  const content = response.content['application/json'] ?? response.content['text/plain'];
  const schema = content !== undefined && 'schema' in content ? content.schema : undefined;
  return schema instanceof z.ZodType ? schema : undefined;
}

/**
 * The response is one its route documents: the status is among the route's responses and the body
 * matches the documented schema, every field of it documented. Returns the body.
 */
async function expectDocumentedAnswer(route: RouteConfig, response: Response, what: string): Promise<unknown> {
  expect(Object.keys(route.responses).map(Number), `${what}: status ${response.status} is documented`).toContain(response.status);
  const documented = route.responses[response.status];
  if (documented !== undefined && !('content' in documented && documented.content !== undefined)) {
    // A response documented without content (204): it has none.
    expect(await response.text(), `${what}: no body`).toBe('');
    return undefined;
  }
  const mediaTypes = Object.keys((documented as { content: Record<string, unknown> }).content);
  if (mediaTypes.includes('application/octet-stream')) {
    // A file: not JSON, and not empty.
    expect(response.headers.get('content-type') ?? '', `${what}: a file, not JSON`).not.toContain('json');
    expect((await response.arrayBuffer()).byteLength, `${what}: a file with content`).toBeGreaterThan(0);
    return undefined;
  }
  const schema = documentedSchema(route, response.status);
  expect(schema, `${what}: a schema for ${response.status}`).toBeDefined();
  const text = await response.text();
  const body: unknown = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  const parsed = schema!.safeParse(body);
  expect(parsed.success, `${what}: body matches the documented ${response.status} schema: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
  // zod drops keys a schema does not name: equal means every field sent is documented
  expect(parsed.data, `${what}: every field of the body is documented`).toEqual(body);
  return body;
}

/**
 * A refusal in the shared envelope with its stable code, request id included; on the LibreTranslate
 * routes LibreTranslate's own `{"error": "<message>"}`, the stable code in X-Error-Code.
 */
export async function expectEnvelope(response: Response, status: number, code: string, what: string): Promise<void> {
  expect(response.status, what).toBe(status);
  const json: unknown = await response.json();
  const lt = LtErrorSchema.safeParse(json);
  if (lt.success) {
    expect(lt.data.error.length, `${what}: a message`).toBeGreaterThan(0);
    expect(response.headers.get('x-error-code'), what).toBe(code);
    return;
  }
  const body = ErrorBodySchema.parse(json);
  expect(body.error.code, what).toBe(code);
  expect(body.error.status, what).toBe(status);
  expect(body.error.request_id, what).toBe(response.headers.get('x-request-id'));
}

/** A method the path does not document, to ask it with: GET for a POST-only path, else PUT (or DELETE). */
function wrongMethod(operations: readonly DocumentedOperation[], path: string): string {
  const documented = new Set(allowedMethods(operations, path));
  return ['GET', 'PUT', 'DELETE'].find((method) => !documented.has(method))!;
}

/** A valid request of an operation and, where one exists, an invalid one with its documented refusal. */
export type WalkExample<C> =
  | { valid: C; invalid?: C & { status: number; code: string } }
  /** An operation that only ever refuses on this app (e.g. the container's POST /suggest: always 403). */
  | { valid?: undefined; invalid: C & { status: number; code: string } };

export interface Walk<C> {
  operations: readonly DocumentedOperation[];
  /** One example per documented operation, by key. */
  examples: Readonly<Record<OperationKey, WalkExample<C>>>;
  /** The route definitions the app registered, by key (their zod schemas check the answers). */
  routes: ReadonlyMap<OperationKey, RouteConfig>;
  /** Sends a call; `method` replaces the call's own (and drops its body). */
  send(call: C, method?: string): Promise<Response>;
}

/** The document lists exactly the examples' operations, and the app serves exactly those (plus `undocumented`). */
function expectDocumentedIsServed<C>(walk: Walk<C>, served: readonly OperationKey[], undocumented: readonly OperationKey[]): void {
  const documented = walk.operations.map((operation) => operation.key).sort();
  expect(documented, 'an example per documented operation').toEqual(Object.keys(walk.examples).sort());
  expect(served.filter((key) => !undocumented.includes(key)).sort(), 'every served route is documented').toEqual(documented);
}

/** Every operation answers its valid request with a 2xx it documents, in its documented schema. */
async function expectValidAnswers<C>(walk: Walk<C>): Promise<void> {
  for (const operation of walk.operations) {
    const valid = walk.examples[operation.key]!.valid;
    if (valid === undefined) continue;
    const response = await walk.send(valid);
    expect(response.status, operation.key).toBeGreaterThanOrEqual(200);
    expect(response.status, operation.key).toBeLessThan(300);
    await expectDocumentedAnswer(walk.routes.get(operation.key)!, response, operation.key);
  }
}

/** Every operation with an invalid example refuses it with a 4xx it documents, in the envelope. */
async function expectInvalidRefusals<C>(walk: Walk<C>): Promise<void> {
  for (const operation of walk.operations) {
    const invalid = walk.examples[operation.key]!.invalid;
    if (!invalid) continue;
    expect(operation.statuses, `${operation.key}: ${invalid.status} is documented`).toContain(invalid.status);
    await expectEnvelope(await walk.send(invalid), invalid.status, invalid.code, operation.key);
  }
}

/** Every documented path asked with a method it does not document: 405 in the envelope, Allow = its methods. */
async function expectWrongMethodRefusals<C>(walk: Walk<C>): Promise<void> {
  for (const operation of walk.operations) {
    const method = wrongMethod(walk.operations, operation.path);
    const what = `${method} ${operation.path}`;
    const example = walk.examples[operation.key]!;
    const response = await walk.send((example.valid ?? example.invalid)!, method);
    await expectEnvelope(response, 405, 'METHOD_NOT_ALLOWED', what);
    expect(response.headers.get('allow')?.split(', ').sort(), what).toEqual(allowedMethods(walk.operations, operation.path));
  }
}

/**
 * The routes both apps serve from static data (the shared languages sub-app at /api/v1, LibreTranslate's
 * GET /languages): their definitions, and an example per operation built with the test's own `get`.
 */
export function staticRoutes(): Map<OperationKey, RouteConfig> {
  return new Map([...routesByKey(languageRoutes, '/api/v1'), ...routesByKey([libreLanguagesRoute])]);
}

export function staticRouteExamples<C>(get: (path: string) => C): Record<OperationKey, WalkExample<C>> {
  const refused = (path: string, status: number, code: string) => ({ ...get(path), status, code });
  return {
    'GET /languages': { valid: get('/languages') },
    'GET /api/v1/languages': { valid: get('/api/v1/languages') },
    'GET /api/v1/languages/popular': { valid: get('/api/v1/languages/popular') },
    'GET /api/v1/languages/african': { valid: get('/api/v1/languages/african') },
    'GET /api/v1/languages/stats': { valid: get('/api/v1/languages/stats') },
    'GET /api/v1/languages/search': {
      valid: get('/api/v1/languages/search?q=swa&limit=3'),
      invalid: refused('/api/v1/languages/search?q=s', 400, 'VALIDATION_FAILED'),
    },
    'GET /api/v1/languages/region/{region}': {
      valid: get('/api/v1/languages/region/middle-east'),
      invalid: refused('/api/v1/languages/region/atlantis', 400, 'VALIDATION_FAILED'),
    },
    'GET /api/v1/languages/{code}': {
      valid: get('/api/v1/languages/zu'),
      invalid: refused('/api/v1/languages/xx_Nope', 404, 'UNSUPPORTED_LANGUAGE'),
    },
  };
}

/**
 * The four checks of a walk, as tests of the calling describe block: documented = served, valid
 * requests answered as documented, invalid ones refused as documented, other methods 405 with Allow.
 * `walk` and `served` are read when the tests run (after the caller's beforeAll).
 */
export function walkTests<C>(walk: () => Walk<C>, served: () => readonly OperationKey[], undocumented: readonly OperationKey[]): void {
  it('documents exactly the routes the app serves, with an example per operation', () => {
    expectDocumentedIsServed(walk(), served(), undocumented);
  });
  it('every documented operation answers a valid request as documented', async () => {
    await expectValidAnswers(walk());
  });
  it('every documented operation refuses an invalid request with a documented 4xx in the envelope', async () => {
    await expectInvalidRefusals(walk());
  });
  it('every documented path answers another method with 405 METHOD_NOT_ALLOWED and Allow', async () => {
    await expectWrongMethodRefusals(walk());
  });
}
