import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { resolvedKey } from '../../edge/cache/key.js';
import type { TranslateOptions } from '../../shared/contract/translate.js';
import { harness, unique, uniqueIp, type Harness } from './harness.js';

/**
 * The cache with the shipped defaults: no MODEL_ID (the harness sets one; a blank var is "unset", as
 * when wrangler.toml has none), the label learned from the origins' answers.
 */
const defaults = (origins?: string[]) => harness({ ...(origins ? { origins } : {}), vars: { MODEL_ID: '' } });

const OPTIONS: TranslateOptions = { beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text' };

type Result = { translated_text: string; cached: boolean; model: string };

async function translate(h: Harness, text: string): Promise<{ cache: string | null; result: Result }> {
  const response = await h.post('/api/v1/translate', { text, source_language: 'en', target_language: 'fr' }, { 'cf-connecting-ip': uniqueIp() });
  expect(response.status).toBe(200);
  return { cache: response.headers.get('x-cache'), result: (await response.json()) as Result };
}

async function kvEntry(model: string, text: string): Promise<{ model: string; translated_text: string } | null> {
  const key = await resolvedKey({ model, source: 'eng_Latn', target: 'fra_Latn', options: OPTIONS, text });
  const raw = await env.TRANSLATION_CACHE.get(key, 'text');
  return raw === null ? null : (JSON.parse(raw) as { model: string; translated_text: string });
}

describe('the cache with the committed defaults (no MODEL_ID)', () => {
  it('wrangler.toml sets no MODEL_ID', () => {
    expect((env as unknown as Record<string, unknown>).MODEL_ID).toBeUndefined();
  });

  it('a second identical request is a HIT, keyed by the label the origin reported', async () => {
    const h = defaults();
    h.origins.a!.knobs.model = 'Xenova/nllb-200-distilled-600M@abc123';
    const text = `defaults ${unique()}`;
    const first = await translate(h, text);
    expect(first).toMatchObject({ cache: 'MISS', result: { cached: false, model: 'Xenova/nllb-200-distilled-600M@abc123' } });
    const second = await translate(h, text);
    expect(second).toMatchObject({ cache: 'HIT', result: { cached: true, model: 'Xenova/nllb-200-distilled-600M@abc123' } });
    expect(second.result.translated_text).toBe(first.result.translated_text);
    expect(h.origins.a!.calls.translate).toBe(1);
    expect(await kvEntry('Xenova/nllb-200-distilled-600M@abc123', text)).toMatchObject({ model: 'Xenova/nllb-200-distilled-600M@abc123' });
  });

  it('a fresh isolate knows no label yet: it looks up nothing and learns it from the first answer', async () => {
    const warm = defaults();
    const text = `fresh ${unique()}`;
    await translate(warm, text);
    const fresh = defaults();
    expect((await translate(fresh, text)).cache).toBe('MISS');
    expect((await translate(fresh, text)).cache).toBe('HIT');
    expect(fresh.origins.a!.calls.translate).toBe(1);
  });
});

describe('two origins on different models (a rolling upgrade)', () => {
  it('each answer is cached and served under its own model, never crossed', async () => {
    const h = defaults(['a', 'b']);
    h.origins.a!.knobs.model = 'model-old';
    h.origins.b!.knobs.model = 'model-new';
    const [x, y] = [`upgrade-x ${unique()}`, `upgrade-y ${unique()}`];
    // The pool rotates: x goes to a (old), y to b (new).
    expect((await translate(h, x)).result.model).toBe('model-old');
    expect((await translate(h, y)).result.model).toBe('model-new');
    expect(await kvEntry('model-old', x)).toMatchObject({ model: 'model-old' });
    expect(await kvEntry('model-new', y)).toMatchObject({ model: 'model-new' });
    expect(await kvEntry('model-new', x)).toBeNull();
    expect(await kvEntry('model-old', y)).toBeNull();

    // Both models serve: each cached answer is a HIT under its own model.
    expect(await translate(h, x)).toMatchObject({ cache: 'HIT', result: { cached: true, model: 'model-old' } });
    expect(await translate(h, y)).toMatchObject({ cache: 'HIT', result: { cached: true, model: 'model-new' } });
    expect(h.origins.a!.calls.translate + h.origins.b!.calls.translate).toBe(2);
  });

  it('once no origin serves a model, its cached answers are not served', async () => {
    const h = defaults(['a', 'b']);
    h.origins.a!.knobs.model = 'model-old';
    h.origins.b!.knobs.model = 'model-new';
    const x = `retired ${unique()}`;
    expect((await translate(h, x)).result.model).toBe('model-old'); // a answers, cached under model-old
    await translate(h, `teach-b ${unique()}`); // b answers: model-new learned
    // a is upgraded too; its next answer says so.
    h.origins.a!.knobs.model = 'model-new';
    await translate(h, `teach-a ${unique()}`);
    const again = await translate(h, x);
    expect(again).toMatchObject({ cache: 'MISS', result: { cached: false, model: 'model-new' } });
    expect(await kvEntry('model-new', x)).toMatchObject({ model: 'model-new' });
    expect(await kvEntry('model-old', x)).toMatchObject({ model: 'model-old' }); // still stored, never read
  });

  it('when every circuit is open, the last known labels still serve cached answers', async () => {
    const h = harness({ origins: ['a'], vars: { MODEL_ID: '', CIRCUIT_FAILURE_THRESHOLD: '1' } });
    const x = `outage ${unique()}`;
    await translate(h, x);
    h.down.add('a');
    const failed = await h.post('/api/v1/translate', { text: `new ${unique()}`, source_language: 'en', target_language: 'fr' }, { 'cf-connecting-ip': uniqueIp() });
    expect(failed.status).toBe(503);
    expect((await translate(h, x)).cache).toBe('HIT');
  });
});

describe('MODEL_ID, the optional override', () => {
  it('only that label is cached and read; it is assumed before any answer', async () => {
    const text = `pinned ${unique()}`;
    const first = harness({ vars: { MODEL_ID: 'model-pinned' } });
    first.origins.a!.knobs.model = 'model-pinned';
    await translate(first, text);
    // A fresh isolate with the pin hits at once.
    const fresh = harness({ vars: { MODEL_ID: 'model-pinned' } });
    expect((await translate(fresh, text)).cache).toBe('HIT');
    // An origin on another model: served, not cached, and the pinned entries are not read.
    const other = harness({ vars: { MODEL_ID: 'model-pinned' } });
    other.origins.a!.knobs.model = 'model-other';
    const fresh2 = `pinned-other ${unique()}`;
    expect((await translate(other, fresh2)).result.model).toBe('model-other');
    expect((await translate(other, fresh2)).cache).toBe('MISS');
    expect((await translate(other, text)).cache).toBe('MISS');
    expect(await kvEntry('model-other', fresh2)).toBeNull();
  });
});
