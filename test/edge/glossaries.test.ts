import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../shared/bytes.js';
import { TERMINOLOGY_LIMITS } from '../../shared/contract/terminology.js';
import { errorOf, harness, unique, uniqueIp, type Harness } from './harness.js';

async function createKey(): Promise<string> {
  const key = `sk_${unique()}`;
  await env.API_KEYS.put(await sha256Hex(key), JSON.stringify({ name: `glossary test ${key}`, limit_per_minute: 1000 }));
  return key;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}`, 'cf-connecting-ip': uniqueIp() });

async function create(h: Harness, key: string, body: Record<string, unknown>): Promise<Response> {
  return await h.post('/api/v1/glossaries', { name: 'UI terms', target_language: 'swh_Latn', ...body }, bearer(key));
}

interface Info {
  glossary_id: string;
  entry_count: number;
  content_hash: string;
  source_language: string | null;
  target_language: string;
}

describe('stored glossaries', () => {
  it('are created, listed, read with their entries and deleted, for their own key only', async () => {
    const h = harness();
    const key = await createKey();
    const created = await create(h, key, { source_language: 'en', entries: { 'sign in': 'ingia', cart: 'kikapu' } });
    expect(created.status).toBe(201);
    const info = (await created.json()) as Info;
    expect(info).toMatchObject({ entry_count: 2, source_language: 'eng_Latn', target_language: 'swh_Latn' });
    expect(info.glossary_id).toMatch(/^gl_[0-9a-f]{32}$/);
    expect(created.headers.get('location')).toBe(`/api/v1/glossaries/${info.glossary_id}`);

    const list = (await (await h.request('/api/v1/glossaries', { headers: bearer(key) })).json()) as { glossaries: Info[] };
    expect(list.glossaries.map((g) => g.glossary_id)).toEqual([info.glossary_id]);
    const one = (await (await h.request(`/api/v1/glossaries/${info.glossary_id}`, { headers: bearer(key) })).json()) as Info & { entries: unknown };
    expect(one.entries).toEqual({ 'sign in': 'ingia', cart: 'kikapu' });

    const other = await createKey();
    for (const response of [
      await h.request(`/api/v1/glossaries/${info.glossary_id}`, { headers: bearer(other) }),
      await h.request(`/api/v1/glossaries/${info.glossary_id}`, { method: 'DELETE', headers: bearer(other) }),
    ]) {
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe('GLOSSARY_NOT_FOUND');
    }
    const otherList = (await (await h.request('/api/v1/glossaries', { headers: bearer(other) })).json()) as { glossaries: Info[] };
    expect(otherList.glossaries).toEqual([]);

    expect((await h.request(`/api/v1/glossaries/${info.glossary_id}`, { method: 'DELETE', headers: bearer(key) })).status).toBe(204);
    const gone = await h.request(`/api/v1/glossaries/${info.glossary_id}`, { headers: bearer(key) });
    expect(gone.status).toBe(404);
    expect((await errorOf(gone)).code).toBe('GLOSSARY_NOT_FOUND');
  });

  it('take TSV and CSV text (CSV quoting included), and the same entries always hash the same', async () => {
    const h = harness();
    const key = await createKey();
    const tsv = (await (await create(h, key, { entries: 'sign in\tingia\n\ncart\tkikapu\r\n', entries_format: 'tsv' })).json()) as Info;
    const csv = (await (await create(h, key, { entries: 'cart,kikapu\n"sign in","ingia"\n', entries_format: 'csv' })).json()) as Info;
    const json = (await (await create(h, key, { entries: { cart: 'kikapu', 'sign in': 'ingia' } })).json()) as Info;
    expect(tsv.entry_count).toBe(2);
    expect(new Set([tsv.content_hash, csv.content_hash, json.content_hash]).size).toBe(1);
    const quoted = (await (await create(h, key, { entries: '"Hello, world",Habari dunia\n', entries_format: 'csv' })).json()) as Info;
    const entries = (await (await h.request(`/api/v1/glossaries/${quoted.glossary_id}`, { headers: bearer(key) })).json()) as { entries: unknown };
    expect(entries.entries).toEqual({ 'Hello, world': 'Habari dunia' });
  });

  it('refuse bad input with stable codes', async () => {
    const h = harness();
    const key = await createKey();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ entries: 'a\tb\tc\n', entries_format: 'tsv' }, 400, 'VALIDATION_FAILED'],
      [{ entries: '"unterminated,x\n', entries_format: 'csv' }, 400, 'VALIDATION_FAILED'],
      [{ entries: 'a\tb' }, 400, 'VALIDATION_FAILED'],
      [{ entries: {} }, 400, 'VALIDATION_FAILED'],
      [{ entries: { Cart: 'kikapu', cart: 'gari' } }, 400, 'VALIDATION_FAILED'],
      [{ entries: { ['x'.repeat(TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS + 1)]: 'y' } }, 400, 'VALIDATION_FAILED'],
      [{ entries: { ' ': 'y' } }, 400, 'VALIDATION_FAILED'],
      [{ name: 'n'.repeat(10_000), entries: { a: 'b' } }, 400, 'VALIDATION_FAILED'],
      [{ target_language: 'xx_Nope', entries: { a: 'b' } }, 400, 'UNSUPPORTED_LANGUAGE'],
      [{ name: '   ', entries: { a: 'b' } }, 400, 'VALIDATION_FAILED'],
      [{ name: 'terms\u202egnp.exe', entries: { a: 'b' } }, 400, 'VALIDATION_FAILED'],
      [{ name: 'a\u0000b', entries: { a: 'b' } }, 400, 'VALIDATION_FAILED'],
      [{ entries: JSON.parse('{"__proto__": "x", "a": "b"}') as unknown }, 400, 'VALIDATION_FAILED'],
      [{ entries: '__proto__\tx\n', entries_format: 'tsv' }, 400, 'VALIDATION_FAILED'],
      // Shaped like a translate request: still only a malformed glossary (never a 500, never a quota charge).
      [{ texts: 5, options: {} }, 400, 'VALIDATION_FAILED'],
      [{ texts: ['x'], options: null, characterCount: 1e9 }, 400, 'VALIDATION_FAILED'],
      [{ entries: Object.fromEntries(Array.from({ length: TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES + 1 }, (_, i) => [`t${i}`, 'x'])) }, 413, 'GLOSSARY_TOO_LARGE'],
      [{ entries: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`term${i}`, 'x'])) }, 413, 'BODY_TOO_LARGE'],
    ];
    for (const [body, status, code] of cases) {
      const response = await create(h, key, body);
      expect([response.status, (await errorOf(response)).code], JSON.stringify(body).slice(0, 80)).toEqual([status, code]);
    }
    for (const body of ['{"texts":5,"options":{}}', '{"texts":[1],"options":{"beam_size":4}}']) {
      const shaped = await h.post('/api/v1/glossaries', body, { 'cf-connecting-ip': uniqueIp() });
      expect([shaped.status, (await errorOf(shaped)).code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const anonymous = await h.post('/api/v1/glossaries', { name: 'x', target_language: 'swh_Latn', entries: { a: 'b' } }, { 'cf-connecting-ip': uniqueIp() });
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('UNAUTHORIZED');
    const badId = await h.request(`/api/v1/glossaries/${'x'.repeat(65)}`, { headers: bearer(key) });
    expect(badId.status).toBe(400);
  });

  it(`stop at ${TERMINOLOGY_LIMITS.MAX_GLOSSARIES_PER_KEY} per key`, async () => {
    const h = harness();
    const key = await createKey();
    for (let i = 0; i < TERMINOLOGY_LIMITS.MAX_GLOSSARIES_PER_KEY; i++) expect((await create(h, key, { entries: { [`t${i}`]: 'x' } })).status).toBe(201);
    const over = await create(h, key, { entries: { more: 'x' } });
    expect(over.status).toBe(409);
    expect((await errorOf(over)).code).toBe('GLOSSARY_LIMIT_REACHED');
    expect((await create(h, await createKey(), { entries: { more: 'x' } })).status).toBe(201);
  });
});

describe('translating with glossary_id', () => {
  const translate = (h: Harness, key: string | undefined, text: string, options: Record<string, unknown>, target = 'swh_Latn') =>
    h.post(
      '/api/v1/translate',
      { text, source_language: 'eng_Latn', target_language: target, options },
      key ? bearer(key) : { 'cf-connecting-ip': uniqueIp() },
    );

  it('sends the stored entries (under inline ones) to the origin, never the id, and an edited glossary never hits the old cache', async () => {
    const h = harness();
    const key = await createKey();
    const text = `Sign in to see your cart ${unique()}`;
    const first = (await (await create(h, key, { entries: { 'sign in': 'ingia', cart: 'kikapu' } })).json()) as Info;

    const response = await translate(h, key, text, { glossary_id: first.glossary_id, glossary: { cart: 'toroli' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    const sent = h.origins.a!.received.filter((call) => call.path === '/api/v1/translate').at(-1)!.body as { options: Record<string, unknown> };
    expect(sent.options.glossary_id).toBeUndefined();
    expect(sent.options.glossary).toEqual({ 'sign in': 'ingia', cart: 'toroli' });

    const again = await translate(h, key, text, { glossary_id: first.glossary_id, glossary: { cart: 'toroli' } });
    expect(again.headers.get('x-cache')).toBe('HIT');

    // "Editing" = delete + create: the old id is refused, the new content is a new cache key.
    expect((await h.request(`/api/v1/glossaries/${first.glossary_id}`, { method: 'DELETE', headers: bearer(key) })).status).toBe(204);
    const stale = await translate(h, key, text, { glossary_id: first.glossary_id, glossary: { cart: 'toroli' } });
    expect(stale.status).toBe(404);
    expect((await errorOf(stale)).code).toBe('GLOSSARY_NOT_FOUND');
    const second = (await (await create(h, key, { entries: { 'sign in': 'jisajili' } })).json()) as Info;
    const edited = await translate(h, key, text, { glossary_id: second.glossary_id, glossary: { cart: 'toroli' } });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('x-cache')).toBe('MISS');
    // The cache keys on the entries, not the id: the first entries again, under a new id, hit.
    const recreated = (await (await create(h, key, { entries: { 'sign in': 'ingia', cart: 'kikapu' } })).json()) as Info;
    const same = await translate(h, key, text, { glossary_id: recreated.glossary_id, glossary: { cart: 'toroli' } });
    expect(same.headers.get('x-cache')).toBe('HIT');
  });

  it('a key keeps its glossaries while the rate limiter is down (fail-open)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const h = harness({ deps: { rateLimiter: { consume: () => Promise.reject(new Error('limiter down')) } } });
      const key = await createKey();
      const info = (await (await create(h, key, { entries: { cart: 'kikapu' } })).json()) as Info;
      expect(info.glossary_id).toMatch(/^gl_/);
      expect((await h.request('/api/v1/glossaries', { headers: bearer(key) })).status).toBe(200);
      expect((await translate(h, key, `cart ${unique()}`, { glossary_id: info.glossary_id })).status).toBe(200);
    } finally {
      errors.mockRestore();
    }
  });

  it("refuses another key's glossary, an anonymous caller, and a glossary for another target", async () => {
    const h = harness();
    const key = await createKey();
    const info = (await (await create(h, key, { entries: { cart: 'kikapu' } })).json()) as Info;
    const other = await translate(h, await createKey(), 'cart', { glossary_id: info.glossary_id });
    expect([other.status, (await errorOf(other)).code]).toEqual([404, 'GLOSSARY_NOT_FOUND']);
    const anonymous = await translate(h, undefined, 'cart', { glossary_id: info.glossary_id });
    expect([anonymous.status, (await errorOf(anonymous)).code]).toEqual([401, 'UNAUTHORIZED']);
    const wrongTarget = await translate(h, key, 'cart', { glossary_id: info.glossary_id }, 'fra_Latn');
    expect([wrongTarget.status, (await errorOf(wrongTarget)).code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(h.origins.a!.calls.translate).toBe(0);
  });
});
