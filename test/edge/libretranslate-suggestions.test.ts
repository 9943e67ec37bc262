import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/bytes.js';
import { SUGGESTION_KEY_PREFIX } from '../../edge/suggestions/store.js';
import { LtErrorSchema, LtFrontendSettingsSchema } from '../../shared/contract/libretranslate.js';
import { SuggestionCreatedSchema, SuggestionListSchema } from '../../shared/contract/suggestions.js';
import { TranslationResultSchema } from '../../shared/contract/translate.js';
import { LT_ERROR_CODE_HEADER } from '../../shared/libretranslate/errors.js';
import { errorOf, harness, unique, uniqueIp, type Harness, type HarnessOptions } from './harness.js';

/** Community corrections through the real Worker: gate, storage (KV), lookup ahead of the cache, admin, limits. */

const ADMIN_TOKEN = 'admin-token-for-suggestions-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

function suggestionsHarness(mode: string, vars: Record<string, string> = {}, options: HarnessOptions = {}): Harness {
  return harness({ ...options, vars: { SUGGESTIONS: mode, ADMIN_TOKEN, ...vars } });
}

function suggest(h: Harness, fields: Record<string, string>, ip = uniqueIp()): Promise<Response> {
  return h.request('/suggest', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
    body: new URLSearchParams(fields).toString(),
  });
}

async function translateApi(h: Harness, text: string, source: string | null = 'en'): Promise<ReturnType<typeof TranslationResultSchema.parse>> {
  const response = await h.post('/api/v1/translate', { text, target_language: 'sw', ...(source ? { source_language: source } : {}) }, { 'cf-connecting-ip': uniqueIp() });
  expect(response.status).toBe(200);
  return TranslationResultSchema.parse(await response.json());
}

async function ltTranslate(h: Harness, text: string): Promise<unknown> {
  const response = await h.post('/translate', { q: text, source: 'en', target: 'sw' }, { 'cf-connecting-ip': uniqueIp() });
  expect(response.status).toBe(200);
  return await response.json();
}

describe('suggestions disabled (the default)', () => {
  it('POST /suggest is 403 in LibreTranslate words, /api/v1/suggestions 403 SUGGESTIONS_DISABLED, and the settings say off', async () => {
    const h = harness();
    const refused = await suggest(h, { q: 'hello', s: 'habari', source: 'en', target: 'sw' });
    expect(refused.status).toBe(403);
    expect(LtErrorSchema.strict().parse(await refused.json())).toEqual({ error: 'Suggestions are disabled on this server.' });
    const api = await h.post('/api/v1/suggestions', { text: 'hello', translation: 'habari', source_language: 'en', target_language: 'sw' });
    expect(api.status).toBe(403);
    expect((await errorOf(api)).code).toBe('SUGGESTIONS_DISABLED');
    expect(LtFrontendSettingsSchema.parse(await (await h.request('/frontend/settings')).json()).suggestions).toBe(false);
  });

  it('the translate path never reads a correction', async () => {
    const h = harness();
    const text = `good morning ${unique()}`;
    // a record as an enabled server would have stored it: with suggestions off it is never served
    const id = await sha256Hex(JSON.stringify(['suggestion', 'eng_Latn', 'swh_Latn', text]));
    await env.TRANSLATION_CACHE.put(SUGGESTION_KEY_PREFIX + id, JSON.stringify({ id, text, translation: 'never', source_language: 'eng_Latn', target_language: 'swh_Latn', submitted_by: 'ip:1.2.3.4', created_at: new Date().toISOString() }));
    const result = await translateApi(h, text);
    expect(result.translated_text).not.toBe('never');
    expect(result.correction).toBeUndefined();
  });
});

describe('the SUGGESTIONS setting', () => {
  it('takes only off, api_keys or all: anything else is a misconfigured Worker (500 on every request), not a silent default', async () => {
    const h = harness({ vars: { SUGGESTIONS: 'yes' } });
    const response = await h.request('/health');
    expect(response.status).toBe(500);
    expect((await errorOf(response)).code).toBe('INTERNAL');
  });
});

