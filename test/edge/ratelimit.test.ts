import { env } from 'cloudflare:workers';
import { listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../edge/cache/key.js';
import { DurableObjectRateLimiter, type RateLimiter } from '../../edge/ratelimit/limiter.js';
import { RateLimiterDurableObject } from '../../edge/ratelimit/durable-object.js';
import { errorOf, FakeClock, harness, unique, uniqueIp, type Harness } from './harness.js';

const translate = (h: Harness, ip: string | undefined, extra: Record<string, string> = {}, text = 'hello there') =>
  h.post('/api/v1/translate', { text, target_language: 'fr', source_language: 'en' }, { ...(ip ? { 'cf-connecting-ip': ip } : {}), ...extra });

async function spend(h: Harness, ip: string | undefined, count: number, extra: Record<string, string> = {}) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await translate(h, ip, extra)).status);
  return statuses;
}

describe('per-IP limit (Durable Object, exact sliding window)', () => {
  it('the 61st request in a minute is 429 RATE_LIMITED with Retry-After and the envelope', async () => {
    const h = harness();
    const ip = uniqueIp();
    const first = await translate(h, ip);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('60');
    expect(first.headers.get('ratelimit-remaining')).toBe('59');
    expect(Number(first.headers.get('ratelimit-reset'))).toBe(60);
    expect(first.headers.get('ratelimit-policy')).toBe('60;w=60');
    const rest = await spend(h, ip, 59);
    expect(rest.every((status) => status === 200)).toBe(true);
    h.clock.advance(15_000);
    const limited = await translate(h, ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-limit')).toBe('60');
    const error = await errorOf(limited);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.status).toBe(429);
    expect(error.details).toEqual({ limit: 60, window_seconds: 60, retry_after_seconds: 45 });
    // the cache answered 59 of the 60: limiting happens before the cache, per request
    expect(h.origins.a!.calls.translate).toBe(1);
  });

  it('other IPs are unaffected', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '3' } });
    const ip = uniqueIp();
    expect(await spend(h, ip, 4)).toEqual([200, 200, 200, 429]);
    expect((await translate(h, uniqueIp())).status).toBe(200);
  });

  it('spoofed X-Forwarded-For / X-Real-IP / True-Client-IP do not help', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '2' } });
    const ip = uniqueIp();
    await spend(h, ip, 2);
    for (const header of ['x-forwarded-for', 'x-real-ip', 'true-client-ip']) {
      const response = await translate(h, ip, { [header]: uniqueIp() });
      expect(response.status).toBe(429);
    }
  });

  it('without CF-Connecting-IP every request shares the one "unknown" bucket, whatever X-Forwarded-For says', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '2' } });
    // The 'unknown' bucket is shared with every other test of this file: give it a fresh window.
    h.clock.advance(10 * 60_000);
    const statuses = await Promise.all([1, 2, 3].map(() => translate(h, undefined, { 'x-forwarded-for': uniqueIp() }).then((r) => r.status)));
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
  });

  it('the window slides: advance the clock, do not sleep', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '4' } });
    const ip = uniqueIp();
    expect(await spend(h, ip, 2)).toEqual([200, 200]); // t = 0
    h.clock.advance(30_000);
    expect(await spend(h, ip, 2)).toEqual([200, 200]); // t = 30 s
    h.clock.advance(10_000);
    const limited = await translate(h, ip); // t = 40 s: 4 in the last minute
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    h.clock.advance(20_001); // t = 60.001 s: the two from t = 0 left the window, the two from t = 30 s did not
    const again = await translate(h, ip);
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit-remaining')).toBe('1');
    expect(await spend(h, ip, 2)).toEqual([200, 429]);
    // a fixed window would have reset everything at t = 60 s; the log still counts t = 30 s
  });

  it('RATE_LIMIT_WINDOW_SECONDS sets the window: limit, headers, details and the sliding all follow it', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '2', RATE_LIMIT_WINDOW_SECONDS: '10' } });
    const ip = uniqueIp();
    const first = await translate(h, ip);
    expect(first.headers.get('ratelimit-policy')).toBe('2;w=10');
    expect(first.headers.get('ratelimit-reset')).toBe('10');
    h.clock.advance(4_000);
    expect((await translate(h, ip)).status).toBe(200);
    const limited = await translate(h, ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('6'); // the first request leaves the 10 s window at t = 10 s
    expect((await errorOf(limited)).details).toMatchObject({ limit: 2, window_seconds: 10 });
    h.clock.advance(6_000);
    expect((await translate(h, ip)).status).toBe(200); // a 60 s window would still be full
  });

  it('refused requests are not logged (hammering while limited does not extend the wait)', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '2' } });
    const ip = uniqueIp();
    await spend(h, ip, 2);
    h.clock.advance(30_000);
    expect(await spend(h, ip, 5)).toEqual([429, 429, 429, 429, 429]);
    h.clock.advance(30_001);
    expect((await translate(h, ip)).status).toBe(200);
    const id = env.RATE_LIMITER.idFromName(`ip:${ip}`);
    const rows = await runInDurableObject(env.RATE_LIMITER.get(id), (_instance: RateLimiterDurableObject, state) =>
      state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM hits').one().n,
    );
    expect(rows).toBe(1);
  });

  it('detect and the LibreTranslate routes spend the same budget; a 64-item batch costs 1', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '4' } });
    const ip = uniqueIp();
    const batch = await h.post('/api/v1/translate', { text: Array.from({ length: 64 }, (_, i) => `item ${i} ${unique()}`), target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': ip });
    expect(batch.status).toBe(200);
    expect(batch.headers.get('ratelimit-remaining')).toBe('3');
    expect((await h.post('/api/v1/detect-language', { text: 'habari' }, { 'cf-connecting-ip': ip })).headers.get('ratelimit-remaining')).toBe('2');
    expect((await h.post('/translate', { q: 'hello', source: 'en', target: 'fr' }, { 'cf-connecting-ip': ip })).headers.get('ratelimit-remaining')).toBe('1');
    expect((await h.post('/detect', { q: 'hello' }, { 'cf-connecting-ip': ip })).headers.get('ratelimit-remaining')).toBe('0');
    expect((await h.post('/detect', { q: 'hello' }, { 'cf-connecting-ip': ip })).status).toBe(429);
    // metadata routes are not limited
    expect((await h.request('/api/v1/languages', { headers: { 'cf-connecting-ip': ip } })).status).toBe(200);
    expect((await h.request('/languages', { headers: { 'cf-connecting-ip': ip } })).status).toBe(200);
  });

  it('malformed requests are refused before the limiter and cost nothing', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '1' } });
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await h.post('/api/v1/translate', '{bad', { 'cf-connecting-ip': ip })).status).toBe(400);
    expect((await translate(h, ip)).status).toBe(200);
  });
});

