import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { autoKey, autoKeyMaterial, CACHE_KEY_PREFIX, resolvedKey, resolvedKeyMaterial } from '../../edge/cache/key.js';
import { CacheApiTier } from '../../edge/cache/store.js';
import { BatchTranslationResponseSchema, TranslationResultSchema, type TranslateOptions } from '../../shared/contract/translate.js';
import { FAKE_MODEL_ID, FAKE_OMISSION_MARKER, FAKE_UNDETECTABLE_MARKER } from '../support/fake-origin-core.js';
import { errorOf, harness as baseHarness, unique, uniqueIp, type Harness, type HarnessOptions } from './harness.js';

/** The isolate's counters are in /health's admin details, so every edge of this file has an ADMIN_TOKEN. */
const ADMIN_TOKEN = 'cache-tests-admin-token-0123456';
const harness = (options: HarnessOptions = {}) => baseHarness({ ...options, vars: { ADMIN_TOKEN, ...options.vars } });
const adminHealth = async (h: Harness) => (await h.request('/health', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();

type Result = { translated_text: string; source_language: string; detected: boolean; confidence: number | null; cached: boolean; model: string };
type Batch = { results: Result[]; count: number };

const OPTIONS: TranslateOptions = { beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text' };
const cacheApi = () => (caches as unknown as { default: Cache }).default;

function tr(h: Harness, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return h.post('/api/v1/translate', body, { 'cf-connecting-ip': uniqueIp(), ...headers });
}

const keyFor = (text: string, source: string, target: string, options = OPTIONS) =>
  resolvedKey({ model: FAKE_MODEL_ID, source, target, options, text });

async function kvEntry(key: string): Promise<Record<string, unknown> | null> {
  const raw = await env.TRANSLATION_CACHE.get(key, 'text');
  return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
}

async function colo(key: string): Promise<Response | undefined> {
  return cacheApi().match(CacheApiTier.requestFor(key));
}

describe('cache keys', () => {
  it('are SHA-256 hex under a versioned prefix', async () => {
    const key = await keyFor('hello', 'eng_Latn', 'fra_Latn');
    expect(key).toMatch(new RegExp(`^${CACHE_KEY_PREFIX}[0-9a-f]{64}$`));
    expect(CACHE_KEY_PREFIX).toBe('tx:v2:');
  });

  it('JSON-encode each part: no two different (model, source, target, options, text) share key material', () => {
    const part = fc.oneof(fc.constantFrom('a', 'b', 'a|b', 'a","b', '', '|', '\\', '"'), fc.string({ maxLength: 6 }));
    const tuple = fc.record({ model: part, source: part, target: part, text: part, beam: fc.integer({ min: 1, max: 4 }), max: fc.option(fc.integer({ min: 1, max: 512 }), { nil: undefined }) });
    fc.assert(
      fc.property(tuple, tuple, (x, y) => {
        const material = (t: typeof x) =>
          resolvedKeyMaterial({ model: t.model, source: t.source, target: t.target, text: t.text, options: { ...OPTIONS, beam_size: t.beam, ...(t.max ? { max_new_tokens: t.max } : {}) } });
        const same = x.model === y.model && x.source === y.source && x.target === y.target && x.text === y.text && x.beam === y.beam && x.max === y.max;
        expect(material(x) === material(y)).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });

  it('auto keys never share material with resolved keys', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, text) => {
        expect(autoKeyMaterial({ model: a, detector: b, target: a, options: OPTIONS, text })).not.toBe(
          resolvedKeyMaterial({ model: a, source: b, target: a, options: OPTIONS, text }),
        );
      }),
    );
  });

  it('differ for each part, and options are canonical (defaults applied)', async () => {
    const base = await keyFor('hi', 'eng_Latn', 'fra_Latn');
    expect(await keyFor('hi', 'eng_Latn', 'fra_Latn', { ...OPTIONS, beam_size: 1 })).toBe(base);
    const others = await Promise.all([
      keyFor('hi', 'eng_Latn', 'fra_Latn', { ...OPTIONS, placeholders: 'none' }),
      keyFor('hi', 'eng_Latn', 'fra_Latn', { ...OPTIONS, alternatives: 2 }),
      keyFor('hi ', 'eng_Latn', 'fra_Latn'),
      keyFor('hi', 'swh_Latn', 'fra_Latn'),
      keyFor('hi', 'eng_Latn', 'swh_Latn'),
      keyFor('hi', 'eng_Latn', 'fra_Latn', { ...OPTIONS, beam_size: 2 }),
      resolvedKey({ model: 'other', source: 'eng_Latn', target: 'fra_Latn', options: OPTIONS, text: 'hi' }),
      autoKey({ model: FAKE_MODEL_ID, detector: 'fasttext-lid.176', target: 'fra_Latn', options: OPTIONS, text: 'hi' }),
    ]);
    expect(new Set([base, ...others]).size).toBe(9);
  });
});

describe('translation cache', () => {
  it('miss then hit: the origin is called once; cached false then true; X-Cache MISS then HIT', async () => {
    const h = harness();
    const text = `good morning ${unique()}`;
    const body = { text, target_language: 'fr', source_language: 'en' };
    const first = await tr(h, body);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const miss = TranslationResultSchema.parse(await first.json());
    expect(miss.cached).toBe(false);
    const second = await tr(h, body, { 'x-request-id': 'second-call' });
    expect(second.headers.get('x-cache')).toBe('HIT');
    const hit = TranslationResultSchema.parse(await second.json());
    expect(hit).toMatchObject({
      translated_text: miss.translated_text,
      source_language: 'eng_Latn',
      target_language: 'fra_Latn',
      detected: false,
      confidence: null,
      cached: true,
      inference_time: 0,
      request_id: 'second-call',
      model: FAKE_MODEL_ID,
      character_count: miss.character_count,
    });
    expect(h.origins.a!.calls.translate).toBe(1);
    // both tiers hold it, under the versioned key, with the key inside the value
    const key = await keyFor(text, 'eng_Latn', 'fra_Latn');
    expect(await kvEntry(key)).toMatchObject({ key, model: FAKE_MODEL_ID, translated_text: miss.translated_text });
    expect(await colo(key)).toBeDefined();
  });

  it('a batch with a partial hit sends only the misses, in ONE origin request, and merges in order', async () => {
    const h = harness();
    const [zero, one, two, three] = ['zero', 'one', 'two', 'three'].map((word) => `${word} ${unique()}`);
    await tr(h, { text: [one, three], target_language: 'fr', source_language: 'en' });
    h.origins.a!.received.length = 0;
    const response = await tr(h, { text: [zero, one, two, three, zero], target_language: 'fr', source_language: 'en' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('PARTIAL');
    const batch = BatchTranslationResponseSchema.parse(await response.json());
    expect(h.origins.a!.received).toHaveLength(1);
    expect(h.origins.a!.received[0]!.body).toEqual({ text: [zero, two], target_language: 'fra_Latn', source_language: 'eng_Latn', options: OPTIONS });
    expect(batch.results.map((result) => result.cached)).toEqual([false, true, false, true, false]);
    expect(batch.results.map((result) => result.translated_text)).toEqual(
      [zero, one, two, three, zero].map((text) => `[eng_Latn>fra_Latn] ${text!.split(' ').reverse().join(' ')}`),
    );
    expect(batch.count).toBe(5);
  });

  it('a batch without source_language sends its misses without one (per-item detection)', async () => {
    const h = harness();
    const known = `habari ${unique()}`;
    const fresh = `bonjour ${unique()}`;
    await tr(h, { text: known, target_language: 'en' });
    h.origins.a!.received.length = 0;
    const response = await tr(h, { text: [fresh, known], target_language: 'en' });
    expect(h.origins.a!.received[0]!.body).toEqual({ text: [fresh], target_language: 'eng_Latn', options: OPTIONS });
    const batch = (await response.json()) as Batch;
    expect(batch.results.map((r) => [r.source_language, r.detected, r.cached])).toEqual([
      ['fra_Latn', true, false],
      ['swh_Latn', true, true],
    ]);
    expect(batch.results[1]!.confidence).toBe(0.93);
  });

  it('an all-hit batch never calls the origin and says X-Cache: HIT', async () => {
    const h = harness();
    const texts = [`a ${unique()}`, `b ${unique()}`];
    await tr(h, { text: texts, target_language: 'fr', source_language: 'en' });
    const response = await tr(h, { text: [...texts].reverse(), target_language: 'fr', source_language: 'en' });
    expect(response.headers.get('x-cache')).toBe('HIT');
    expect(h.origins.a!.calls.translate).toBe(1);
  });

  it('TTL: entries expire after CACHE_TTL_SECONDS (clock advanced); KV gets expirationTtl, the Cache API max-age', async () => {
    const h = harness({ vars: { CACHE_TTL_SECONDS: '120' } });
    const text = `ttl ${unique()}`;
    const body = { text, target_language: 'fr', source_language: 'en' };
    await tr(h, body);
    const key = await keyFor(text, 'eng_Latn', 'fra_Latn');
    const listed = await env.TRANSLATION_CACHE.list({ prefix: key });
    expect(listed.keys).toHaveLength(1);
    const expiration = listed.keys[0]!.expiration!;
    expect(Math.abs(expiration - (Date.now() / 1000 + 120))).toBeLessThan(30);
    expect((await colo(key))!.headers.get('cache-control')).toContain('max-age=120');
    h.clock.advance(119_000);
    expect((await tr(h, body)).headers.get('x-cache')).toBe('HIT');
    h.clock.advance(2_000);
    expect((await tr(h, body)).headers.get('x-cache')).toBe('MISS');
    expect(h.origins.a!.calls.translate).toBe(2);
    // ... and was rewritten with a fresh expiry
    expect((await tr(h, body)).headers.get('x-cache')).toBe('HIT');
  });

  it('a KV hit refills the Cache API tier', async () => {
    const h = harness();
    const text = `refill ${unique()}`;
    const body = { text, target_language: 'fr', source_language: 'en' };
    await tr(h, body);
    const key = await keyFor(text, 'eng_Latn', 'fra_Latn');
    expect(await cacheApi().delete(CacheApiTier.requestFor(key))).toBe(true);
    expect((await tr(h, body)).headers.get('x-cache')).toBe('HIT');
    expect(await colo(key)).toBeDefined();
    expect(h.origins.a!.calls.translate).toBe(1);
  });

  describe('a value that fails validation is a miss (and is overwritten)', () => {
    const cases: Array<[string, (key: string, text: string) => Promise<string>]> = [
      ['not JSON', async () => 'garbage{'],
      ['wrong shape', async () => JSON.stringify({ translated_text: 'poison' })],
      ['a valid entry of another key (foreign)', async (_key, text) => {
        const other = await keyFor(`${text} other`, 'eng_Latn', 'fra_Latn');
        return JSON.stringify({ v: 2, kind: 'translation', alternatives: [], score: null, key: other, model: FAKE_MODEL_ID, source_language: 'eng_Latn', target_language: 'fra_Latn', translated_text: 'poison', stored_at: 0, expires_at: Date.now() + 3_600_000 });
      }],
      ['an entry claiming another source', async (key) =>
        JSON.stringify({ v: 2, kind: 'translation', alternatives: [], score: null, key, model: FAKE_MODEL_ID, source_language: 'swh_Latn', target_language: 'fra_Latn', translated_text: 'poison', stored_at: 0, expires_at: Date.now() + 3_600_000 })],
      ['an entry of another model', async (key) =>
        JSON.stringify({ v: 2, kind: 'translation', alternatives: [], score: null, key, model: 'someone/else', source_language: 'eng_Latn', target_language: 'fra_Latn', translated_text: 'poison', stored_at: 0, expires_at: Date.now() + 3_600_000 })],
      ['an expired entry', async (key) =>
        JSON.stringify({ v: 2, kind: 'translation', alternatives: [], score: null, key, model: FAKE_MODEL_ID, source_language: 'eng_Latn', target_language: 'fra_Latn', translated_text: 'poison', stored_at: 0, expires_at: Date.now() - 1000 })],
    ];
    it.each(cases)('%s in KV', async (_name, poison) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        const h = harness();
        const text = `poisoned ${unique()}`;
        const key = await keyFor(text, 'eng_Latn', 'fra_Latn');
        await env.TRANSLATION_CACHE.put(key, await poison(key, text));
        const response = await tr(h, { text, target_language: 'fr', source_language: 'en' });
        expect(response.headers.get('x-cache')).toBe('MISS');
        const result = (await response.json()) as Result;
        expect(result.translated_text).not.toBe('poison');
        expect(h.origins.a!.calls.translate).toBe(1);
        expect(await kvEntry(key)).toMatchObject({ key, translated_text: result.translated_text });
        const health = (await adminHealth(h)) as { details: { metrics: { cache_invalid_entries: number } } };
        // an expired entry is a quiet miss; anything else is counted as invalid
        expect(health.details.metrics.cache_invalid_entries).toBe(_name === 'an expired entry' ? 0 : 1);
      } finally {
        warn.mockRestore();
      }
    });

    it('a poisoned Cache API value with a valid KV value is served from KV and the colo copy repaired', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        const h = harness();
        const text = `colo-poison ${unique()}`;
        const body = { text, target_language: 'fr', source_language: 'en' };
        await tr(h, body);
        const key = await keyFor(text, 'eng_Latn', 'fra_Latn');
        await new CacheApiTier(cacheApi()).put(key, '{"poison":true}', 600);
        const response = await tr(h, body);
        expect(response.headers.get('x-cache')).toBe('HIT');
        expect(((await response.json()) as Result).translated_text).toContain('[eng_Latn>fra_Latn]');
        expect(JSON.parse(await (await colo(key))!.text())).toMatchObject({ key });
      } finally {
        warn.mockRestore();
      }
    });
  });

  it('errors are never cached', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const h = harness();
      const text = `error ${unique()}`;
      const body = { text, target_language: 'fr', source_language: 'en' };
      h.origins.a!.knobs.status = 500;
      expect((await tr(h, body)).status).toBe(502);
      const key = await keyFor(text, 'eng_Latn', 'fra_Latn');
      expect(await kvEntry(key)).toBeNull();
      expect(await colo(key)).toBeUndefined();
      h.origins.a!.knobs.status = undefined;
      const ok = await tr(h, body);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-cache')).toBe('MISS');
      expect(h.origins.a!.calls.translate).toBe(2);
    } finally {
      warn.mockRestore();
    }
  });

  it('a partial origin answer (fewer results) is a 502 and nothing of it is cached', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const h = harness();
      const texts = [`p1 ${unique()}`, `p2 ${unique()}`];
      h.origins.a!.knobs.dropLastResult = true;
      const response = await tr(h, { text: texts, target_language: 'fr', source_language: 'en' });
      expect(response.status).toBe(502);
      expect((await errorOf(response)).code).toBe('UPSTREAM_UNAVAILABLE');
      for (const text of texts) expect(await kvEntry(await keyFor(text, 'eng_Latn', 'fra_Latn'))).toBeNull();
    } finally {
      warn.mockRestore();
    }
  });

  it("an origin answer from another model than MODEL_ID is served but not cached (logged)", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const h = harness();
      h.origins.a!.knobs.model = 'fixture/tiny-nllb (TEST FIXTURE)';
      const body = { text: `fixture ${unique()}`, target_language: 'fr', source_language: 'en' };
      const first = await tr(h, body);
      expect(first.status).toBe(200);
      expect(((await first.json()) as Result).model).toBe('fixture/tiny-nllb (TEST FIXTURE)');
      expect((await tr(h, body)).headers.get('x-cache')).toBe('MISS');
      expect(h.origins.a!.calls.translate).toBe(2);
      expect(warn.mock.calls.some((call) => String(call[0]).includes('origin_model_mismatch_not_cached'))).toBe(true);
      expect(await kvEntry(await keyFor(body.text, 'eng_Latn', 'fra_Latn'))).toBeNull();
    } finally {
      warn.mockRestore();
    }
  });

  it('different text, source, target or options never collide: ["a","b"] vs "a|b"', async () => {
    const h = harness();
    const a = `a${unique()}`;
    const b = `b${unique()}`;
    await tr(h, { text: [a, b], target_language: 'fr', source_language: 'en' });
    const joined = await tr(h, { text: `${a}|${b}`, target_language: 'fr', source_language: 'en' });
    expect(joined.headers.get('x-cache')).toBe('MISS');
    expect(h.origins.a!.received.at(-1)!.body).toMatchObject({ text: [`${a}|${b}`] });
    const variants: Array<Record<string, unknown>> = [
      { text: a, target_language: 'fr', source_language: 'de' },
      { text: a, target_language: 'de', source_language: 'en' },
      { text: a, target_language: 'fr', source_language: 'en', options: { beam_size: 2 } },
      { text: a, target_language: 'fr', source_language: 'en', options: { max_new_tokens: 20 } },
      { text: `${a} `, target_language: 'fr', source_language: 'en' },
      { text: a, target_language: 'fr' },
    ];
    for (const variant of variants) expect((await tr(h, variant)).headers.get('x-cache')).toBe('MISS');
    expect((await tr(h, { text: a, target_language: 'fr', source_language: 'en', options: { beam_size: 1 } })).headers.get('x-cache')).toBe('HIT');
    expect((await tr(h, { text: a, target_language: 'fra_Latn', source_language: 'eng' })).headers.get('x-cache')).toBe('HIT');
  });

  it('the LibreTranslate route shares the cache', async () => {
    const h = harness();
    const text = `shared ${unique()}`;
    await tr(h, { text, target_language: 'fr', source_language: 'en' });
    const lt = await h.post('/translate', { q: text, source: 'en', target: 'fr' }, { 'cf-connecting-ip': uniqueIp() });
    expect(lt.headers.get('x-cache')).toBe('HIT');
    expect(h.origins.a!.calls.translate).toBe(1);
  });
});

