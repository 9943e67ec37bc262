import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { durableObjectKeyAccounts } from '../../edge/keys/accounts.js';
import { KeyAdmin } from '../../edge/keys/admin.js';
import { hashApiKey } from '../../edge/keys/key-material.js';
import { sha256Hex, toHex } from '../../shared/bytes.js';
import { CreatedKeySchema, KeyListSchema, KeySummarySchema, type KeySummary } from '../../shared/contract/keys.js';
import { errorOf, harness, unique, uniqueIp, type Harness } from './harness.js';

const ADMIN_TOKEN = 'keys-tests-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const adminHarness = (vars: Record<string, string> = {}) => harness({ vars: { ADMIN_TOKEN, ...vars } });

async function createKey(h: Harness, body: unknown = { name: `test ${unique()}` }) {
  const response = await h.post('/api/v1/admin/keys', body, admin);
  expect(response.status).toBe(201);
  return CreatedKeySchema.parse(await response.json());
}

const patch = (h: Harness, id: string, body: unknown, headers: Record<string, string> = admin) =>
  h.request(`/api/v1/admin/keys/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const revoke = (h: Harness, id: string, headers: Record<string, string> = admin) => h.request(`/api/v1/admin/keys/${id}`, { method: 'DELETE', headers });
const translate = (h: Harness, key: string, text = `hello ${unique()}`) =>
  h.post('/api/v1/translate', { text, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp(), authorization: `Bearer ${key}` });

/** Every page of the listing. */
async function listAll(h: Harness): Promise<KeySummary[]> {
  const keys: KeySummary[] = [];
  let cursor: string | null = null;
  do {
    const response = await h.request(`/api/v1/admin/keys?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: admin });
    expect(response.status).toBe(200);
    const page = KeyListSchema.parse(await response.json());
    keys.push(...page.keys);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return keys;
}

describe('the admin API needs ADMIN_TOKEN', () => {
  it.each([
    ['POST', '/api/v1/admin/keys'],
    ['GET', '/api/v1/admin/keys'],
    ['PATCH', '/api/v1/admin/keys/key_000000000000000000000000'],
    ['DELETE', '/api/v1/admin/keys/key_000000000000000000000000'],
  ])('%s %s: 401 without or with a wrong token, 404 when no ADMIN_TOKEN is configured', async (method, path) => {
    const init = (headers: Record<string, string>) => ({ method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'POST' || method === 'PATCH' ? { body: '{"name":"x"}' } : {}) });
    const h = adminHarness();
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: ADMIN_TOKEN }, { authorization: `Basic ${btoa(`admin:${ADMIN_TOKEN}`)}` }];
    for (const headers of attempts) {
      const response = await h.request(path, init(headers));
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe('UNAUTHORIZED');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
    const disabled = await harness().request(path, init(admin));
    expect(disabled.status).toBe(404);
    expect((await errorOf(disabled)).code).toBe('NOT_FOUND');
  });
});

