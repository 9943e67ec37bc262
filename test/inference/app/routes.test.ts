import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchTranslationResponseSchema,
  DetectResponseSchema,
  ErrorBodySchema,
  HealthResponseSchema,
  InferenceStatusResponseSchema,
  LanguageListSchema,
  LtDetectResponseSchema,
  LtLanguagesResponseSchema,
  LtTranslateResponseSchema,
  TranslationResultSchema,
} from '../../../shared/contract/index.js';
import { FIXTURE_WARNING } from '../../../inference/service/model-runtime.js';
import { ltDetectAnswer, ltTranslateAnswer } from '../../../shared/libretranslate/index.js';
import { createTestContainer, json } from '../../support/container.js';

type TestContainer = Awaited<ReturnType<typeof createTestContainer>>;
let container: TestContainer;
const request = (path: string, init?: RequestInit) => container.app.request(path, init);

/** The stable code of a refusal: the envelope's, or on LibreTranslate's routes the X-Error-Code header of its `{"error": "<message>"}`. */
async function errorCode(res: Response): Promise<string> {
  const body: unknown = await res.json();
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') return res.headers.get('x-error-code') ?? '';
  return ErrorBodySchema.parse(body).error.code;
}

beforeAll(async () => {
  container = await createTestContainer();
});
afterAll(async () => {
  await container?.close(1000);
});

describe('POST /api/v1/translate', () => {
  it('translates one text with the fixture and says loudly that a fixture served it', async () => {
    const res = await request('/api/v1/translate', json({ text: 'the child eats the bread.', source_language: 'en', target_language: 'sw' }));
    expect(res.status).toBe(200);
    const body = TranslationResultSchema.parse(await res.json());
    expect(body.translated_text).toContain('mtoto');
    expect(body.translated_text).toContain('mkate');
    expect(body).toMatchObject({ source_language: 'eng_Latn', target_language: 'swh_Latn', detected: false, confidence: null, cached: false, character_count: 25 });
    expect(body.model).toContain(FIXTURE_WARNING);
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
    expect(Number(res.headers.get('x-response-time-ms'))).toBeGreaterThan(0);
  });

  it('translates a batch in order, detecting each item\'s source language', async () => {
    const res = await request(
      '/api/v1/translate',
      json({ text: ['The teacher reads the book every day.', 'Le professeur lit le livre chaque jour.'], target_language: 'fra_Latn' }),
    );
    expect(res.status).toBe(200);
    const body = BatchTranslationResponseSchema.parse(await res.json());
    expect(body.count).toBe(2);
    expect(body.results.map((r) => r.source_language)).toEqual(['eng_Latn', 'fra_Latn']);
    expect(body.results.every((r) => r.detected && r.confidence !== null && r.confidence > 0.5)).toBe(true);
    expect(body.results[0]!.translated_text).toMatch(/le professeur lit le livre/i);
    // already in the target language: returned as it is, not paraphrased by the model
    expect(body.results[1]!.translated_text).toBe('Le professeur lit le livre chaque jour.');
  });

  it('keeps the layout of a multi-sentence text', async () => {
    const text = 'the child eats the bread.\n\n- the mother drinks the tea.\n- https://example.org/menu?day=1';
    const body = TranslationResultSchema.parse(await (await request('/api/v1/translate', json({ text, source_language: 'eng_Latn', target_language: 'swh_Latn' }))).json());
    const lines = body.translated_text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^- /);
    expect(lines[0]).toContain('mtoto');
    expect(lines[2]).toContain('mama');
    expect(lines[3]).toBe('- https://example.org/menu?day=1');
  });

  it.each([
    ['malformed JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":' }, 400, 'INVALID_JSON'],
    ['a wrong content type', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a huge body', json({ text: 'a'.repeat(70_000), target_language: 'sw' }), 413, 'BODY_TOO_LARGE'],
    ['a wrong type', json({ text: 5, target_language: 'sw' }), 400, 'VALIDATION_FAILED'],
    ['whitespace text', json({ text: '   ', target_language: 'sw' }), 400, 'VALIDATION_FAILED'],
    ['5001 characters', json({ text: 'a'.repeat(5001), target_language: 'sw' }), 413, 'TEXT_TOO_LONG'],
    ['65 items', json({ text: Array.from({ length: 65 }, () => 'a'), target_language: 'sw' }), 413, 'BATCH_TOO_LARGE'],
    ['an unknown language', json({ text: 'hello', target_language: 'xx_Xxxx' }), 400, 'UNSUPPORTED_LANGUAGE'],
  ])('refuses %s with a clear 4xx', async (_name, init, status, code) => {
    const res = await request('/api/v1/translate', init as RequestInit);
    expect(res.status).toBe(status);
    expect(await errorCode(res)).toBe(code);
  });

  it('says when the source language cannot be detected instead of guessing', async () => {
    const res = await request('/api/v1/translate', json({ text: '12345 67890', target_language: 'swh_Latn' }));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('UNSUPPORTED_LANGUAGE');
  });
});