describe('source auto-detection and the cache', () => {
  it('never returns a translation cached for another source (explicit first, then auto)', async () => {
    const h = harness();
    const text = `habari rafiki ${unique()}`; // the fake detects Swahili
    const explicit = (await (await tr(h, { text, target_language: 'en', source_language: 'fr' })).json()) as Result;
    expect(explicit.translated_text.startsWith('[fra_Latn>eng_Latn]')).toBe(true);
    const autoResponse = await tr(h, { text, target_language: 'en' });
    expect(autoResponse.headers.get('x-cache')).toBe('MISS');
    const auto = (await autoResponse.json()) as Result;
    expect(auto).toMatchObject({ source_language: 'swh_Latn', detected: true, confidence: 0.93, cached: false });
    expect(auto.translated_text.startsWith('[swh_Latn>eng_Latn]')).toBe(true);
    // now both are cached, each under its own source
    const autoAgain = (await (await tr(h, { text, target_language: 'en' })).json()) as Result;
    expect(autoAgain).toMatchObject({ source_language: 'swh_Latn', detected: true, confidence: 0.93, cached: true, translated_text: auto.translated_text });
    const explicitAgain = (await (await tr(h, { text, target_language: 'en', source_language: 'fr' })).json()) as Result;
    expect(explicitAgain).toMatchObject({ cached: true, detected: false, confidence: null, translated_text: explicit.translated_text });
    expect(h.origins.a!.calls.translate).toBe(2);
  });

  it('auto first: an explicit other source misses; the explicit detected source hits the same entry', async () => {
    const h = harness();
    const text = `asante sana ${unique()}`;
    await tr(h, { text, target_language: 'en' });
    const other = await tr(h, { text, target_language: 'en', source_language: 'fr' });
    expect(other.headers.get('x-cache')).toBe('MISS');
    expect(h.origins.a!.received.at(-1)!.body).toMatchObject({ source_language: 'fra_Latn' });
    expect(((await other.json()) as Result).translated_text.startsWith('[fra_Latn>')).toBe(true);
    const same = await tr(h, { text, target_language: 'en', source_language: 'sw' });
    expect(same.headers.get('x-cache')).toBe('HIT');
    expect(((await same.json()) as Result).detected).toBe(false);
  });

  it('an auto entry whose translation is gone is a miss, sent for detection again', async () => {
    const h = harness();
    const text = `jambo ${unique()}`;
    await tr(h, { text, target_language: 'en' });
    const key = await keyFor(text, 'swh_Latn', 'eng_Latn');
    await env.TRANSLATION_CACHE.delete(key);
    await cacheApi().delete(CacheApiTier.requestFor(key));
    const again = await tr(h, { text, target_language: 'en' });
    expect(again.headers.get('x-cache')).toBe('MISS');
    expect(h.origins.a!.received.at(-1)!.body).not.toHaveProperty('source_language');
  });

  it('a detector change (DETECTOR_ID) invalidates auto entries', async () => {
    const text = `karibu ${unique()}`;
    const h1 = harness({ vars: { DETECTOR_ID: 'lid-a' } });
    await tr(h1, { text, target_language: 'en' });
    expect((await tr(h1, { text, target_language: 'en' })).headers.get('x-cache')).toBe('HIT');
    const h2 = harness({ vars: { DETECTOR_ID: 'lid-b' } });
    expect((await tr(h2, { text, target_language: 'en' })).headers.get('x-cache')).toBe('MISS');
  });
});