describe('create', () => {
  it('returns the key once (sk_ + 32 random bytes base64url); only its SHA-256 is stored', async () => {
    const h = adminHarness();
    const created = await createKey(h, { name: 'acme staging' });
    expect(created.key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    const hash = await sha256Hex(created.key);
    expect(created.id).toBe(`key_${hash.slice(0, 24)}`);
    expect(created.id).not.toContain(created.key.slice(3, 15));
    const stored = await env.API_KEYS.getWithMetadata(hash, 'text');
    expect(stored.value).not.toBeNull();
    expect(stored.value).not.toContain(created.key);
    expect(JSON.parse(stored.value!)).toMatchObject({ name: 'acme staging', limit_per_minute: 60, created_at: new Date(h.clock.now()).toISOString() });
    expect(await env.API_KEYS.get(created.key)).toBeNull();
    // the defaults: the IP limit, the scaled cost budget, unlimited characters; never used, not revoked
    expect(created).toMatchObject({
      name: 'acme staging',
      limits: { requests_per_minute: 60, cost_per_minute: 20000, characters_per_day: null, characters_per_month: null },
      last_used_at: null,
      revoked_at: null,
      usage: { day: { used: 0, limit: null }, month: { used: 0, limit: null } },
    });
    // the listing never shows the key
    const listed = (await listAll(h)).find((key) => key.id === created.id);
    expect(listed).toBeDefined();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect('key' in listed!).toBe(false);
  });

  it('two keys are different, and a key works at once with its limits', async () => {
    const h = adminHarness();
    const a = await createKey(h, { name: 'a', limits: { requests_per_minute: 3, cost_per_minute: 90_000, characters_per_day: 1000, characters_per_month: 20_000 } });
    const b = await createKey(h, { name: 'b' });
    expect(a.key).not.toBe(b.key);
    expect(a.limits).toEqual({ requests_per_minute: 3, cost_per_minute: 90_000, characters_per_day: 1000, characters_per_month: 20_000 });
    const response = await translate(h, a.key);
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-policy')).toBe('"requests";q=3;qu="requests";w=60, "cost";q=90000;qu="work-units";w=60');
    expect((await translate(h, a.key)).status).toBe(200);
    expect((await translate(h, a.key)).status).toBe(200);
    expect((await translate(h, a.key)).status).toBe(429);
  });

  it.each([
    ['a name longer than 100 characters', { name: 'n'.repeat(101) }],
    ['a huge name', { name: 'n'.repeat(60_000) }],
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['a name with a control character', { name: 'line\nbreak' }],
    ['100 lone surrogates', { name: '\ud800'.repeat(100) }],
    ['a lone low surrogate inside a name', { name: 'ab\udc00cd' }],
    ['a right-to-left override (admin\u202egnp.exe shows as adminexe.png)', { name: 'admin\u202egnp.exe' }],
    ['a bidi isolate', { name: 'a\u2066b\u2069' }],
    ['a left-to-right mark', { name: 'a\u200eb' }],
    ['101 emoji', { name: '🙂'.repeat(101) }],
    ['no name', { limits: { requests_per_minute: 5 } }],
    ['a name that is not a string', { name: 42 }],
    ['an unknown field', { name: 'x', owner: 'me' }],
    ['an unknown limit', { name: 'x', limits: { requests_per_hour: 5 } }],
    ['a zero limit', { name: 'x', limits: { requests_per_minute: 0 } }],
    ['a fractional quota', { name: 'x', limits: { characters_per_day: 1.5 } }],
    ['a negative quota', { name: 'x', limits: { characters_per_month: -1 } }],
  ])('%s → 400 VALIDATION_FAILED, nothing stored', async (_name, body) => {
    const h = adminHarness();
    const before = (await env.API_KEYS.list()).keys.length;
    const response = await h.post('/api/v1/admin/keys', body, admin);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message.length).toBeLessThan(500);
    expect((await env.API_KEYS.list()).keys.length).toBe(before);
  });

  it('a 100-character name is fine; a body that is not JSON is INVALID_JSON; another media type 415; a body over 64 KiB 413', async () => {
    const h = adminHarness();
    expect((await createKey(h, { name: 'é'.repeat(100) })).name).toBe('é'.repeat(100));
    expect((await createKey(h, { name: '🙂'.repeat(100) })).name).toBe('🙂'.repeat(100)); // characters are code points
    expect((await createKey(h, { name: '  padded  ' })).name).toBe('padded');
    expect((await errorOf(await h.post('/api/v1/admin/keys', '{name', admin))).code).toBe('INVALID_JSON');
    const form = await h.request('/api/v1/admin/keys', { method: 'POST', headers: { ...admin, 'content-type': 'text/plain' }, body: 'name=x' });
    expect(form.status).toBe(415);
    const huge = await h.post('/api/v1/admin/keys', { name: 'n'.repeat(70_000) }, admin);
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe('BODY_TOO_LARGE');
  });
});

