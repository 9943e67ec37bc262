import { SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DRAIN_LIMIT_BYTES } from '../../edge/middleware/body.js';
import { BatchTranslationResponseSchema, DetectResponseSchema, TranslationResultSchema } from '../../shared/contract/index.js';
import { ltDetectAnswer, ltTranslateAnswer } from '../../shared/libretranslate/index.js';
import { DEFAULT_LIMITS } from '../../shared/limits.js';
import { FAKE_MODEL_ID } from '../support/fake-origin-core.js';
import { errorOf, harness, unique, uniqueIp } from './harness.js';

/**
 * Every bad input class gets its own stable code, in the shared envelope, never a 500. These go
 * through the real default export (SELF), whose origin points nowhere: validation never needs it.
 */
const TRANSLATE = 'https://edge.test/api/v1/translate';

function post(url: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return SELF.fetch(url, { method: 'POST', headers: { 'cf-connecting-ip': uniqueIp(), ...headers }, body });
}

/** LibreTranslate's routes answer `{"error": "<message>"}` with the stable code in X-Error-Code. */
async function expectLtError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-error-code')).toBe(code);
  const body = (await response.json()) as { error: unknown };
  expect(typeof body.error).toBe('string');
  expect(Object.keys(body)).toEqual(['error']);
}

/** The stable code of a refusal, in either shape. */
async function codeOf(response: Response): Promise<unknown> {
  const body = (await response.json()) as { error?: unknown };
  return typeof body.error === 'string' ? response.headers.get('x-error-code') : (body.error as { code?: unknown } | undefined)?.code;
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  const error = await errorOf(response);
  expect(error.code).toBe(code);
  expect(error.status).toBe(status);
  expect(error.request_id).toBe(response.headers.get('x-request-id'));
  expect(error.message).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
  return error;
}

/** A body stream without Content-Length (sent chunked). */
function stream(text: string, chunkSize = 4096): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

describe('bytes → 413 BODY_TOO_LARGE before parsing', () => {
  const big = JSON.stringify({ text: 'a'.repeat(70_000), target_language: 'en' });

  it('with Content-Length', async () => {
    const response = await post(TRANSLATE, big);
    await expectError(response, 413, 'BODY_TOO_LARGE');
  });

  it('chunked, without Content-Length (counted while read; past the drain limit the upload is not read on)', async () => {
    // Through the worker's fetch directly: over SELF the runtime's upload pump reports the (intended)
    // early end of the upload as an uncaught "Network connection lost." in the test isolate.
    const h = harness();
    let pulled = 0;
    const huge = JSON.stringify({ text: 'a'.repeat(DEFAULT_LIMITS.MAX_BODY_BYTES + DRAIN_LIMIT_BYTES + 256 * 1024), target_language: 'en' });
    const source = stream(huge, 16 * 1024);
    const counted = source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform(chunk, controller) { pulled += chunk.byteLength; controller.enqueue(chunk); } }));
    const response = await h.request('/api/v1/translate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: counted });
    await expectError(response, 413, 'BODY_TOO_LARGE');
    expect(pulled).toBeLessThan(huge.length);
    expect(h.origins.a!.calls.total).toBe(0);
  });

  it('oversized even when the content type is wrong (bytes are checked first)', async () => {
    await expectError(await post(TRANSLATE, big, { 'content-type': 'text/plain' }), 413, 'BODY_TOO_LARGE');
  });

  it('a chunked body under the limit goes on to validation', async () => {
    const body = stream(JSON.stringify({ text: 'hello', target_language: 'xx_Nope' }), 3);
    const request = new Request(TRANSLATE, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await expectError(await SELF.fetch(request), 400, 'UNSUPPORTED_LANGUAGE');
  });
});

