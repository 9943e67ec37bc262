import { request as httpRequest } from 'node:http';
import { translate as libretranslate } from 'libretranslate';
import translate from 'translate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtDetectResponseSchema, LtErrorSchema, LtLanguagesResponseSchema, LtTranslateResponseSchema } from '../../shared/contract/libretranslate.js';
import { EDGE_SECRET_HEADER } from '../../shared/contract/headers.js';
import { SuggestionListSchema } from '../../shared/contract/suggestions.js';
import { launchStack, newSecret, type Service, type Stack } from './harness.js';

/**
 * Real LibreTranslate clients against the running stack (container process on the tiny fixture +
 * wrangler dev): the npm packages `translate` (engine libre) and `libretranslate`, a client sending
 * exactly what libretranslatepy sends (urllib: urlencoded POSTs, GET /languages with a body), and the
 * web UI's multipart FormData. Suggestions are on (SUGGESTIONS=all) to drive the corrections end to end.
 */
let container: Service;
let edge: Service;
let stack: Stack;
const adminToken = newSecret();

beforeAll(async () => {
  stack = await launchStack({ edgeVars: { SUGGESTIONS: 'all' }, adminToken });
  ({ container, edge } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request the way Python's urllib sends libretranslatepy's: the body as given, Content-Type
 * application/x-www-form-urlencoded and Content-Length, also on a GET.
 */
function urllibRequest(method: 'GET' | 'POST', path: string, body: string): Promise<RawResponse> {
  const url = new URL(path, edge.url);
  const bytes = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(bytes.length),
          'user-agent': 'Python-urllib/3.11',
          connection: 'close',
        },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

/**
 * The npm `translate` set up as its README says for LibreTranslate (engine 'libre', `url` the
 * /translate endpoint; `url` is missing from its type declarations). It caches answers per text for
 * the process, so each test translates its own texts.
 */
function translateClient(): typeof translate {
  translate.engine = 'libre';
  return Object.assign(translate, { url: `${edge.url}/translate` });
}

/** libretranslatepy's LibreTranslateAPI: translate, detect and languages, as it encodes them. */
const libretranslatepy = {
  translate: async (q: string, source: string, target: string): Promise<string> => {
    const response = await urllibRequest('POST', '/translate', new URLSearchParams({ q, source, target, format: 'text' }).toString());
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.body}`);
    return (JSON.parse(response.body) as { translatedText: string }).translatedText;
  },
  detect: async (q: string) => LtDetectResponseSchema.parse(JSON.parse((await urllibRequest('POST', '/detect', new URLSearchParams({ q }).toString())).body)),
  languages: async () => urllibRequest('GET', '/languages', new URLSearchParams({}).toString()),
};

describe('LibreTranslate clients against the running edge', () => {
  it('the npm package `translate` (engine libre) translates, and a refusal reaches it as the server’s message', async () => {
    const client = translateClient();
    expect(await client('the child eats the bread', { from: 'en', to: 'sw' })).toBe('mtoto anakula mkate');
    // the client does `throw new Error(body.error)`: a message, never "[object Object]"
    await expect(client('a'.repeat(5001), { from: 'en', to: 'sw' })).rejects.toThrow('Invalid request: request (5001) exceeds text limit (5000)');
  });

  it('the npm package `libretranslate` checks GET /languages, then translates with JSON', async () => {
    expect(await libretranslate({ query: 'the mother drinks the tea', source: 'en', target: 'sw', apiurl: edge.url })).toBe('mama anakunywa chai');
  });

  it('libretranslatepy: urlencoded POST /translate and /detect, and GET /languages with a urlencoded body', async () => {
    expect(await libretranslatepy.translate('the child eats the bread', 'en', 'sw')).toBe('mtoto anakula mkate');
    const detections = await libretranslatepy.detect('The teacher reads the book every day.');
    expect(detections[0]?.language).toBe('en');
    expect(Number.isInteger(detections[0]?.confidence)).toBe(true);
    const languages = await libretranslatepy.languages();
    expect(languages.status).toBe(200);
    expect(LtLanguagesResponseSchema.parse(JSON.parse(languages.body)).some((language) => language.code === 'sw')).toBe(true);
    const withKeyBody = await urllibRequest('GET', '/languages', new URLSearchParams({ api_key: 'anything' }).toString());
    expect(withKeyBody.status).toBe(200);
  });

  it("the web UI's multipart FormData with source auto and alternatives=3", async () => {
    const data = new FormData();
    for (const [name, value] of Object.entries({ q: 'the child eats the bread', source: 'auto', target: 'sw', format: 'text', alternatives: '3', api_key: '', secret: '' })) {
      data.append(name, value);
    }
    const response = await fetch(`${edge.url}/translate`, { method: 'POST', body: data, signal: AbortSignal.timeout(60_000) });
    expect(response.status).toBe(200);
    const body = LtTranslateResponseSchema.parse(await response.json());
    expect(body.translatedText).toBe('mtoto anakula mkate');
    expect(body.detectedLanguage).toMatchObject({ language: 'en' });
    expect(Number.isInteger((body.detectedLanguage as { confidence: number }).confidence)).toBe(true);
    const alternatives = body.alternatives as string[];
    expect(alternatives.length).toBeLessThanOrEqual(3);
    expect(alternatives).not.toContain(body.translatedText);
  });

  it('bad form bodies get LibreTranslate-shaped 4xx answers, never a 500', async () => {
    const missing = await urllibRequest('POST', '/translate', 'source=en&target=sw');
    expect({ status: missing.status, body: JSON.parse(missing.body) }).toEqual({ status: 400, body: { error: 'Invalid request: missing q parameter' } });

    const oversized = new FormData();
    oversized.append('q', 'x'.repeat(70_000));
    oversized.append('source', 'en');
    oversized.append('target', 'sw');
    const tooLarge = await fetch(`${edge.url}/translate`, { method: 'POST', body: oversized });
    expect(tooLarge.status).toBe(413);
    expect(LtErrorSchema.strict().parse(await tooLarge.json()).error).toBe('request body is larger than 65536 bytes');

    const badBoundary = await fetch(`${edge.url}/translate`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=missing' },
      body: '--other\r\nContent-Disposition: form-data; name="q"\r\n\r\nhello\r\n--other--\r\n',
    });
    expect(badBoundary.status).toBe(400);
    expect(typeof LtErrorSchema.strict().parse(await badBoundary.json()).error).toBe('string');

    const wrongType = await fetch(`${edge.url}/translate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'q=hello&source=en&target=sw' });
    expect({ status: wrongType.status, body: await wrongType.json() }).toEqual({ status: 400, body: { error: 'Invalid request: missing q parameter' } });
  });

  it('a suggestion sent with POST /suggest is what the clients get from then on; an admin sees who sent it and deletes it', async () => {
    const text = 'the father reads the book';
    const before = LtTranslateResponseSchema.parse(await (await fetch(`${edge.url}/translate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: text, source: 'en', target: 'sw' }) })).json());
    expect(before.translatedText).not.toBe('Baba anasoma kitabu chake.');

    const stored = await urllibRequest('POST', '/suggest', new URLSearchParams({ q: text, s: 'Baba anasoma kitabu chake.', source: 'en', target: 'sw' }).toString());
    expect({ status: stored.status, body: JSON.parse(stored.body) }).toEqual({ status: 200, body: { success: true } });

    const client = translateClient();
    expect(await client(text, { from: 'en', to: 'sw' })).toBe('Baba anasoma kitabu chake.');
    const api = await (await fetch(`${edge.url}/api/v1/translate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, source_language: 'en', target_language: 'sw' }) })).json();
    expect(api).toMatchObject({ translated_text: 'Baba anasoma kitabu chake.', correction: true });

    const list = SuggestionListSchema.parse(await (await fetch(`${edge.url}/api/v1/suggestions`, { headers: { authorization: `Bearer ${adminToken}` } })).json());
    const record = list.suggestions.find((suggestion) => suggestion.text === text);
    expect(record?.submitted_by).toMatch(/^ip:/);
    const deleted = await fetch(`${edge.url}/api/v1/suggestions/${record!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${adminToken}` } });
    expect(deleted.status).toBe(200);
    const after = LtTranslateResponseSchema.parse(await (await fetch(`${edge.url}/translate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: text, source: 'en', target: 'sw' }) })).json());
    expect(after.translatedText).toBe(before.translatedText);
  });

  it("the container's own LibreTranslate routes take the same body kinds and answer in the same shapes", async () => {
    const headers = { [EDGE_SECRET_HEADER]: stack.secret };
    const data = new FormData();
    for (const [name, value] of Object.entries({ q: 'the child eats the bread\r\n', source: 'en', target: 'sw' })) data.append(name, value);
    const translated = await fetch(`${container.url}/translate`, { method: 'POST', headers, body: data });
    expect(await translated.json()).toEqual({ translatedText: 'mtoto anakula mkate' });
    const missing = await fetch(`${container.url}/detect`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=hello' });
    expect({ status: missing.status, body: await missing.json() }).toEqual({ status: 400, body: { error: 'Invalid request: missing q parameter' } });
    const suggest = await fetch(`${container.url}/suggest`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'q=a&s=b&source=en&target=sw' });
    expect({ status: suggest.status, body: await suggest.json() }).toEqual({ status: 403, body: { error: 'Suggestions are disabled on this server.' } });
    const settings = (await (await fetch(`${container.url}/frontend/settings`, { headers })).json()) as Record<string, unknown>;
    expect(settings).toMatchObject({ suggestions: false, filesTranslation: false, supportedFilesFormat: [] });
  });
});
