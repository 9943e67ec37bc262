import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/bytes.js';
import { LtDetectResponseSchema, LtErrorSchema, LtFrontendSettingsSchema, LtTranslateResponseSchema } from '../../shared/contract/libretranslate.js';
import { LT_ERROR_CODE_HEADER } from '../../shared/libretranslate/errors.js';
import { errorOf, harness, unique, uniqueIp, type Harness } from './harness.js';

/**
 * LibreTranslate's body kinds and answers at the edge, through the real Worker with a fake origin:
 * urlencoded (libretranslatepy, Weblate), multipart (the web UI), JSON; its `{"error": ...}` shape and
 * statuses on its routes only.
 */

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function postForm(h: Harness, path: string, fields: Record<string, string>, ip = uniqueIp()): Promise<Response> {
  return h.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
    body: form(fields),
  });
}

function postMultipart(h: Harness, path: string, fields: Record<string, string>, ip = uniqueIp()): Promise<Response> {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return h.request(path, { method: 'POST', headers: { 'cf-connecting-ip': ip }, body: data });
}

async function ltError(response: Response): Promise<{ status: number; error: string; code: string | null }> {
  const body = LtErrorSchema.strict().parse(await response.json());
  return { status: response.status, error: body.error, code: response.headers.get(LT_ERROR_CODE_HEADER) };
}

