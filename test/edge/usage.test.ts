import { listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { KeyAccountDurableObject } from '../../edge/keys/account.js';
import { CreatedKeySchema, UsageResponseSchema, type KeyLimitsInput } from '../../shared/contract/keys.js';
import { errorOf, harness, unique, uniqueIp, type Harness } from './harness.js';

const ADMIN_TOKEN = 'usage-tests-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** An edge whose clock starts at `iso` (UTC). */
function harnessAt(iso: string, vars: Record<string, string> = {}): Harness {
  const h = harness({ vars: { ADMIN_TOKEN, ...vars } });
  h.clock.current = Date.parse(iso);
  return h;
}

async function createKey(h: Harness, limits: KeyLimitsInput = {}) {
  const response = await h.post('/api/v1/admin/keys', { name: `usage ${unique()}`, limits }, admin);
  expect(response.status).toBe(201);
  return CreatedKeySchema.parse(await response.json()).key;
}

const translate = (h: Harness, key: string | undefined, text: string | string[]) =>
  h.post('/api/v1/translate', { text, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp(), ...(key ? { authorization: `Bearer ${key}` } : {}) });

async function usage(h: Harness, key: string) {
  const response = await h.request('/api/v1/usage', { headers: { authorization: `Bearer ${key}`, 'cf-connecting-ip': uniqueIp() } });
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return UsageResponseSchema.parse(await response.json());
}

describe('GET /api/v1/usage', () => {
  it("says the key's characters this UTC day and month, its limits, and when each resets", async () => {
    const h = harnessAt('2027-03-15T10:20:30Z');
    const key = await createKey(h, { requests_per_minute: 30, characters_per_day: 1000, characters_per_month: 5000 });
    expect((await translate(h, key, `héllo ${unique()}`.slice(0, 10))).status).toBe(200); // 10 characters
    expect((await translate(h, key, ['🙂🙂', 'abc'])).status).toBe(200); // code points: 2 + 3
    const body = await usage(h, key);
    expect(body).toMatchObject({
      character_count: 15,
      character_limit: 5000,
      day: { used: 15, limit: 1000, remaining: 985, resets_at: '2027-03-16T00:00:00.000Z' },
      month: { used: 15, limit: 5000, remaining: 4985, resets_at: '2027-04-01T00:00:00.000Z' },
      rate_limit: { requests_per_minute: 30, cost_per_minute: 10000, window_seconds: 60 },
      cache_hits_counted: true,
    });
    expect(body.key.id).toMatch(/^key_[0-9a-f]{24}$/);
    expect(JSON.stringify(body)).not.toContain(key);
  });

  it('cache hits count: the same text twice is charged twice though the origin translated it once', async () => {
    const h = harnessAt('2027-03-15T10:00:00Z');
    const key = await createKey(h);
    const text = `cached ${unique()}`;
    expect((await translate(h, key, text)).status).toBe(200);
    const second = await translate(h, key, text);
    expect(((await second.json()) as { cached: boolean }).cached).toBe(true);
    expect(h.origins.a!.calls.translate).toBe(1);
    expect((await usage(h, key)).day.used).toBe(2 * text.length);
  });

  it('detection and usage calls spend no characters; the LibreTranslate api_key is counted like a Bearer key', async () => {
    const h = harnessAt('2027-03-15T10:00:00Z');
    const key = await createKey(h);
    expect((await h.post('/api/v1/detect-language', { text: 'habari yako rafiki' }, { authorization: `Bearer ${key}`, 'cf-connecting-ip': uniqueIp() })).status).toBe(200);
    expect((await h.post('/translate', { q: 'hello', source: 'en', target: 'fr', api_key: key }, { 'cf-connecting-ip': uniqueIp() })).status).toBe(200);
    await usage(h, key);
    expect((await usage(h, key)).day.used).toBe(5);
  });

  it('without a key: 401; with an unknown key: 401 (after charging the IP, as everywhere)', async () => {
    const h = harnessAt('2027-03-15T10:00:00Z', { RATE_LIMIT_PER_MINUTE: '2' });
    const anonymous = await h.request('/api/v1/usage', { headers: { 'cf-connecting-ip': uniqueIp() } });
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('UNAUTHORIZED');
    const ip = uniqueIp();
    const guess = () => h.request('/api/v1/usage', { headers: { authorization: `Bearer sk_guess_${unique()}`, 'cf-connecting-ip': ip } });
    expect([(await guess()).status, (await guess()).status, (await guess()).status]).toEqual([401, 401, 429]);
  });

  it('a request answered with an error gets its characters back', async () => {
    const h = harnessAt('2027-03-15T10:00:00Z');
    const key = await createKey(h, { characters_per_day: 100 });
    h.down.add('a');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const failed = await translate(h, key, `fails ${unique()}`);
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
    expect((await usage(h, key)).day.used).toBe(0);
  });
});

describe('quotas: QUOTA_EXCEEDED (429 + Retry-After until the reset)', () => {
  it('a request that does not fit the daily quota is refused whole, with the reset time, and spends nothing', async () => {
    const h = harnessAt('2027-03-15T23:59:00Z');
    const key = await createKey(h, { characters_per_day: 20 });
    expect((await translate(h, key, 'x'.repeat(15))).status).toBe(200);
    const refused = await translate(h, key, 'y'.repeat(6));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    const error = await errorOf(refused);
    expect(error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      status: 429,
      details: { quota: 'day', limit: 20, used: 15, requested: 6, resets_at: '2027-03-16T00:00:00.000Z' },
    });
    expect(error.message).toContain('2027-03-16T00:00:00.000Z');
    expect(h.origins.a!.calls.translate).toBe(1);
    expect((await translate(h, key, 'z'.repeat(5))).status).toBe(200); // what fits is still served
    expect((await translate(h, key, 'z')).status).toBe(429);
    expect((await usage(h, key)).day).toMatchObject({ used: 20, remaining: 0 });
  });

  it('across the UTC day boundary: the day starts over, the month keeps counting', async () => {
    const h = harnessAt('2027-03-15T23:59:59Z');
    const key = await createKey(h, { characters_per_day: 10, characters_per_month: 25 });
    expect((await translate(h, key, 'a'.repeat(10))).status).toBe(200);
    expect((await translate(h, key, 'b')).status).toBe(429);
    h.clock.advance(1_000); // 2027-03-16T00:00:00Z
    expect((await translate(h, key, 'c'.repeat(10))).status).toBe(200);
    const body = await usage(h, key);
    expect(body.day).toMatchObject({ used: 10, resets_at: '2027-03-17T00:00:00.000Z' });
    expect(body.month).toMatchObject({ used: 20, remaining: 5 });
  });

  it('across the month boundary (Dec 31 → Jan 1): the monthly quota refuses until the 1st, then both start over', async () => {
    const h = harnessAt('2027-12-31T22:00:00Z');
    const key = await createKey(h, { characters_per_day: 1000, characters_per_month: 12 });
    expect((await translate(h, key, 'm'.repeat(12))).status).toBe(200);
    const refused = await translate(h, key, 'n');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(2 * 3600));
    expect((await errorOf(refused)).details).toMatchObject({ quota: 'month', limit: 12, used: 12, resets_at: '2028-01-01T00:00:00.000Z' });
    h.clock.advance(2 * 3600_000 - 1); // 23:59:59.999: still December
    expect((await translate(h, key, 'n')).status).toBe(429);
    h.clock.advance(1);
    expect((await translate(h, key, 'n'.repeat(12))).status).toBe(200);
    const body = await usage(h, key);
    expect(body).toMatchObject({ character_count: 12, day: { used: 12 }, month: { used: 12, resets_at: '2028-02-01T00:00:00.000Z' } });
  });

  it('on the LibreTranslate route: 429 with Retry-After, X-Error-Code QUOTA_EXCEEDED and the reset in the message', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const key = await createKey(h, { characters_per_day: 7 });
    expect((await h.post('/translate', { q: 'hello', source: 'en', target: 'fr', api_key: key }, { 'cf-connecting-ip': uniqueIp() })).status).toBe(200);
    const refused = await h.post('/translate', { q: 'hello', source: 'en', target: 'fr', api_key: key }, { 'cf-connecting-ip': uniqueIp() });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-error-code')).toBe('QUOTA_EXCEEDED');
    expect(refused.headers.get('retry-after')).toBe(String(12 * 3600));
    expect(((await refused.json()) as { error: string }).error).toContain('2027-03-16T00:00:00.000Z');
  });

  it('a request bigger than the whole quota is told it never fits: no Retry-After, details.never_fits', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const key = await createKey(h, { characters_per_day: 5 });
    const refused = await translate(h, key, 'x'.repeat(8));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
    const error = await errorOf(refused);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'day', limit: 5, requested: 8, never_fits: true } });
    expect(error.details).not.toHaveProperty('resets_at');
    expect(error.message).toBe("this request has 8 characters; the key's daily quota is 5: it can never fit — split it or raise the quota");
    expect(h.origins.a!.calls.translate).toBe(0);
    // still true with part of the month spent: the day is the window it can never fit
    const both = await createKey(h, { characters_per_day: 5, characters_per_month: 10 });
    expect((await translate(h, both, 'abcde')).status).toBe(200);
    expect((await errorOf(await translate(h, both, 'y'.repeat(6)))).details).toMatchObject({ quota: 'day', never_fits: true });
    // what fits the whole quota but not what is left waits for the reset, as before
    const waits = await translate(h, both, 'z');
    expect(waits.headers.get('retry-after')).toBe(String(12 * 3600));
    expect((await errorOf(waits)).details).not.toHaveProperty('never_fits');
    // on the LibreTranslate route too
    const lt = await h.post('/translate', { q: 'x'.repeat(8), source: 'en', target: 'fr', api_key: key }, { 'cf-connecting-ip': uniqueIp() });
    expect(lt.status).toBe(429);
    expect(lt.headers.get('retry-after')).toBeNull();
    expect(((await lt.json()) as { error: string }).error).toContain('can never fit');
  });

  it('raising the quota (PATCH) lets the key through at once here', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const created = CreatedKeySchema.parse(await (await h.post('/api/v1/admin/keys', { name: 'raise', limits: { characters_per_day: 3 } }, admin)).json());
    expect((await translate(h, created.key, 'four')).status).toBe(429);
    const patched = await h.request(`/api/v1/admin/keys/${created.id}`, { method: 'PATCH', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ limits: { characters_per_day: 4 } }) });
    expect(patched.status).toBe(200);
    expect((await translate(h, created.key, 'four')).status).toBe(200);
  });
});