describe('content type → 415 UNSUPPORTED_MEDIA_TYPE', () => {
  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/jsonx'], ['multipart/form-data; boundary=x']])('%s', async (type) => {
    await expectError(await post(TRANSLATE, '{"text":"hi","target_language":"en"}', { 'content-type': type }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('missing content type', async () => {
    const response = await SELF.fetch(TRANSLATE, { method: 'POST', body: new TextEncoder().encode('{"text":"hi","target_language":"en"}') });
    await expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('application/json with charset=utf-8 is accepted (the request reaches validation)', async () => {
    const response = await post(TRANSLATE, '{"text":"hi","target_language":"xx"}', { 'content-type': 'Application/JSON; Charset="UTF-8"' });
    await expectError(response, 400, 'UNSUPPORTED_LANGUAGE');
  });
});

describe('JSON → 400 INVALID_JSON', () => {
  it.each([['{bad'], ['{"text": "hi",}'], ['   '], ['']])('malformed %j', async (body) => {
    await expectError(await post(TRANSLATE, body), 400, 'INVALID_JSON');
  });

  it('invalid UTF-8 bytes', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"text":"'), 0xff, 0xfe, 0xc3, ...new TextEncoder().encode('","target_language":"en"}')]);
    const error = await expectError(await post(TRANSLATE, bytes), 400, 'INVALID_JSON');
    expect(error.message).toContain('UTF-8');
  });

  it('a lone surrogate half encoded as UTF-8 (CESU) is invalid too', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"text":"'), 0xed, 0xa0, 0x80, ...new TextEncoder().encode('","target_language":"en"}')]);
    await expectError(await post(TRANSLATE, bytes), 400, 'INVALID_JSON');
  });
});