describe('list', () => {
  it('shows name, limits, created, last used (after use) and revoked', async () => {
    const h = adminHarness();
    const created = await createKey(h, { name: `listed ${unique()}`, limits: { characters_per_day: 500 } });
    const before = (await listAll(h)).find((key) => key.id === created.id)!;
    expect(before).toMatchObject({ name: created.name, created_at: created.created_at, last_used_at: null, revoked_at: null, limits: { characters_per_day: 500 } });
    h.clock.advance(5_000);
    expect((await translate(h, created.key, 'hello world')).status).toBe(200);
    const after = (await listAll(h)).find((key) => key.id === created.id)!;
    expect(after.last_used_at).toBe(new Date(h.clock.now()).toISOString());
    expect(after.usage.day).toMatchObject({ used: 11, limit: 500, remaining: 489 });
  });

  it('pages with limit and cursor; a bad limit is VALIDATION_FAILED', async () => {
    const h = adminHarness();
    await createKey(h);
    await createKey(h);
    const first = KeyListSchema.parse(await (await h.request('/api/v1/admin/keys?limit=1', { headers: admin })).json());
    expect(first.keys).toHaveLength(1);
    expect(first.next_cursor).not.toBeNull();
    const second = KeyListSchema.parse(await (await h.request(`/api/v1/admin/keys?limit=1&cursor=${encodeURIComponent(first.next_cursor!)}`, { headers: admin })).json());
    expect(second.keys[0]!.id).not.toBe(first.keys[0]!.id);
    for (const query of ['limit=0', 'limit=101', 'limit=ten']) {
      const response = await h.request(`/api/v1/admin/keys?${query}`, { headers: admin });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('VALIDATION_FAILED');
    }
  });

  it('a key written into API_KEYS by hand (the earlier format) is listed, with its derived id, and can be managed', async () => {
    const h = adminHarness();
    const key = `sk_legacy_${unique()}`;
    const hash = await sha256Hex(key);
    await env.API_KEYS.put(hash, JSON.stringify({ name: 'hand written', limit_per_minute: 7 }));
    const id = `key_${hash.slice(0, 24)}`;
    const listed = (await listAll(h)).find((entry) => entry.id === id);
    expect(listed).toMatchObject({ name: 'hand written', created_at: null, limits: { requests_per_minute: 7, characters_per_day: null } });
    const updated = await patch(h, id, { limits: { characters_per_day: 3 } });
    expect(updated.status).toBe(200);
    expect(JSON.parse((await env.API_KEYS.get(hash, 'text'))!)).toEqual({ name: 'hand written', limit_per_minute: 7, chars_per_day: 3 });
    expect((await translate(h, key, 'abc')).status).toBe(200);
    expect((await translate(h, key, 'd')).status).toBe(429);
  });
});

describe('update', () => {
  it('changes name and limits; absent fields keep their value, null makes a quota unlimited', async () => {
    const h = adminHarness();
    const created = await createKey(h, { name: 'before', limits: { requests_per_minute: 2, characters_per_day: 10, characters_per_month: 100 } });
    const response = await patch(h, created.id, { name: 'after', limits: { requests_per_minute: 5, characters_per_day: null } });
    expect(response.status).toBe(200);
    const summary = KeySummarySchema.parse(await response.json());
    expect(summary).toMatchObject({ id: created.id, name: 'after', created_at: created.created_at, limits: { requests_per_minute: 5, cost_per_minute: 1667, characters_per_day: null, characters_per_month: 100 } });
    const served = await translate(h, created.key, 'x'.repeat(50));
    expect(served.status).toBe(200); // over the old daily 10, within the month's 100
    expect(served.headers.get('ratelimit-limit')).toBe('5');
  });

  it('unknown or malformed ids are 404 NOT_FOUND; an empty body is VALIDATION_FAILED; a huge name too', async () => {
    const h = adminHarness();
    for (const id of ['key_ffffffffffffffffffffffff', 'key_123', 'sk_not_an_id', 'x'.repeat(200)]) {
      for (const response of [await patch(h, id, { name: 'x' }), await revoke(h, id)]) {
        expect(response.status).toBe(404);
        expect((await errorOf(response)).code).toBe('NOT_FOUND');
      }
    }
    const created = await createKey(h);
    expect((await errorOf(await patch(h, created.id, {}))).code).toBe('VALIDATION_FAILED');
    expect((await errorOf(await patch(h, created.id, { name: 'n'.repeat(1000) }))).code).toBe('VALIDATION_FAILED');
    const bidi = await errorOf(await patch(h, created.id, { name: 'admin\u202egnp.exe' }));
    expect(bidi.code).toBe('VALIDATION_FAILED');
    expect(bidi.message).toContain('bidirectional');
    expect((await errorOf(await patch(h, created.id, { name: 'x' }, {}))).code).toBe('UNAUTHORIZED');
  });
});