describe('counted exactly in the key account', () => {
  it('concurrent requests never overspend: 10 at once of 10 characters against 55 → exactly 5 served', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const key = await createKey(h, { requests_per_minute: 100, characters_per_day: 55 });
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => translate(h, key, `${i}`.padEnd(10, 'q')).then((r) => r.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    expect((await usage(h, key)).day.used).toBe(50);
  });

  it('the counters are in Durable Object storage (they survive the object); last use is written at most once a minute by reads', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const created = CreatedKeySchema.parse(await (await h.post('/api/v1/admin/keys', { name: 'stored' }, admin)).json());
    expect((await translate(h, created.key, 'abcd')).status).toBe(200);
    const stub = env.KEY_ACCOUNTS.get(env.KEY_ACCOUNTS.idFromName(created.id));
    const stored = () => runInDurableObject(stub, async (_instance: KeyAccountDurableObject, state) => await state.storage.get<{ usage: { day: number }; lastUsedAt: number }>('state'));
    expect(await stored()).toMatchObject({ usage: { day: 4, month: 4 }, lastUsedAt: h.clock.now() });
    const firstUse = h.clock.now();
    h.clock.advance(30_000);
    await usage(h, created.key);
    expect((await stored())!.lastUsedAt).toBe(firstUse); // a read 30 s later: not written
    h.clock.advance(30_000);
    await usage(h, created.key);
    expect((await stored())!.lastUsedAt).toBe(h.clock.now()); // a minute after the last write: written
  });
});