describe('LibreTranslate bodies at the edge', () => {
  it('a urlencoded POST /translate (libretranslatepy) is translated, with line endings normalised as LibreTranslate does', async () => {
    const h = harness();
    const word = unique('w');
    const response = await postForm(h, '/translate', { q: `hello ${word}\r\nsecond line\r\n`, source: 'en', target: 'fr' });
    expect(response.status).toBe(200);
    const body = LtTranslateResponseSchema.strict().parse(await response.json());
    expect(body).toEqual({ translatedText: `[eng_Latn>fra_Latn] line second ${word} hello` });
    // CRLF became LF and the trailing line break was dropped before the origin saw the text
    expect(h.origins.a!.translatedTexts).toEqual([`hello ${word}\nsecond line`]);
  });

  it('JSON bodies keep their line endings (LibreTranslate normalises forms only) and q arrays answer arrays', async () => {
    const h = harness();
    const word = unique('w');
    const response = await h.post('/translate', { q: [`one ${word}\r\n`, `two ${word}`], source: 'en', target: 'sw' }, { 'cf-connecting-ip': uniqueIp() });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ translatedText: [`[eng_Latn>swh_Latn] ${word} one`, `[eng_Latn>swh_Latn] ${word} two`] });
    expect(h.origins.a!.translatedTexts).toEqual([`one ${word}\r\n`, `two ${word}`]);
  });

  it("the web UI's multipart FormData with source auto and alternatives=3 gets detectedLanguage (whole percent) and 3 alternatives", async () => {
    const h = harness();
    const text = `bonjour ${unique('w')}`;
    const response = await postMultipart(h, '/translate', { q: text, source: 'auto', target: 'sw', format: 'text', alternatives: '3', api_key: '' });
    expect(response.status).toBe(200);
    const body = LtTranslateResponseSchema.strict().parse(await response.json());
    expect(body.detectedLanguage).toEqual({ confidence: 91, language: 'fr' });
    expect(body.alternatives).toHaveLength(3);
    expect(body.translatedText).toBe(`[fra_Latn>swh_Latn] ${text.split(' ').reverse().join(' ')}`);
  });

  it('a repeated form field counts once, its first value, as in LibreTranslate (request.values.get)', async () => {
    const h = harness();
    const first = unique('first');
    const response = await h.request('/translate', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': uniqueIp() },
      body: `q=${first}&q=${unique('second')}&source=en&target=fr`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ translatedText: `[eng_Latn>fra_Latn] ${first}` });
  });

  it('POST /detect takes a urlencoded body and answers candidates with whole-percent confidence', async () => {
    const h = harness();
    const response = await postForm(h, '/detect', { q: 'bonjour mon ami' });
    expect(response.status).toBe(200);
    const candidates = LtDetectResponseSchema.parse(await response.json());
    expect(candidates[0]).toEqual({ confidence: 91, language: 'fr' });
  });

  // A Request here cannot carry a GET body; test/e2e/libretranslate-clients.test.ts sends the real one.
  it("GET /languages with libretranslatepy's form headers is answered", async () => {
    const h = harness();
    const response = await h.request('/languages', {
      method: 'GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' },
    });
    expect(response.status).toBe(200);
    const languages = (await response.json()) as { code: string }[];
    expect(languages.map((language) => language.code)).toEqual(expect.arrayContaining(['en', 'sw', 'fr']));
  });

  it('api_key in a form body is the client key: an unknown one is 403 "Invalid API key", a known one gets its limit', async () => {
    const h = harness();
    const refused = await postForm(h, '/translate', { q: 'hello', source: 'en', target: 'fr', api_key: `nope-${unique()}` });
    expect(await ltError(refused)).toEqual({ status: 403, error: 'Invalid API key', code: 'UNAUTHORIZED' });
    const key = `form-key-${unique()}`;
    await env.API_KEYS.put(await sha256Hex(key), JSON.stringify({ name: 'form client', limit_per_minute: 7 }));
    const accepted = await postMultipart(h, '/translate', { q: 'hello', source: 'en', target: 'fr', api_key: key });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('ratelimit-limit')).toBe('7');
  });

  it.each([
    ['no q in a form', () => form({ source: 'en', target: 'fr' }), 'application/x-www-form-urlencoded', 'Invalid request: missing q parameter'],
    ['an empty q', () => form({ q: '', source: 'en', target: 'fr' }), 'application/x-www-form-urlencoded', 'Invalid request: missing q parameter'],
    ['no source', () => form({ q: 'hi', target: 'fr' }), 'application/x-www-form-urlencoded', 'Invalid request: missing source parameter'],
    ['a body of another media type', () => 'q=hi&source=en&target=fr', 'text/plain', 'Invalid request: missing q parameter'],
    ['an alternatives that is not a number', () => form({ q: 'hi', source: 'en', target: 'fr', alternatives: 'many' }), 'application/x-www-form-urlencoded', 'Invalid request: alternatives parameter is not a number'],
    ['too many alternatives', () => form({ q: 'hi', source: 'en', target: 'fr', alternatives: '9' }), 'application/x-www-form-urlencoded', 'Invalid request: alternatives parameter must be <= 3'],
    ['an unsupported target', () => form({ q: 'hi', source: 'en', target: 'zz' }), 'application/x-www-form-urlencoded', 'zz is not supported'],
    ['an unknown format', () => form({ q: 'hi', source: 'en', target: 'fr', format: 'pdf' }), 'application/x-www-form-urlencoded', 'pdf format is not supported'],
    ['JSON that is not an object', () => '["hi"]', 'application/json', 'Invalid JSON format'],
    ['JSON that does not parse', () => '{"q": ', 'application/json', 'Invalid JSON format'],
  ])('%s is a 400 in LibreTranslate words', async (_name, body, contentType, message) => {
    const h = harness();
    const response = await h.request('/translate', { method: 'POST', headers: { 'content-type': contentType, 'cf-connecting-ip': uniqueIp() }, body: body() });
    const error = await ltError(response);
    expect(error.status).toBe(400);
    expect(error.error).toBe(message);
  });

  it('a text over the character limit is 400 "exceeds text limit", as LibreTranslate answers it', async () => {
    const h = harness({ vars: { MAX_CHARACTERS: '10' } });
    const error = await ltError(await postForm(h, '/translate', { q: 'a'.repeat(11), source: 'en', target: 'fr' }));
    expect(error).toEqual({ status: 400, error: 'Invalid request: request (11) exceeds text limit (10)', code: 'TEXT_TOO_LONG' });
  });

  it('a multipart body with a bad boundary is a 400, not a 500', async () => {
    const h = harness();
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=nothere']) {
      const response = await h.request('/translate', {
        method: 'POST',
        headers: { 'content-type': contentType, 'cf-connecting-ip': uniqueIp() },
        body: '--other\r\nContent-Disposition: form-data; name="q"\r\n\r\nhi\r\n--other--\r\n',
      });
      const error = await ltError(response);
      expect(error.status).toBe(400);
      expect(error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('an oversized multipart body is 413 before it is parsed, declared or streamed without a length', async () => {
    const h = harness({ vars: { MAX_BODY_BYTES: '2048' } });
    const data = new FormData();
    data.append('q', 'x'.repeat(5000));
    data.append('source', 'en');
    data.append('target', 'fr');
    const declared = await ltError(await h.request('/translate', { method: 'POST', headers: { 'cf-connecting-ip': uniqueIp() }, body: data }));
    expect(declared).toEqual({ status: 413, error: 'request body is larger than 2048 bytes', code: 'BODY_TOO_LARGE' });

    const encoded = new Response(data);
    const contentType = encoded.headers.get('content-type')!;
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 512) controller.enqueue(bytes.slice(offset, offset + 512));
        controller.close();
      },
    });
    const streamed = await h.request('/translate', {
      method: 'POST',
      headers: { 'content-type': contentType, 'cf-connecting-ip': uniqueIp(), 'transfer-encoding': 'chunked' },
      body: stream,
    });
    expect((await ltError(streamed)).status).toBe(413);
    expect(h.origins.a!.calls.translate).toBe(0);
  });

  it('a refused rate limit is 429 "Slowdown: …" with Retry-After', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '1' } });
    const ip = uniqueIp();
    expect((await postForm(h, '/translate', { q: 'hello', source: 'en', target: 'fr' }, ip)).status).toBe(200);
    const refused = await postForm(h, '/translate', { q: 'hello', source: 'en', target: 'fr' }, ip);
    const error = await ltError(refused.clone());
    expect(error.status).toBe(429);
    expect(error.error.startsWith('Slowdown: ')).toBe(true);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('another method on a LibreTranslate route is LibreTranslate-shaped, with CORS and the request id; /api/v1 keeps the envelope', async () => {
    const h = harness();
    const response = await h.request('/translate', { headers: { origin: 'https://webui.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const error = await ltError(response);
    expect(error.status).toBe(405);
    const api = await h.request('/api/v1/translate', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=hi' });
    expect(api.status).toBe(415);
    expect((await errorOf(api)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it("GET /frontend/settings has LibreTranslate's fields, the documents' formats and the browser's language as target", async () => {
    const h = harness({ vars: { MAX_CHARACTERS: '3000' } });
    const response = await h.request('/frontend/settings', { headers: { 'accept-language': 'xx-YY, sw-KE;q=0.9, en;q=0.8' } });
    expect(response.status).toBe(200);
    const settings = LtFrontendSettingsSchema.strict().parse(await response.json());
    expect(settings).toMatchObject({
      charLimit: 3000,
      keyRequired: false,
      suggestions: false,
      filesTranslation: true,
      supportedFilesFormat: ['.txt', '.html', '.srt', '.vtt', '.docx', '.pptx', '.odt', '.epub'],
      language: { source: { code: 'auto', name: 'Auto Detect' }, target: { code: 'sw' } },
    });
    const fallback = LtFrontendSettingsSchema.parse(await (await h.request('/frontend/settings')).json());
    expect(fallback.language.target.code).toBe('en');
  });

  it('GET /spec serves the OpenAPI document, which documents the LibreTranslate routes with their body kinds', async () => {
    const h = harness();
    const spec = (await (await h.request('/spec')).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    expect(spec).toEqual(await (await h.request('/openapi.json')).json());
    expect(Object.keys(spec.paths['/translate']!.post!.requestBody!.content)).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    for (const path of ['/suggest', '/frontend/settings', '/spec', '/api/v1/suggestions', '/api/v1/suggestions/{id}']) expect(spec.paths[path]).toBeDefined();
  });

  it('property: arbitrary bytes of any body kind on any LibreTranslate POST route are a 4xx {"error": string}, never a 5xx', async () => {
    const h = harness();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 100 }).map((text) => new TextEncoder().encode(text))),
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', 'multipart/form-data', 'text/plain', ''),
        fc.constantFrom('/translate', '/detect', '/suggest'),
        async (bytes, contentType, path) => {
          const headers: Record<string, string> = { 'cf-connecting-ip': uniqueIp() };
          if (contentType !== '') headers['content-type'] = contentType;
          const response = await h.request(path, { method: 'POST', headers, body: bytes });
          // 200 is possible: a random form can spell a valid request
          if (response.status === 200) return;
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(typeof (await ltError(response)).error).toBe('string');
        },
      ),
      { numRuns: 120 },
    );
  });
});