describe('what is never cached (issue 11: output users can trust)', () => {
  it('an unreliable detection is translated, says reliable:false, and is a MISS the second time too', async () => {
    const h = harness();
    const text = `unsure words ${unique()}`; // the fake detects English at 0.2
    for (const attempt of [1, 2]) {
      const response = await tr(h, { text, target_language: 'fr' });
      expect(response.headers.get('x-cache'), `attempt ${attempt}`).toBe('MISS');
      const result = TranslationResultSchema.parse(await response.json());
      expect(result).toMatchObject({ detected: true, reliable: false, confidence: 0.2, cached: false, source_language: 'eng_Latn' });
    }
    expect(h.origins.a!.calls.translate).toBe(2);
    // neither the auto key nor the resolved key of the guessed source holds anything
    expect(await kvEntry(await keyFor(text, 'eng_Latn', 'fra_Latn'))).toBeNull();
    expect(await kvEntry(await autoKey({ model: FAKE_MODEL_ID, detector: 'fasttext-lid.176', target: 'fra_Latn', options: OPTIONS, text }))).toBeNull();
  });

  it('a reliable detection is a HIT the second time, with reliable:true', async () => {
    const h = harness();
    const text = `habari ${unique()}`;
    await tr(h, { text, target_language: 'en' });
    const again = await tr(h, { text, target_language: 'en' });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(TranslationResultSchema.parse(await again.json())).toMatchObject({ detected: true, reliable: true, cached: true, warnings: [] });
  });

  it('a result with warnings is served with them and never cached', async () => {
    const h = harness();
    const text = `the long text ${FAKE_OMISSION_MARKER} ${unique()}`;
    const first = TranslationResultSchema.parse(await (await tr(h, { text, target_language: 'fr', source_language: 'en' })).json());
    expect(first.warnings).toEqual(['possible_omission']);
    const second = await tr(h, { text, target_language: 'fr', source_language: 'en' });
    expect(second.headers.get('x-cache')).toBe('MISS');
    expect(h.origins.a!.calls.translate).toBe(2);
    expect(await kvEntry(await keyFor(text, 'eng_Latn', 'fra_Latn'))).toBeNull();
  });

  it('alternatives and the score are cached with the item, and the alternatives count is part of the key', async () => {
    const h = harness();
    const text = `good evening ${unique()}`;
    const body = { text, target_language: 'fr', source_language: 'en', options: { alternatives: 2 } };
    const miss = TranslationResultSchema.parse(await (await tr(h, body)).json());
    expect(miss.alternatives).toHaveLength(2);
    const hitResponse = await tr(h, body);
    expect(hitResponse.headers.get('x-cache')).toBe('HIT');
    const hit = TranslationResultSchema.parse(await hitResponse.json());
    expect(hit).toMatchObject({ cached: true, alternatives: miss.alternatives, score: miss.score });
    // without alternatives it is another key: the origin is asked again
    const plain = await tr(h, { ...body, options: {} });
    expect(plain.headers.get('x-cache')).toBe('MISS');
    const none = await tr(h, { ...body, options: { placeholders: 'none', alternatives: 2 } });
    expect(none.headers.get('x-cache')).toBe('MISS');
    expect(h.origins.a!.calls.translate).toBe(3);
  });
});