describe('key account failure: FAIL-OPEN, like the limiter', () => {
  it('the request is served uncounted and key_account_failed_open is logged', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const key = await createKey(h, { characters_per_day: 1 });
    (h.env as { KEY_ACCOUNTS: unknown }).KEY_ACCOUNTS = undefined;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect((await translate(h, key, 'more than one character')).status).toBe(200);
      const lines = errors.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('key_account_failed_open'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain(key);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('GET /api/v1/usage while the key account is unreachable', () => {
  it('a valid key gets 503 UPSTREAM_UNAVAILABLE with Retry-After (not 401); an anonymous caller still 401', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const key = await createKey(h);
    (h.env as { KEY_ACCOUNTS: unknown }).KEY_ACCOUNTS = undefined;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await h.request('/api/v1/usage', { headers: { authorization: `Bearer ${key}`, 'cf-connecting-ip': uniqueIp() } });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await errorOf(response)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, details: { reason: 'key_account_unavailable' } });
      const anonymous = await h.request('/api/v1/usage', { headers: { 'cf-connecting-ip': uniqueIp() } });
      expect(anonymous.status).toBe(401);
      expect((await errorOf(anonymous)).code).toBe('UNAUTHORIZED');
    } finally {
      errors.mockRestore();
    }
  });
});

describe('anonymous callers keep the per-IP limits only', () => {
  it('they are charged to their IP budgets and never reach a key account', async () => {
    const h = harnessAt('2027-03-15T12:00:00Z');
    const accountsBefore = (await listDurableObjectIds(env.KEY_ACCOUNTS)).length;
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) {
      const response = await h.post('/api/v1/translate', { text: `${'x'.repeat(1000)} ${unique()}`, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': ip });
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-policy')).toMatch(/^"requests";q=60;/);
    }
    expect((await listDurableObjectIds(env.KEY_ACCOUNTS)).length).toBe(accountsBefore);
  });
});
