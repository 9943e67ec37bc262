import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchTranslationResponseSchema,
  DetectResponseSchema,
  ErrorBodySchema,
  LanguageListSchema,
  LtDetectResponseSchema,
  LtLanguagesResponseSchema,
  LtTranslateResponseSchema,
  TranslationResultSchema,
} from '../../shared/contract/index.js';
import { counter, launchStack, metricsText, post, type Service, type Stack } from './harness.js';

/** The whole stack through the edge: real container process + wrangler dev, both on 127.0.0.1. */
let stack: Stack | undefined;
let container: Service;
let edge: Service;

beforeAll(async () => {
  stack = await launchStack();
  ({ container, edge } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const translate = (body: unknown, headers: Record<string, string> = {}) => post(`${edge.url}/api/v1/translate`, body, headers);
const translations = async () => counter(await metricsText(container), 'sema_translations_total');

describe('through the edge', () => {
  it('translates with the fixture, then serves the same request from cache without reaching the container', async () => {
    const body = { text: 'the child eats the bread', source_language: 'eng_Latn', target_language: 'swh_Latn' };
    const first = await translate(body);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const miss = TranslationResultSchema.parse(await first.json());
    expect(miss.translated_text).toBe('mtoto anakula mkate');
    expect(miss.cached).toBe(false);

    const before = await translations();
    const second = await translate(body);
    expect(second.headers.get('x-cache')).toBe('HIT');
    const hit = TranslationResultSchema.parse(await second.json());
    expect(hit).toMatchObject({ translated_text: 'mtoto anakula mkate', cached: true });
    expect(await translations()).toBe(before); // the container translated nothing
  });

  it('sends only the misses of a batch to the container', async () => {
    await translate({ text: 'the mother drinks the tea', source_language: 'eng_Latn', target_language: 'swh_Latn' });
    const before = await translations();
    const res = await translate({ text: ['the mother drinks the tea', 'the father reads the book'], source_language: 'eng_Latn', target_language: 'swh_Latn' });
    expect(res.headers.get('x-cache')).toBe('PARTIAL');
    const body = BatchTranslationResponseSchema.parse(await res.json());
    expect(body.results.map((r) => r.cached)).toEqual([true, false]);
    expect(body.results[0]!.translated_text).toBe('mama anakunywa chai');
    expect(body.results[1]!.translated_text).toContain('kitabu');
    expect((await translations()) - before).toBe(1);
  });

  it('detects the source when it is not given', async () => {
    const res = await translate({ text: 'The teacher reads the book every day.', target_language: 'fra_Latn' });
    const body = TranslationResultSchema.parse(await res.json());
    expect(body).toMatchObject({ source_language: 'eng_Latn', detected: true });
    expect(body.translated_text).toMatch(/le professeur lit le livre/i);
  });

  it('detects languages', async () => {
    const res = await post(`${edge.url}/api/v1/detect-language`, { text: 'Bonjour tout le monde, comment allez-vous ?' });
    expect(DetectResponseSchema.parse(await res.json())).toMatchObject({ detected_language: 'fra_Latn', reliable: true });
  });

  it('answers every languages route at the edge, never at the container', async () => {
    const requestsBefore = counter(await metricsText(container), 'sema_requests_total', 'languages');
    for (const path of ['/languages', '/languages/popular', '/languages/african', '/languages/region/africa', '/languages/search?q=swa', '/languages/stats', '/languages/sw']) {
      const res = await fetch(`${edge.url}/api/v1${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('etag'), path).toBeTruthy();
    }
    expect(LanguageListSchema.parse(await (await fetch(`${edge.url}/api/v1/languages/african`)).json()).count).toBeGreaterThan(40);
    expect((await fetch(`${edge.url}/api/v1/languages/klingon`)).status).toBe(404);
    expect((await fetch(`${edge.url}/api/v1/languages/search?q=s`)).status).toBe(400);
    expect(counter(await metricsText(container), 'sema_requests_total', 'languages')).toBe(requestsBefore);
  });

  it('serves the LibreTranslate-compatible routes', async () => {
    const translated = LtTranslateResponseSchema.parse(await (await post(`${edge.url}/translate`, { q: 'thank you very much', source: 'en', target: 'fr' })).json());
    expect(translated.translatedText).toBe('merci beaucoup');
    const detected = LtDetectResponseSchema.parse(await (await post(`${edge.url}/detect`, { q: 'This is an English sentence.' })).json());
    expect(detected[0]?.language).toBe('en');
    expect(LtLanguagesResponseSchema.parse(await (await fetch(`${edge.url}/languages`)).json())).toHaveLength(202);
  });

  it('propagates the request id from the edge to the container and its logs', async () => {
    const res = await translate({ text: 'the girl sees the dog', source_language: 'eng_Latn', target_language: 'swh_Latn' }, { 'x-request-id': 'e2e-trace-42' });
    expect(res.headers.get('x-request-id')).toBe('e2e-trace-42');
    expect(TranslationResultSchema.parse(await res.json()).request_id).toBe('e2e-trace-42');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the log line is written after the response
    expect(container.output.some((line) => line.includes('"request_id":"e2e-trace-42"'))).toBe(true);
  });

  it.each([
    ['malformed JSON', '{"text": ', 400, 'INVALID_JSON'],
    ['wrong types', { text: 42, target_language: 'sw' }, 400, 'VALIDATION_FAILED'],
    ['empty text', { text: '', target_language: 'sw' }, 400, 'VALIDATION_FAILED'],
    ['whitespace text', { text: ' \n ', target_language: 'sw' }, 400, 'VALIDATION_FAILED'],
    ['5001 characters', { text: 'a'.repeat(5001), target_language: 'sw' }, 413, 'TEXT_TOO_LONG'],
    ['65 items', { text: Array.from({ length: 65 }, () => 'hi'), target_language: 'sw' }, 413, 'BATCH_TOO_LARGE'],
    ['an unknown language', { text: 'hello', target_language: 'tlh_Latn' }, 400, 'UNSUPPORTED_LANGUAGE'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 400, 'INVALID_JSON'],
  ])('refuses %s with its code, never a 500', async (_name, body, status, code) => {
    const res = await translate(body, { 'cf-connecting-ip': '198.51.100.1' });
    expect(res.status).toBe(status);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe(code);
  });

  it('refuses huge headers without a 500', async () => {
    const res = await fetch(`${edge.url}/api/v1/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-padding': 'x'.repeat(200_000) },
      body: JSON.stringify({ text: 'hello', target_language: 'sw' }),
    }).catch(() => undefined);
    // The runtime refuses oversized headers before the Worker runs (431), or drops the connection.
    expect(res === undefined || (res.status >= 400 && res.status < 500), `status ${res?.status}`).toBe(true);
  });

  it('rate-limits the 61st request in a minute from one client, not others', async () => {
    const ip = { 'cf-connecting-ip': '203.0.113.61' };
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await post(`${edge.url}/api/v1/detect-language`, { text: `hello number ${i}` }, ip)).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    const refused = await post(`${edge.url}/api/v1/detect-language`, { text: 'hello again' }, { ...ip, 'x-forwarded-for': '192.0.2.9' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(ErrorBodySchema.parse(await refused.json()).error.code).toBe('RATE_LIMITED');
    expect((await post(`${edge.url}/api/v1/detect-language`, { text: 'hello' }, { 'cf-connecting-ip': '203.0.113.62' })).status).toBe(200);
  });
});

describe('output users can trust, through the edge with the fixture', () => {
  it('an unreliable detection is translated, says so, and is a MISS the second time too; a reliable one is a HIT', async () => {
    // lid.176 gives this Swahili sentence 0.47, under the default LID_MIN_CONFIDENCE of 0.5
    const unsure = { text: 'mwalimu anasoma kitabu', target_language: 'eng_Latn' };
    for (const attempt of [1, 2]) {
      const res = await translate(unsure);
      expect(res.headers.get('x-cache'), `attempt ${attempt}`).toBe('MISS');
      const body = TranslationResultSchema.parse(await res.json());
      expect(body).toMatchObject({ detected: true, reliable: false, source_language: 'swh_Latn', cached: false });
      expect(body.translated_text).toContain('teacher');
    }
    const sure = { text: 'The teacher reads the book every day.', target_language: 'swh_Latn' };
    await translate(sure);
    const again = await translate(sure);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(TranslationResultSchema.parse(await again.json())).toMatchObject({ detected: true, reliable: true, cached: true });
  });

  it('lower-case sentences each come back translated', async () => {
    const res = await translate({ text: 'the child eats the bread. the mother drinks the tea.', source_language: 'eng_Latn', target_language: 'swh_Latn' });
    const body = TranslationResultSchema.parse(await res.json());
    expect(body.translated_text).toBe('mtoto anakula mkate. mama anakunywa chai.');
    expect(body.warnings).toEqual([]);
  });

  it('placeholders come back byte-identical, moved by the model itself (no fallback warning)', async () => {
    const res = await translate({ text: '{name} eats the bread', source_language: 'eng_Latn', target_language: 'swh_Latn' });
    const body = TranslationResultSchema.parse(await res.json());
    expect(body.translated_text).toBe('{name} anakula mkate');
    expect(body.warnings).toEqual([]);
  });

  it('alternatives are distinct, cached with the item, and bad values are VALIDATION_FAILED', async () => {
    const request = { text: 'the child eats the bread', source_language: 'eng_Latn', target_language: 'fra_Latn', options: { alternatives: 2 } };
    const miss = TranslationResultSchema.parse(await (await translate(request)).json());
    expect(miss.alternatives.length).toBeGreaterThan(0);
    expect(new Set([miss.translated_text, ...miss.alternatives]).size).toBe(miss.alternatives.length + 1);
    const hitRes = await translate(request);
    expect(hitRes.headers.get('x-cache')).toBe('HIT');
    expect(TranslationResultSchema.parse(await hitRes.json()).alternatives).toEqual(miss.alternatives);
    const bad = await translate({ ...request, options: { alternatives: 7 } });
    expect(bad.status).toBe(400);
    expect(ErrorBodySchema.parse(await bad.json()).error.code).toBe('VALIDATION_FAILED');
  });
});