describe('API keys', () => {
  async function createKey(limit: number): Promise<string> {
    const key = `sk_${unique()}`;
    await env.API_KEYS.put(await sha256Hex(key), JSON.stringify({ name: `test ${key}`, limit_per_minute: limit }));
    return key;
  }

  it('a key gets its own budget (keyed by the key hash), separate from its IP', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '2' } });
    const key = await createKey(5);
    const hash = await sha256Hex(key);
    const ip = uniqueIp();
    const withKey = { authorization: `Bearer ${key}` };
    const first = await translate(h, ip, withKey);
    expect(first.headers.get('ratelimit-limit')).toBe('5');
    expect(await spend(h, ip, 4, withKey)).toEqual([200, 200, 200, 200]);
    expect((await translate(h, ip, withKey)).status).toBe(429);
    // the IP's own budget is untouched
    expect(await spend(h, ip, 3)).toEqual([200, 200, 429]);
    // the same key from another IP shares the key's budget
    expect((await translate(h, uniqueIp(), withKey)).status).toBe(429);
    const ids = await listDurableObjectIds(env.RATE_LIMITER);
    expect(ids.some((id) => id.equals(env.RATE_LIMITER.idFromName(`key:${hash}`)))).toBe(true);
    expect(ids.some((id) => id.equals(env.RATE_LIMITER.idFromName(`key:${key}`)))).toBe(false);
  });

  it('LibreTranslate api_key body field works like a Bearer key', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '1' } });
    const key = await createKey(3);
    const ip = uniqueIp();
    const response = await h.post('/translate', { q: 'hello', source: 'en', target: 'fr', api_key: key }, { 'cf-connecting-ip': ip });
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toBe('3');
    const empty = await h.post('/translate', { q: 'hello', source: 'en', target: 'fr', api_key: '' }, { 'cf-connecting-ip': ip });
    expect(empty.headers.get('ratelimit-limit')).toBe('1'); // an empty api_key is no key
  });

  it.each([
    ['an unknown key', 'Bearer sk_does_not_exist'],
    ['a malformed header', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
  ])('%s → 401 UNAUTHORIZED', async (_name, authorization) => {
    const h = harness();
    const response = await translate(h, uniqueIp(), { authorization });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('UNAUTHORIZED');
    expect(h.origins.a!.calls.total).toBe(0);
  });

  it('an API_KEYS record that is not {name, limit_per_minute} is refused (401) and logged', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const key = `sk_${unique()}`;
      await env.API_KEYS.put(await sha256Hex(key), '{"name":"x","limit_per_minute":"lots"}');
      const response = await translate(harness(), uniqueIp(), { authorization: `Bearer ${key}` });
      expect(response.status).toBe(401);
      expect(errors.mock.calls.some((call) => String(call[0]).includes('api_key_record_invalid'))).toBe(true);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('limiter failure: documented FAIL-OPEN policy', () => {
  it('the request is served without RateLimit headers, logged, and counted in /health', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const failing: RateLimiter = {
        consume: async () => {
          throw new Error('Durable Object overloaded');
        },
      };
      const h = harness({ deps: { rateLimiter: failing } });
      const ip = uniqueIp();
      for (let i = 0; i < 3; i++) {
        const response = await translate(h, ip);
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-remaining')).toBeNull();
      }
      const lines = errors.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('rate_limiter_failed_open'));
      expect(lines).toHaveLength(3);
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', event: 'rate_limiter_failed_open', error: 'Error: Durable Object overloaded' });
      const health = (await (await h.request('/health')).json()) as { metrics: { rate_limiter_failures: number } };
      expect(health.metrics.rate_limiter_failures).toBe(3);
    } finally {
      errors.mockRestore();
    }
  });

  it('a missing Durable Object binding fails open too', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const h = harness({ vars: {} });
      (h.env as { RATE_LIMITER: unknown }).RATE_LIMITER = undefined;
      expect((await translate(h, uniqueIp())).status).toBe(200);
      expect(errors.mock.calls.some((call) => String(call[0]).includes('rate_limiter_failed_open'))).toBe(true);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('DurableObjectRateLimiter', () => {
  it('10 concurrent requests of one IP against the real object: exactly the limit is allowed', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '5' } });
    const ip = uniqueIp();
    const statuses = await Promise.all(Array.from({ length: 10 }, () => translate(h, ip).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const rows = await runInDurableObject(env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`ip:${ip}`)), (_i: RateLimiterDurableObject, state) =>
      state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM hits').one().n,
    );
    expect(rows).toBe(5);
  });

  it('talks to the real object and honours the injected clock', async () => {
    const clock = new FakeClock();
    const limiter = new DurableObjectRateLimiter(env.RATE_LIMITER, clock, 60_000);
    const key = `ip:${uniqueIp()}`;
    expect(await limiter.consume(key, 2, 1)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.consume(key, 2, 1)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.consume(key, 2, 1)).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    clock.advance(60_000);
    expect(await limiter.consume(key, 2, 1)).toMatchObject({ allowed: true });
  });

  it('the clean-up alarm keeps rows still inside a longer window, even in an object woken by the alarm', async () => {
    const clock = new FakeClock(Date.now() - 90_000); // the requests were 90 s ago
    const limiter = new DurableObjectRateLimiter(env.RATE_LIMITER, clock, 120_000);
    const key = `ip:${uniqueIp()}`;
    expect(await limiter.consume(key, 2, 1)).toMatchObject({ allowed: true });
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
    const rows = await runInDurableObject(stub, async (_instance: RateLimiterDurableObject, state) => {
      // A fresh instance on the same storage is what an evicted object woken by its alarm is: it knows
      // the window only from storage. With the default 60 s window it would drop the 90 s old row.
      const woken = new RateLimiterDurableObject(state, env);
      await woken.alarm();
      return state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM hits').one().n;
    });
    expect(rows).toBe(1);
    clock.advance(1_000);
    expect(await limiter.consume(key, 2, 1)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('a limiter built without the binding fails each call, so the middleware can fail open', async () => {
    const limiter = new DurableObjectRateLimiter(undefined, new FakeClock(), 60_000);
    await expect(limiter.consume('ip:x', 1, 1)).rejects.toThrow(/RATE_LIMITER/);
  });
});