describe('POST /api/v1/detect-language', () => {
  it('detects with top-k alternatives and the documented fields', async () => {
    const res = await request('/api/v1/detect-language', json({ text: 'Bonjour tout le monde, comment allez-vous ?', top_k: 2 }));
    const body = DetectResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ detected_language: 'fra_Latn', language_name: 'French', is_english: false, reliable: true, detector: 'fasttext-lid.176' });
    expect(body.alternatives).toHaveLength(2);
  });

  it('refuses empty text', async () => {
    expect(await errorCode(await request('/api/v1/detect-language', json({ text: '' })))).toBe('VALIDATION_FAILED');
  });
});

describe('LibreTranslate-compatible routes', () => {
  it('POST /translate answers in LibreTranslate shape, detecting with source auto', async () => {
    const res = await request('/translate', json({ q: 'the mother drinks the tea.', source: 'auto', target: 'sw' }));
    const body = LtTranslateResponseSchema.parse(await res.json());
    expect(body.translatedText).toContain('mama');
    expect(body.detectedLanguage).toMatchObject({ language: 'en' });
  });

  it('answers are the shared builder applied to the /api/v1 result of the same request (as at the edge)', async () => {
    const text = 'the mother drinks the tea.';
    const result = TranslationResultSchema.parse(await (await request('/api/v1/translate', json({ text, target_language: 'sw', options: { alternatives: 1 } }))).json());
    const lt = await (await request('/translate', json({ q: text, source: 'auto', target: 'sw', alternatives: 1 }))).json();
    expect(lt).toEqual(ltTranslateAnswer([result], { batch: false, source: undefined, options: { alternatives: 1 } }));
    expect(lt).toMatchObject({ detectedLanguage: { language: 'en', confidence: Math.round(result.confidence! * 100) }, alternatives: result.alternatives });

    const texts = ['the child eats the bread.', 'the teacher reads the book.'];
    const batch = BatchTranslationResponseSchema.parse(await (await request('/api/v1/translate', json({ text: texts, source_language: 'en', target_language: 'sw' }))).json());
    const ltBatch = await (await request('/translate', json({ q: texts, source: 'en', target: 'sw' }))).json();
    expect(ltBatch).toEqual(ltTranslateAnswer(batch.results, { batch: true, source: 'eng_Latn', options: { alternatives: 0 } }));

    const sentence = 'This is an English sentence about the weather.';
    const detection = DetectResponseSchema.parse(await (await request('/api/v1/detect-language', json({ text: sentence, top_k: 3 }))).json());
    const ltDetect = await (await request('/detect', json({ q: sentence }))).json();
    expect(ltDetect).toEqual(ltDetectAnswer(detection));
  });

  it('POST /detect and GET /languages', async () => {
    const detected = LtDetectResponseSchema.parse(await (await request('/detect', json({ q: 'This is an English sentence.' }))).json());
    expect(detected[0]).toMatchObject({ language: 'en' });
    expect(detected[0]!.confidence).toBeGreaterThan(50);
    const languages = LtLanguagesResponseSchema.parse(await (await request('/languages')).json());
    expect(languages).toHaveLength(202);
    expect(languages.find((l) => l.code === 'sw')?.targets).toContain('en');
  });
});

