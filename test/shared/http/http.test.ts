import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { appErrorHandler, notFoundHandler, readJsonBody, requestContext, type RequestContextVariables } from '../../../shared/http/index.js';

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
});