describe('revoke', () => {
  it('the key is refused at once (401, reason revoked), stays listed with revoked_at, and revoking again changes nothing', async () => {
    const h = adminHarness();
    const created = await createKey(h);
    expect((await translate(h, created.key)).status).toBe(200);
    h.clock.advance(1_000);
    const response = await revoke(h, created.id);
    expect(response.status).toBe(200);
    const revoked = KeySummarySchema.parse(await response.json());
    expect(revoked.revoked_at).toBe(new Date(h.clock.now()).toISOString());
    const refused = await translate(h, created.key);
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'revoked' } });
    const lt = await h.post('/translate', { q: 'hello', source: 'en', target: 'fr', api_key: created.key }, { 'cf-connecting-ip': uniqueIp() });
    expect(lt.status).toBe(403); // LibreTranslate's status for a refused key; the code travels in X-Error-Code
    expect(lt.headers.get('x-error-code')).toBe('UNAUTHORIZED');
    const usage = await h.request('/api/v1/usage', { headers: { authorization: `Bearer ${created.key}`, 'cf-connecting-ip': uniqueIp() } });
    expect(usage.status).toBe(401);
    h.clock.advance(60_000);
    const again = KeySummarySchema.parse(await (await revoke(h, created.id)).json());
    expect(again.revoked_at).toBe(revoked.revoked_at);
    expect((await listAll(h)).find((key) => key.id === created.id)?.revoked_at).toBe(revoked.revoked_at);
  });

  it("the key's account refuses it even where API_KEYS still serves the unrevoked record (KV is eventually consistent)", async () => {
    const h = adminHarness();
    const created = await createKey(h);
    const hash = await sha256Hex(created.key);
    const unrevoked = await env.API_KEYS.get(hash, 'text');
    expect((await revoke(h, created.id)).status).toBe(200);
    await env.API_KEYS.put(hash, unrevoked!); // a location whose KV has not seen the revocation yet
    const refused = await translate(h, created.key);
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).details).toEqual({ reason: 'revoked' });
    expect(h.origins.a!.calls.total).toBe(0);
  });
});

describe('a revoked key stays revoked', () => {
  it('PATCH of a revoked key is 409 KEY_REVOKED and changes nothing', async () => {
    const h = adminHarness();
    const created = await createKey(h, { name: 'to revoke', limits: { characters_per_day: 10 } });
    expect((await revoke(h, created.id)).status).toBe(200);
    const hash = await sha256Hex(created.key);
    const stored = await env.API_KEYS.get(hash, 'text');
    const response = await patch(h, created.id, { name: 'renamed', limits: { characters_per_day: 1000 } });
    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'KEY_REVOKED', details: { reason: 'revoked' } });
    expect(error.message).toContain(created.id);
    expect(await env.API_KEYS.get(hash, 'text')).toBe(stored);
  });

  it('PATCH of a hand-written record that says revoked_at is refused too (the account never saw the key)', async () => {
    const h = adminHarness();
    const key = `sk_legacy_${unique()}`;
    const hash = await sha256Hex(key);
    await env.API_KEYS.put(hash, JSON.stringify({ name: 'old', limit_per_minute: 7, revoked_at: '2026-01-01T00:00:00.000Z' }));
    const response = await patch(h, `key_${hash.slice(0, 24)}`, { name: 'new' });
    expect(response.status).toBe(409);
    expect(JSON.parse((await env.API_KEYS.get(hash, 'text'))!)).toMatchObject({ name: 'old' });
  });

  it('a PATCH that races a revocation never writes the unrevoked record last', async () => {
    const h = adminHarness();
    const created = await createKey(h, { name: 'racing' });
    const hash = await sha256Hex(created.key);
    const accounts = durableObjectKeyAccounts(env.KEY_ACCOUNTS);
    const deps = { accounts, clock: h.clock, defaults: { requestsPerWindow: 60, costPerWindow: 20_000 } };
    const revoker = new KeyAdmin({ ...deps, kv: env.API_KEYS });
    // The PATCH has read the record and found the key unrevoked; the whole revocation (account, then
    // record) happens before the PATCH's own write reaches KV.
    let raced = false;
    const racingKv = {
      get: env.API_KEYS.get.bind(env.API_KEYS),
      list: env.API_KEYS.list.bind(env.API_KEYS),
      put: async (name: string, value: string, options?: KVNamespacePutOptions) => {
        if (!raced) {
          raced = true;
          await revoker.revoke(created.id);
        }
        await env.API_KEYS.put(name, value, options);
      },
    } as unknown as KVNamespace;
    const summary = await new KeyAdmin({ ...deps, kv: racingKv }).update(created.id, 'renamed', undefined);
    expect(raced).toBe(true);
    const record = JSON.parse((await env.API_KEYS.get(hash, 'text'))!) as { name: string; revoked_at?: string };
    expect(record.revoked_at).toBe(new Date(h.clock.now()).toISOString());
    expect((await env.API_KEYS.getWithMetadata(hash)).metadata).toMatchObject({ revoked_at: record.revoked_at });
    expect(summary.revoked_at).toBe(record.revoked_at);
    const refused = await translate(h, created.key);
    expect(refused.status).toBe(401);
  });
});

describe('key material', () => {
  it('a key is stored under its SHA-256 in lower-case hex (leading zeros kept)', async () => {
    expect(await hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff');
    expect(toHex(new Uint8Array([]))).toBe('');
  });
});
