import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { appErrorHandler, notFoundHandler, readJsonBody, rejectOtherMethods, requestContext, type RequestContextVariables } from '../../../shared/http/index.js';

function app() {
  const a = new Hono<{ Variables: RequestContextVariables }>();
  a.use(requestContext());
  a.post('/echo', async (c) => c.json({ body: await readJsonBody(c, 64) }));
  a.onError(appErrorHandler());
  a.notFound(notFoundHandler());
  return a;
}

const post = (body: NonNullable<RequestInit['body']>, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app().request('/echo', { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

async function codeOf(res: Response) {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('shared HTTP layer', () => {
  it('keeps a valid client request id and replaces an unsafe one', async () => {
    const kept = await app().request('/nowhere', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    expect(kept.headers.get('x-response-time-ms')).toMatch(/^\d+\.\d\d$/);
    const replaced = await app().request('/nowhere', { headers: { 'x-request-id': 'bad id\u0007' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.status).toBe(404);
    expect(await codeOf(replaced)).toBe('NOT_FOUND');
  });

  it('parses JSON and refuses each bad body with its code', async () => {
    expect(await (await post('{"a":1}')).json()).toEqual({ body: { a: 1 } });
    expect(await codeOf(await post('{"a":', undefined))).toBe('INVALID_JSON');
    expect(await codeOf(await post('{"a":1}', { 'content-type': 'text/plain' }))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await codeOf(await post('', { 'content-type': 'application/json' }))).toBe('INVALID_JSON');
    expect(await codeOf(await post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])))).toBe('INVALID_JSON');
    const big = await post(JSON.stringify({ a: 'x'.repeat(100) }));
    expect(big.status).toBe(413);
    expect(await codeOf(big)).toBe('BODY_TOO_LARGE');
  });

  it('counts bytes of a chunked body without Content-Length', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('{"pad":"0123456789"}'));
        controller.close();
      },
    });
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(await codeOf(res)).toBe('BODY_TOO_LARGE');
  });

  it('accepts application/json with parameters, refuses anything else with 415', async () => {
    for (const type of ['application/json', 'Application/JSON; Charset="UTF-8"', 'application/json;charset=utf-8']) {
      expect((await post('{"a":1}', { 'content-type': type })).status, type).toBe(200);
    }
    for (const type of ['application/jsonx', 'application/vnd.api+json', 'text/json', 'application/json; charset', 'application/json;']) {
      expect(await codeOf(await post('{"a":1}', { 'content-type': type })), type).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('leaves the body readable for a later reader of the same request', async () => {
    const a = new Hono();
    a.post('/twice', async (c) => c.json({ first: await readJsonBody(c, 64), second: await c.req.json() }));
    const res = await a.request('/twice', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' });
    expect(await res.json()).toEqual({ first: { a: [1, 2] }, second: { a: [1, 2] } });
  });
});

describe('rejectOtherMethods', () => {
  function methodsApp() {
    const a = new Hono<{ Variables: RequestContextVariables }>();
    a.use(requestContext());
    a.get('/items', (c) => c.text('list'));
    a.post('/items', (c) => c.text('created'));
    a.get('/items/:id', (c) => c.text(c.req.param('id')));
    rejectOtherMethods(a);
    a.delete('/later', (c) => c.text('deleted'));
    rejectOtherMethods(a); // covers /later only; /items keeps its one catch-all
    a.onError(appErrorHandler());
    a.notFound(notFoundHandler());
    return a;
  }

  it('answers a wrong method on a known path with 405, the envelope and Allow', async () => {
    const a = methodsApp();
    const res = await a.request('/items', { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await codeOf(res)).toBe('METHOD_NOT_ALLOWED');
    const item = await a.request('/items/7', { method: 'DELETE' });
    expect(item.status).toBe(405);
    expect(item.headers.get('allow')).toBe('GET, HEAD');
    const later = await a.request('/later', { method: 'GET' });
    expect(later.status).toBe(405);
    expect(later.headers.get('allow')).toBe('DELETE');
  });

  it('leaves the right methods and unknown paths alone', async () => {
    const a = methodsApp();
    expect(await (await a.request('/items', { method: 'POST' })).text()).toBe('created');
    expect(await (await a.request('/items/7')).text()).toBe('7');
    expect((await a.request('/items', { method: 'HEAD' })).status).toBe(200);
    expect(await codeOf(await a.request('/elsewhere', { method: 'PUT' }))).toBe('NOT_FOUND');
    expect(a.routes.filter((route) => route.method === 'ALL' && route.path === '/items')).toHaveLength(1);
  });
});