describe('schema and limits', () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['text is a number', { text: 123, target_language: 'en' }, 400, 'VALIDATION_FAILED'],
    ['target is a number', { text: 'hi', target_language: 5 }, 400, 'VALIDATION_FAILED'],
    ['text array with a number', { text: ['a', 2], target_language: 'en' }, 400, 'VALIDATION_FAILED'],
    ['missing target', { text: 'hi' }, 400, 'VALIDATION_FAILED'],
    ['body is an array', [{ text: 'hi', target_language: 'en' }], 400, 'VALIDATION_FAILED'],
    ['body is null', null, 400, 'VALIDATION_FAILED'],
    ['body is a string', 'hi', 400, 'VALIDATION_FAILED'],
    ['empty text', { text: '', target_language: 'en' }, 400, 'VALIDATION_FAILED'],
    ['whitespace text', { text: ' \n\t ', target_language: 'en' }, 400, 'VALIDATION_FAILED'],
    ['whitespace item in a batch', { text: ['ok', '  '], target_language: 'en' }, 400, 'VALIDATION_FAILED'],
    ['empty batch', { text: [], target_language: 'en' }, 400, 'VALIDATION_FAILED'],
    ['5001 characters', { text: 'a'.repeat(5001), target_language: 'en' }, 413, 'TEXT_TOO_LONG'],
    ['5001 characters over a batch', { text: ['a'.repeat(2500), 'b'.repeat(2501)], target_language: 'en' }, 413, 'TEXT_TOO_LONG'],
    ['65 items', { text: Array.from({ length: 65 }, (_, i) => `t${i}`), target_language: 'en' }, 413, 'BATCH_TOO_LARGE'],
    ['unknown target language', { text: 'hi', target_language: 'xx_Zzzz' }, 400, 'UNSUPPORTED_LANGUAGE'],
    ['unknown source language', { text: 'hi', target_language: 'en', source_language: 'klingon' }, 400, 'UNSUPPORTED_LANGUAGE'],
    ['extra top-level field', { text: 'hi', target_language: 'en', model: 'x' }, 400, 'VALIDATION_FAILED'],
    ['extra option', { text: 'hi', target_language: 'en', options: { temperature: 1 } }, 400, 'VALIDATION_FAILED'],
    ['beam size over the bound', { text: 'hi', target_language: 'en', options: { beam_size: 5 } }, 400, 'VALIDATION_FAILED'],
  ];
  it.each(cases)('%s', async (_name, body, status, code) => {
    await expectError(await post(TRANSLATE, JSON.stringify(body)), status, code);
  });

  it('characters are code points: 5000 emoji pass the character check (and reach the origin)', async () => {
    const h = harness();
    const response = await h.post('/api/v1/translate', { text: '😀'.repeat(4999) + unique('z').slice(0, 1), target_language: 'en', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp() });
    expect(response.status).toBe(200);
    expect(h.origins.a!.calls.translate).toBe(1);
  });

  it('64 items and exactly 5000 characters are accepted', async () => {
    const h = harness();
    const texts = Array.from({ length: 64 }, (_, i) => `${unique('t')}${i}`.padEnd(78, 'x'));
    texts[63] = texts[63]!.padEnd(5000 - 78 * 63, 'y');
    expect(texts.join('').length).toBe(5000);
    const response = await h.post('/api/v1/translate', { text: texts, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { count: number; character_count: number };
    expect(body.count).toBe(64);
    expect(body.character_count).toBe(5000);
  });

  it('detect-language has the same input classes', async () => {
    const url = 'https://edge.test/api/v1/detect-language';
    await expectError(await post(url, '{nope'), 400, 'INVALID_JSON');
    await expectError(await post(url, '{"text":"hi"}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(await post(url, JSON.stringify({ text: 5 })), 400, 'VALIDATION_FAILED');
    await expectError(await post(url, JSON.stringify({ text: '  ' })), 400, 'VALIDATION_FAILED');
    await expectError(await post(url, JSON.stringify({ text: 'a'.repeat(5001) })), 413, 'TEXT_TOO_LONG');
    await expectError(await post(url, JSON.stringify({ text: 'hi', extra: true })), 400, 'VALIDATION_FAILED');
  });

  it("LibreTranslate routes have the same input classes, answered in LibreTranslate's shape and statuses", async () => {
    await expectLtError(await post('https://edge.test/translate', '{nope'), 400, 'INVALID_JSON');
    await expectLtError(await post('https://edge.test/translate', JSON.stringify({ q: 'hi' })), 400, 'VALIDATION_FAILED');
    await expectLtError(await post('https://edge.test/translate', JSON.stringify({ q: 'hi', source: 'en', target: 'zz' })), 400, 'UNSUPPORTED_LANGUAGE');
    await expectLtError(await post('https://edge.test/translate', JSON.stringify({ q: 'hi', source: 'en', target: 'fr', format: 'xml' })), 400, 'VALIDATION_FAILED');
    await expectLtError(await post('https://edge.test/translate', JSON.stringify({ q: 'x'.repeat(5001), source: 'en', target: 'fr' })), 400, 'TEXT_TOO_LONG');
    await expectLtError(await post('https://edge.test/detect', JSON.stringify({ text: 'hi' })), 400, 'VALIDATION_FAILED');
  });

  it('property: arbitrary JSON bodies and arbitrary bytes never produce a 5xx', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json().map((text) => new TextEncoder().encode(text)),
          fc.record({ text: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 70 }), fc.integer()), target_language: fc.oneof(fc.constantFrom('en', 'xx', 'swh_Latn'), fc.string()) }, { requiredKeys: [] })
            .map((body) => new TextEncoder().encode(JSON.stringify({ ...body, source_language: 'nope_Nope' }))),
          fc.uint8Array({ maxLength: 200 }),
        ),
        fc.constantFrom('/api/v1/translate', '/api/v1/detect-language', '/translate', '/detect'),
        async (bytes, path) => {
          const response = await post(`https://edge.test${path}`, bytes);
          statuses.add(response.status);
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(typeof (await codeOf(response))).toBe('string');
        },
      ),
      { numRuns: 150 },
    );
    expect([...statuses].every((status) => [400, 413, 415].includes(status))).toBe(true);
  });
});