describe('operations routes', () => {
  it('GET /health and /status', async () => {
    HealthResponseSchema.parse(await (await request('/health')).json());
    const status = InferenceStatusResponseSchema.parse(await (await request('/status')).json());
    expect(status).toMatchObject({ ready: true, status: 'degraded', detector: 'fasttext-lid.176' });
    expect(status.model).toMatchObject({ id: 'sema-tiny-fixture', fixture: true, newer_revision_available: 'unknown' });
    expect(status.batches.count).toBeGreaterThan(0);
  });

  it('serves the shared languages sub-app', async () => {
    const list = LanguageListSchema.parse(await (await request('/api/v1/languages')).json());
    expect(list.count).toBe(202);
    expect((await request('/api/v1/languages/zz')).status).toBe(404);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = (await (await request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/translate');
    const docs = await request('/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('exposes every metric after traffic', async () => {
    await request('/api/v1/translate', json({ text: 'zzz', target_language: 'nope' }));
    const text = await (await request('/metrics')).text();
    for (const name of [
      'sema_requests_total', 'sema_request_duration_seconds', 'sema_translations_total', 'sema_characters_translated_total',
      'sema_translation_duration_seconds', 'sema_language_detections_total', 'sema_detection_duration_seconds', 'sema_errors_total',
      'sema_model_load_time_seconds', 'sema_memory_usage_bytes', 'sema_batch_size', 'sema_queue_depth', 'sema_generated_tokens_total',
    ]) {
      expect(text, name).toContain(name);
    }
    expect(text).toMatch(/sema_translations_total\{source_lang="eng_Latn",target_lang="swh_Latn"\} \d+/);
    expect(text).toMatch(/sema_errors_total\{error_type="UNSUPPORTED_LANGUAGE",endpoint="\/api\/v1\/translate"\} \d+/);
    expect(text).toMatch(/sema_requests_total\{endpoint="\/api\/v1\/languages\/:code",status="404"\} 1/);
  });

  it('writes one log line per request, without the text', async () => {
    await request('/api/v1/translate', json({ text: 'the secret child eats.', source_language: 'en', target_language: 'sw' }, { 'x-request-id': 'log-test-1' }));
    const line = container.logs.lines.find((l) => l.request_id === 'log-test-1');
    expect(line).toMatchObject({ endpoint: '/api/v1/translate', status: 200, source_language: 'eng_Latn', target_language: 'swh_Latn', character_count: 22 });
    expect(typeof line?.inference_ms).toBe('number');
    expect(JSON.stringify(container.logs.lines)).not.toContain('secret child');
  });

  it('answers unknown routes with the envelope', async () => {
    const res = await request('/nope');
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('NOT_FOUND');
  });
});

describe('wrong methods', () => {
  it('answers 405 with Allow on a known path asked with the wrong method', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/api/v1/translate', 'POST'],
      ['GET', '/api/v1/detect-language', 'POST'],
      ['GET', '/translate', 'POST'],
      ['GET', '/detect', 'POST'],
      ['GET', '/admin/reload', 'POST'],
      ['PUT', '/health', 'GET, HEAD'],
      ['POST', '/status', 'GET, HEAD'],
      ['DELETE', '/metrics', 'GET, HEAD'],
      ['POST', '/languages', 'GET, HEAD'],
      ['DELETE', '/api/v1/languages', 'GET, HEAD'],
      ['PUT', '/api/v1/languages/region/africa', 'GET, HEAD'],
      ['POST', '/api/v1/languages/sw', 'GET, HEAD'],
      ['POST', '/openapi.json', 'GET, HEAD'],
      ['DELETE', '/', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(await errorCode(res)).toBe('METHOD_NOT_ALLOWED');
    }
  });
});