describe('suggestions enabled for all', () => {
  it('a correction is served ahead of the cached model output, marked, for the exact text, source and target only', async () => {
    const h = suggestionsHarness('all');
    const text = `good morning ${unique()}`;
    const modelAnswer = await translateApi(h, text);
    const cached = await translateApi(h, text);
    expect(cached.cached).toBe(true);

    const stored = await suggest(h, { q: text, s: 'Habari za asubuhi', source: 'en', target: 'sw' });
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual({ success: true });

    const calls = h.origins.a!.calls.translate;
    const corrected = await translateApi(h, text);
    expect(corrected).toMatchObject({ translated_text: 'Habari za asubuhi', correction: true, model: 'community-correction', cached: false, source_language: 'eng_Latn' });
    expect(h.origins.a!.calls.translate).toBe(calls);
    // LibreTranslate's answer keeps its shape
    expect(await ltTranslate(h, text)).toEqual({ translatedText: 'Habari za asubuhi' });
    // another text, target or a detected source: the model (or its cache) as before
    expect((await translateApi(h, `${text}!`)).correction).toBeUndefined();
    const otherTarget = TranslationResultSchema.parse(await (await h.post('/api/v1/translate', { text, source_language: 'en', target_language: 'fr' }, { 'cf-connecting-ip': uniqueIp() })).json());
    expect(otherTarget.translated_text).not.toBe('Habari za asubuhi');
    expect((await translateApi(h, text, null)).translated_text).toBe(modelAnswer.translated_text);
  });

  it('in a batch only the corrected item is replaced, in order', async () => {
    const h = suggestionsHarness('all');
    const [a, b] = [`first ${unique()}`, `second ${unique()}`];
    expect((await h.post('/api/v1/suggestions', { text: b, translation: 'pili', source_language: 'en', target_language: 'sw' }, { 'cf-connecting-ip': uniqueIp() })).status).toBe(201);
    const response = await h.post('/translate', { q: [a, b], source: 'en', target: 'sw' }, { 'cf-connecting-ip': uniqueIp() });
    expect(await response.json()).toEqual({ translatedText: [`[eng_Latn>swh_Latn] ${a.split(' ').reverse().join(' ')}`, 'pili'] });
  });

  it('records who sent it; an admin lists and deletes it, and the model serves the text again', async () => {
    const h = suggestionsHarness('all');
    const text = `thank you ${unique()}`;
    const ip = uniqueIp();
    const created = await h.post('/api/v1/suggestions', { text, translation: 'asante', source_language: 'en', target_language: 'sw' }, { 'cf-connecting-ip': ip });
    expect(created.status).toBe(201);
    const { id } = SuggestionCreatedSchema.parse(await created.json());

    expect((await h.request('/api/v1/suggestions')).status).toBe(401);
    expect((await h.request('/api/v1/suggestions', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const listed = SuggestionListSchema.parse(await (await h.request('/api/v1/suggestions?limit=100', { headers: admin })).json());
    expect(listed.suggestions.find((suggestion) => suggestion.id === id)).toMatchObject({ text, translation: 'asante', submitted_by: `ip:${ip}`, source_language: 'eng_Latn' });

    expect((await h.request(`/api/v1/suggestions/${id}`, { method: 'DELETE' })).status).toBe(401);
    const deleted = await h.request(`/api/v1/suggestions/${id}`, { method: 'DELETE', headers: admin });
    expect(await deleted.json()).toEqual({ id, deleted: true });
    expect((await h.request(`/api/v1/suggestions/${id}`, { method: 'DELETE', headers: admin })).status).toBe(404);
    expect((await translateApi(h, text)).correction).toBeUndefined();
  });

  it('the admin routes do not exist without ADMIN_TOKEN', async () => {
    const h = harness({ vars: { SUGGESTIONS: 'all' } });
    expect((await h.request('/api/v1/suggestions', { headers: admin })).status).toBe(404);
  });

  it('a client may send SUGGESTIONS_PER_DAY in any 24 hours: then 429 with Retry-After, until the day has passed', async () => {
    const h = suggestionsHarness('all', { SUGGESTIONS_PER_DAY: '2' });
    const ip = uniqueIp();
    for (let i = 0; i < 2; i++) expect((await suggest(h, { q: `text ${unique()}`, s: 'maandishi', source: 'en', target: 'sw' }, ip)).status).toBe(200);
    const refused = await suggest(h, { q: `text ${unique()}`, s: 'maandishi', source: 'en', target: 'sw' }, ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get(LT_ERROR_CODE_HEADER)).toBe('SUGGESTION_LIMIT_REACHED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3600);
    expect(LtErrorSchema.parse(await refused.json()).error).toMatch(/^Slowdown: suggestion limit of 2 per 24 hours/);
    // another client is not affected; the same one may again a day later
    expect((await suggest(h, { q: `text ${unique()}`, s: 'x', source: 'en', target: 'sw' })).status).toBe(200);
    h.clock.advance(24 * 3600 * 1000 + 1000);
    expect((await suggest(h, { q: `text ${unique()}`, s: 'x', source: 'en', target: 'sw' }, ip)).status).toBe(200);
  });

  it('texts over MAX_CHARACTERS, blank or missing fields, auto and unknown languages are refused with their codes', async () => {
    const h = suggestionsHarness('all', { MAX_CHARACTERS: '20' });
    const long = await h.post('/api/v1/suggestions', { text: 'a'.repeat(21), translation: 'b', source_language: 'en', target_language: 'sw' });
    expect(long.status).toBe(413);
    expect((await errorOf(long)).code).toBe('TEXT_TOO_LONG');
    const cases: [Record<string, string>, string][] = [
      [{ q: 'hi', s: 'b'.repeat(21), source: 'en', target: 'sw' }, 'Invalid request: s has 21 characters; the limit is 20'],
      [{ q: 'hi', source: 'en', target: 'sw' }, 'Invalid request: missing s parameter'],
      [{ q: 'hi', s: ' \u200b', source: 'en', target: 'sw' }, 'Invalid request: s is empty or only whitespace and invisible characters'],
      [{ q: 'hi', s: 'x', source: 'auto', target: 'sw' }, 'Invalid request: source must be the language of q, not auto'],
      [{ q: 'hi', s: 'x', source: 'en', target: 'qq' }, 'qq is not supported'],
    ];
    for (const [fields, message] of cases) {
      const response = await suggest(h, fields);
      expect(response.status).toBe(400);
      expect(LtErrorSchema.parse(await response.json()).error).toBe(message);
    }
  });
});

describe('suggestions enabled for API keys', () => {
  it('refuses clients without a key (403 on /suggest, 401 on /api/v1) and records the key hash of those with one', async () => {
    const h = suggestionsHarness('api_keys');
    const refused = await suggest(h, { q: 'hello', s: 'habari', source: 'en', target: 'sw' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get(LT_ERROR_CODE_HEADER)).toBe('UNAUTHORIZED');
    expect((await h.post('/api/v1/suggestions', { text: 'hello', translation: 'habari', source_language: 'en', target_language: 'sw' })).status).toBe(401);
    expect((await suggest(h, { q: 'hello', s: 'habari', source: 'en', target: 'sw', api_key: `unknown-${unique()}` })).status).toBe(403);

    const key = `suggest-key-${unique()}`;
    const hash = await sha256Hex(key);
    await env.API_KEYS.put(hash, JSON.stringify({ name: 'translator community', limit_per_minute: 60 }));
    const text = `welcome ${unique()}`;
    expect((await suggest(h, { q: text, s: 'karibu', source: 'en', target: 'sw', api_key: key })).status).toBe(200);
    const listed = SuggestionListSchema.parse(await (await h.request('/api/v1/suggestions?limit=100', { headers: admin })).json());
    expect(listed.suggestions.find((suggestion) => suggestion.text === text)?.submitted_by).toBe(`key:${hash}`);
    expect(await ltTranslate(h, text)).toEqual({ translatedText: 'karibu' });
    expect(LtFrontendSettingsSchema.parse(await (await h.request('/frontend/settings')).json()).suggestions).toBe(true);
  });
});