describe('request id, response time, routing', () => {
  it('keeps a valid incoming X-Request-ID and answers it in the envelope', async () => {
    const response = await post(TRANSLATE, '{bad', { 'content-type': 'application/json', 'x-request-id': 'client-abc_123.4' });
    expect(response.headers.get('x-request-id')).toBe('client-abc_123.4');
    expect((await errorOf(response)).request_id).toBe('client-abc_123.4');
    expect(Number(response.headers.get('x-response-time-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('replaces an invalid X-Request-ID with a UUID', async () => {
    const response = await SELF.fetch('https://edge.test/health', { headers: { 'x-request-id': 'bad id with spaces <script>' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('unknown routes are 404 NOT_FOUND in the envelope; wrong methods 405 with Allow', async () => {
    await expectError(await SELF.fetch('https://edge.test/nope'), 404, 'NOT_FOUND');
    const cases: Array<[string, string, string]> = [
      ['GET', '/api/v1/translate', 'POST'],
      ['POST', '/languages', 'GET, HEAD'],
      ['PUT', '/health', 'GET, HEAD'],
      ['DELETE', '/api/v1/languages', 'GET, HEAD'],
      ['PATCH', '/api/v1/languages/sw', 'GET, HEAD'],
      ['POST', '/openapi.json', 'GET, HEAD'],
      ['DELETE', '/', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await SELF.fetch(`https://edge.test${path}`, { method });
      if (path === '/languages') await expectLtError(response, 405, 'METHOD_NOT_ALLOWED');
      else await expectError(response, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
  });

  it('CORS: preflight allows GET/POST/OPTIONS and exposes the rate-limit, cache and request-id headers', async () => {
    const response = await SELF.fetch(TRANSLATE, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    const exposed = (await SELF.fetch('https://edge.test/health', { headers: { origin: 'https://app.example' } })).headers.get('access-control-expose-headers') ?? '';
    for (const name of ['X-Request-ID', 'X-Response-Time-Ms', 'X-Cache', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) {
      expect(exposed).toContain(name);
    }
  });

  it('CORS: a configured origin list echoes allowed origins only (errors included)', async () => {
    const h = harness({ vars: { CORS_ORIGINS: 'https://good.example, https://other.example' } });
    const good = await h.request('/health', { headers: { origin: 'https://good.example' } });
    expect(good.headers.get('access-control-allow-origin')).toBe('https://good.example');
    const bad = await h.request('/health', { headers: { origin: 'https://evil.example' } });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    const error = await h.post('/api/v1/translate', '{bad', { origin: 'https://good.example' });
    expect(error.status).toBe(400);
    expect(error.headers.get('access-control-allow-origin')).toBe('https://good.example');
  });
});

describe('configuration and unknown errors', () => {
  it('a misconfigured Worker answers 500 INTERNAL in the envelope and logs why', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const h = harness({ vars: { ORIGIN_URLS: 'not a url', CACHE_TTL_SECONDS: '5' } });
      const response = await h.request('/health');
      const error = await expectError(response, 500, 'INTERNAL');
      expect(error.message).not.toContain('ORIGIN_URLS');
      const lines = errors.mock.calls.map((call) => String(call[0]));
      const line = lines.find((l) => l.includes('invalid_configuration'));
      expect(line).toBeDefined();
      expect(line).toContain('ORIGIN_URLS');
      expect(line).toContain('CACHE_TTL_SECONDS');
      expect(response.headers.get('x-request-id')).toBeTruthy();
    } finally {
      errors.mockRestore();
    }
  });

  it('an invalid shared limit is a configuration error too', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const h = harness({ vars: { MAX_CHARACTERS: 'lots' } });
      await expectError(await h.request('/api/v1/languages'), 500, 'INTERNAL');
      expect(errors.mock.calls.some((call) => String(call[0]).includes('MAX_CHARACTERS'))).toBe(true);
    } finally {
      errors.mockRestore();
    }
  });

  it('env limit overrides apply (MAX_CHARACTERS=10)', async () => {
    const h = harness({ vars: { MAX_CHARACTERS: '10' } });
    await expectError(await h.post('/api/v1/translate', { text: 'a'.repeat(11), target_language: 'en' }), 413, 'TEXT_TOO_LONG');
  });

  it('an unknown error becomes INTERNAL without its message or stack, with a log line', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const h = harness({
        deps: {
          originClient: {
            translate: async () => {
              throw new Error('secret internals at /srv/app.ts:12');
            },
            detect: async () => {
              throw new Error('nope');
            },
            states: () => [],
          },
        },
      });
      const response = await h.post('/api/v1/translate', { text: unique(), target_language: 'en', source_language: 'fr' }, { 'cf-connecting-ip': uniqueIp() });
      const error = await expectError(response, 500, 'INTERNAL');
      expect(JSON.stringify(error)).not.toContain('secret internals');
      expect(errors.mock.calls.some((call) => String(call[0]).includes('unhandled_error') && String(call[0]).includes('secret internals'))).toBe(true);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('LibreTranslate answers', () => {
  // The container builds its LibreTranslate answers with the same functions from its own results
  // (test/inference/app/routes.test.ts), so both apps answer alike for the same origin result.
  it('are the shared builder applied to the /api/v1 result of the same request', async () => {
    const h = harness();
    const text = `bonjour mon ami ${unique()}`;
    const result = TranslationResultSchema.parse(await (await h.post('/api/v1/translate', { text, target_language: 'sw', options: { alternatives: 2 } })).json());
    const lt = await h.post('/translate', { q: text, source: 'auto', target: 'sw', alternatives: 2 });
    expect(await lt.json()).toEqual(ltTranslateAnswer([result], { batch: false, source: undefined, options: { alternatives: 2 } }));
    expect(ltTranslateAnswer([result], { batch: false, source: undefined, options: { alternatives: 0 } })).toEqual({ translatedText: result.translated_text, detectedLanguage: { confidence: 91, language: 'fr' } });

    const texts = [`habari rafiki ${unique()}`, `hello there ${unique()}`];
    const batch = BatchTranslationResponseSchema.parse(await (await h.post('/api/v1/translate', { text: texts, target_language: 'fr', source_language: 'sw' })).json());
    const ltBatch = await h.post('/translate', { q: texts, source: 'sw', target: 'fr' });
    expect(await ltBatch.json()).toEqual(ltTranslateAnswer(batch.results, { batch: true, source: 'swh_Latn', options: { alternatives: 0 } }));

    const detection = DetectResponseSchema.parse(await (await h.post('/api/v1/detect-language', { text: 'bonjour mon ami' })).json());
    const ltDetect = await h.post('/detect', { q: 'bonjour mon ami' });
    expect(await ltDetect.json()).toEqual(ltDetectAnswer(detection));
  });
});

describe('docs', () => {
  it('GET /docs serves Swagger UI pointing at /openapi.json; GET /openapi.json is the edge document', async () => {
    const docs = await SELF.fetch('https://edge.test/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('/openapi.json');
    const spec = await SELF.fetch('https://edge.test/openapi.json');
    expect(spec.status).toBe(200);
    const document = (await spec.json()) as { openapi: string; paths: Record<string, unknown>; info: { description: string } };
    expect(document.openapi).toBe('3.0.3');
    expect(document.info.description).toContain('edge');
    for (const path of ['/api/v1/translate', '/api/v1/detect-language', '/health', '/translate', '/detect', '/languages', '/api/v1/languages']) {
      expect(document.paths).toHaveProperty([path]);
    }
    // the container's operations routes are not the edge's
    for (const path of ['/status', '/metrics', '/admin/reload']) expect(document.paths).not.toHaveProperty([path]);
  });

  it('MODEL_ID of the fixtures is what the harness configures', () => {
    expect(FAKE_MODEL_ID).toContain('fake');
  });
});
