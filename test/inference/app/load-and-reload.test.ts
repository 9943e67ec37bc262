import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBodySchema, TranslationResultSchema } from '../../../shared/contract/index.js';
import { createTestContainer, json } from '../../support/container.js';

let container: Awaited<ReturnType<typeof createTestContainer>> | undefined;
afterEach(async () => {
  await container?.close(2000);
  container = undefined;
});

const sentence = (i: number) => `the ${['child', 'teacher', 'farmer', 'doctor'][i % 4]} drinks the ${['water', 'tea', 'milk', 'coffee'][i % 4]}.`;
const translate = (text: string | string[], headers: Record<string, string> = {}) =>
  container!.app.request('/api/v1/translate', json({ text, source_language: 'eng_Latn', target_language: 'swh_Latn' }, headers));

describe('under load', () => {
  it('/health answers while a long translation runs', async () => {
    // one standalone client sends all the heavy requests here: its cost budget must not be what is tested
    container = await createTestContainer({ BATCH_MAX_SIZE: '8', COST_BUDGET_PER_MINUTE: '100000000' });
    const long = Array.from({ length: 48 }, (_, i) => `${sentence(i)} ${sentence(i + 1)} ${sentence(i + 2)}`);
    let translationDone = false;
    const body = json({ text: long, source_language: 'eng_Latn', target_language: 'swh_Latn', options: { beam_size: 4 } });
    // One first, alone: it measures the beam-4 rate, by which admission then lets all eight in (before any
    // measurement the conservative prior rate would refuse most of them as unable to meet the deadline).
    expect((await container.app.request('/api/v1/translate', body)).status).toBe(200);
    const translations = Promise.all(Array.from({ length: 8 }, () => container!.app.request('/api/v1/translate', body))).then((all) => {
      translationDone = true;
      return all;
    });
    const latencies: number[] = [];
    while (!translationDone && latencies.length < 50) {
      const started = performance.now();
      const res = await container.app.request('/health');
      if (!translationDone) latencies.push(performance.now() - started);
      expect(res.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Probes were answered while the model was busy, and fast: ONNX runs off the event loop. (The first
    // probe waits behind the requests' own tokenization, which is main-thread work, so it is left out.)
    const whileBusy = latencies.slice(1).sort((x, y) => x - y);
    expect(whileBusy.length).toBeGreaterThanOrEqual(3);
    expect(whileBusy[Math.floor(whileBusy.length / 2)]).toBeLessThan(100);
    expect((await translations).map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 200));
  });

  it('refuses overload at once with OVERLOADED and Retry-After, then serves normally', async () => {
    container = await createTestContainer({ QUEUE_MAX_REQUESTS: '2', BATCH_MAX_SIZE: '1' });
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => translate(sentence(i))));
    const refused = responses.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const res of refused) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('OVERLOADED');
    }
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect((await translate(sentence(0))).status).toBe(200);
  });

  it('answers DEADLINE_EXCEEDED (504) when a request waits past its deadline', async () => {
    container = await createTestContainer({ REQUEST_DEADLINE_MS: '100', BATCH_MAX_SIZE: '1' });
    // 144 sentences, one per batch, with beam search: far more than 100 ms of model work
    const long = Array.from({ length: 48 }, (_, i) => `${sentence(i)} ${sentence(i + 1)} ${sentence(i + 2)}`);
    const res = await container.app.request('/api/v1/translate', json({ text: long, source_language: 'eng_Latn', target_language: 'swh_Latn', options: { beam_size: 4 } }));
    expect(res.status).toBe(504);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('DEADLINE_EXCEEDED');
    expect((await container.app.request('/status')).status).toBe(200);
  });
});

describe('hot reload', () => {
  const ADMIN = 'admin-token-0123456789abcdef';

  it('swaps the model under concurrent requests without losing any', async () => {
    container = await createTestContainer({ ADMIN_TOKEN: ADMIN });
    const before = container.deps.model.peek();
    const inFlight = Array.from({ length: 24 }, (_, i) => translate(sentence(i)));
    const reload = container.app.request('/admin/reload', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    const after = Array.from({ length: 24 }, (_, i) => translate(sentence(i)));
    const all = await Promise.all([...inFlight, ...after]);
    expect((await reload).status).toBe(200);
    expect(all.map((r) => r.status)).toEqual(all.map(() => 200));
    for (const res of all) expect(TranslationResultSchema.parse(await res.json()).translated_text.length).toBeGreaterThan(0);
    expect(container.deps.model.peek()).not.toBe(before);
  });

  it('needs the admin token, and does not exist without one', async () => {
    container = await createTestContainer({ ADMIN_TOKEN: ADMIN });
    expect((await container.app.request('/admin/reload', { method: 'POST' })).status).toBe(401);
    await container.close(1000);
    container = await createTestContainer();
    expect((await container.app.request('/admin/reload', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(404);
  });

  it('keeps the old model serving when the new one fails to load', async () => {
    container = await createTestContainer({ ADMIN_TOKEN: ADMIN });
    const before = container.deps.model.peek();
    container.deps.config.model.dir = '/nonexistent/model';
    const res = await container.app.request('/admin/reload', { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(503);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('MODEL_UNAVAILABLE');
    expect(container.deps.model.peek()).toBe(before);
    expect((await translate(sentence(1))).status).toBe(200);
  });
});