describe('origin item errors in the client\'s terms', () => {
  it('an undetectable miss of a batch names its index in the request, not among the misses', async () => {
    const h = harness();
    const known = `habari ${unique()}`;
    await tr(h, { text: known, target_language: 'en' });
    const response = await tr(h, { text: [known, `${FAKE_UNDETECTABLE_MARKER} ${unique()}`], target_language: 'en' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string; details: { item: number } } };
    expect(error.code).toBe('UNSUPPORTED_LANGUAGE');
    expect(error.message).toContain('text[1]');
    expect(error.details.item).toBe(1);
  });

  it('a single-string request is told about `text`, never `text[0]`', async () => {
    const h = harness();
    const response = await tr(h, { text: `${FAKE_UNDETECTABLE_MARKER} ${unique()}`, target_language: 'en' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain('of text:');
    expect(error.message).not.toContain('text[0]');
  });
});

describe('single-flight', () => {
  it('concurrent identical misses share one origin call', async () => {
    const h = harness();
    h.origins.a!.knobs.delayMs = 60;
    const body = { text: `concurrent ${unique()}`, target_language: 'fr', source_language: 'en' };
    const responses = await Promise.all([1, 2, 3, 4].map(() => tr(h, body)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const texts = await Promise.all(responses.map(async (response) => ((await response.json()) as Result).translated_text));
    expect(new Set(texts).size).toBe(1);
    expect(h.origins.a!.calls.translate).toBe(1);
    const health = (await adminHealth(h)) as { details: { metrics: { single_flight_joins: number } } };
    expect(health.details.metrics.single_flight_joins).toBe(3);
  });

  it('overlapping concurrent batches send each text once', async () => {
    const h = harness();
    h.origins.a!.knobs.delayMs = 60;
    const [x, y, z] = [`x ${unique()}`, `y ${unique()}`, `z ${unique()}`];
    const [first, second] = await Promise.all([
      tr(h, { text: [x, y], target_language: 'fr', source_language: 'en' }),
      tr(h, { text: [y, z], target_language: 'fr', source_language: 'en' }),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const sent = h.origins.a!.received.flatMap((call) => (call.body as { text: string[] }).text);
    expect(sent.sort()).toEqual([x, y, z].sort());
    expect(h.origins.a!.calls.translate).toBe(2);
  });

  it('a failed shared call fails every waiter, and the next request tries again', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const h = harness();
      h.origins.a!.knobs.delayMs = 40;
      h.origins.a!.knobs.status = 500;
      const body = { text: `fails ${unique()}`, target_language: 'fr', source_language: 'en' };
      const responses = await Promise.all([1, 2].map(() => tr(h, body)));
      expect(responses.map((response) => response.status)).toEqual([502, 502]);
      expect(h.origins.a!.calls.translate).toBe(1);
      h.origins.a!.knobs.status = undefined;
      expect((await tr(h, body)).status).toBe(200);
      expect(h.origins.a!.calls.translate).toBe(2);
    } finally {
      warn.mockRestore();
    }
  });
});
