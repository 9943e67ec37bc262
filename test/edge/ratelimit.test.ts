import { env } from 'cloudflare:workers';
import { listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../shared/bytes.js';
import { DurableObjectRateLimiter, type RateLimiter } from '../../edge/ratelimit/limiter.js';
import { RateLimiterDurableObject } from '../../edge/ratelimit/durable-object.js';
import { FLUSH_DELAY_MS } from '../../edge/ratelimit/persisted-state.js';
import { errorOf, FakeClock, harness, unique, uniqueIp, type Harness } from './harness.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

const translate = (h: Harness, ip: string | undefined, extra: Record<string, string> = {}, text = 'hello there') =>
  h.post('/api/v1/translate', { text, target_language: 'fr', source_language: 'en' }, { ...(ip ? { 'cf-connecting-ip': ip } : {}), ...extra });

/** What a bucket's object has written once its pending flush ran: the window's allowed requests (edge/ratelimit/window-budgets.ts). */
async function flushedWindow(bucket: string): Promise<{ t: number[]; r: number[]; c: number[] } | undefined> {
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(bucket));
  await runDurableObjectAlarm(stub);
  return runInDurableObject(stub, (_i: RateLimiterDurableObject, state) => state.storage.kv.get<{ t: number[]; r: number[]; c: number[] }>('window'));
}

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
    expect(first.headers.get('ratelimit-policy')).toBe('"requests";q=60;qu="requests";w=60, "cost";q=20000;qu="work-units";w=60');
    expect(first.headers.get('ratelimit')).toBe('"requests";r=59;t=60');
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
    expect(error.details).toEqual({ budget: 'requests', limit: 60, window_seconds: 60, retry_after_seconds: 45, request_cost: 1 });
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
    expect(first.headers.get('ratelimit-policy')).toBe('"requests";q=2;qu="requests";w=10, "cost";q=20000;qu="work-units";w=10');
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
    expect((await flushedWindow(`ip:${ip}`))?.t).toHaveLength(1);
  });

  it('detect and the LibreTranslate routes spend the same budget; a 64-item batch counts as 1 request', async () => {
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
      const h = harness({ deps: { rateLimiter: failing }, vars: { ADMIN_TOKEN } });
      const ip = uniqueIp();
      for (let i = 0; i < 3; i++) {
        const response = await translate(h, ip);
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-remaining')).toBeNull();
      }
      const lines = errors.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('rate_limiter_failed_open'));
      expect(lines).toHaveLength(3);
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', event: 'rate_limiter_failed_open', error: 'Error: Durable Object overloaded' });
      const health = (await (await h.request('/health', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { details: { metrics: { rate_limiter_failures: number } } };
      expect(health.details.metrics.rate_limiter_failures).toBe(3);
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

/** A charge of one request against a request limit, with a cost budget too large to bind. */
const requestsOnly = (limit: number) => ({ requests: { limit, cost: 1 }, cost: { limit: 1_000_000, cost: 1 } });

describe('DurableObjectRateLimiter', () => {
  it('10 concurrent requests of one IP against the real object: exactly the limit is allowed, nothing written per request', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '5' } });
    const ip = uniqueIp();
    const statuses = await Promise.all(Array.from({ length: 10 }, () => translate(h, ip).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`ip:${ip}`));
    expect(await runInDurableObject(stub, (_i: RateLimiterDurableObject, state) => state.storage.kv.get('window'))).toBeUndefined();
    expect(await runDurableObjectAlarm(stub)).toBe(true); // the flush
    const stored = await runInDurableObject(stub, (_i: RateLimiterDurableObject, state) => state.storage.kv.get<{ t: number[] }>('window'));
    expect(stored?.t).toHaveLength(5);
  });

  it('talks to the real object and honours the injected clock', async () => {
    const clock = new FakeClock();
    const limiter = new DurableObjectRateLimiter(env.RATE_LIMITER, clock, 60_000);
    const key = `ip:${uniqueIp()}`;
    expect(await limiter.consume(key, requestsOnly(2))).toMatchObject({ allowed: true, budgets: { requests: { remaining: 1 } } });
    expect(await limiter.consume(key, requestsOnly(2))).toMatchObject({ allowed: true, budgets: { requests: { remaining: 0 } } });
    expect(await limiter.consume(key, requestsOnly(2))).toMatchObject({ allowed: false, binding: 'requests', budgets: { requests: { retryAfterSeconds: 60 } } });
    clock.advance(60_000);
    expect(await limiter.consume(key, requestsOnly(2))).toMatchObject({ allowed: true });
  });

  it('a woken object (hibernated or evicted after its flush) decides from what was written: nothing is forgotten', async () => {
    const clock = new FakeClock();
    const limiter = new DurableObjectRateLimiter(env.RATE_LIMITER, clock, 60_000);
    const key = `ip:${uniqueIp()}`;
    for (let i = 0; i < 3; i++) expect(await limiter.consume(key, requestsOnly(3))).toMatchObject({ allowed: true });
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
    await runDurableObjectAlarm(stub);
    const decision = await runInDurableObject(stub, async (_instance: RateLimiterDurableObject, state) => {
      // A fresh instance on the same storage is what a hibernated or evicted object is when it wakes.
      const woken = new RateLimiterDurableObject(state, env);
      return woken.consume(requestsOnly(3), 60_000, clock.now());
    });
    expect(decision).toMatchObject({ allowed: false, binding: 'requests' });
  });

  it('a busy object sets one alarm and writes one snapshot per flush delay, whatever its request count', async () => {
    const clock = new FakeClock();
    const limiter = new DurableObjectRateLimiter(env.RATE_LIMITER, clock, 60_000);
    const key = `key:${unique()}`;
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
    const alarmAt = () => runInDurableObject(stub, (_i: RateLimiterDurableObject, state) => state.storage.getAlarm());
    const stored = () => runInDurableObject(stub, (_i: RateLimiterDurableObject, state) => state.storage.kv.get<{ t: number[] }>('window'));
    const before = Date.now();
    for (let i = 0; i < 20; i++) await limiter.consume(key, requestsOnly(100));
    const firstAlarm = await alarmAt();
    expect(firstAlarm).toBeGreaterThanOrEqual(before + FLUSH_DELAY_MS);
    expect(firstAlarm).toBeLessThanOrEqual(Date.now() + FLUSH_DELAY_MS);
    expect(await stored()).toBeUndefined();
    for (let i = 0; i < 20; i++) await limiter.consume(key, requestsOnly(100));
    expect(await alarmAt()).toBe(firstAlarm); // no alarm set on the request path while one is due
    await runDurableObjectAlarm(stub);
    expect((await stored())?.t).toHaveLength(40);
  });

  it('once the window is empty the alarm deletes all storage (idle clients cost nothing)', async () => {
    const clock = new FakeClock(Date.now() - 90_000); // the requests were 90 s ago
    const limiter = new DurableObjectRateLimiter(env.RATE_LIMITER, clock, 60_000);
    const key = `ip:${uniqueIp()}`;
    await limiter.consume(key, requestsOnly(2));
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
    const woken = await runInDurableObject(stub, async (_instance: RateLimiterDurableObject, state) => {
      // Woken by its alarm after an eviction: it knows the window only from storage.
      const instance = new RateLimiterDurableObject(state, env);
      await instance.alarm();
      return { alarm: await state.storage.getAlarm(), stored: state.storage.kv.get('window') };
    });
    expect(woken).toEqual({ alarm: null, stored: undefined });
  });

  it('the clean-up alarm keeps entries still inside a longer window, even in an object woken by the alarm', async () => {
    const clock = new FakeClock(Date.now() - 90_000); // the requests were 90 s ago
    const limiter = new DurableObjectRateLimiter(env.RATE_LIMITER, clock, 120_000);
    const key = `ip:${uniqueIp()}`;
    expect(await limiter.consume(key, requestsOnly(2))).toMatchObject({ allowed: true });
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
    await runDurableObjectAlarm(stub); // the flush
    const kept = await runInDurableObject(stub, async (_instance: RateLimiterDurableObject, state) => {
      // With the default 60 s window a woken object would drop the 90 s old entry.
      const woken = new RateLimiterDurableObject(state, env);
      await woken.alarm();
      return { alarm: await state.storage.getAlarm(), stored: state.storage.kv.get<{ t: number[] }>('window') };
    });
    expect(kept.stored?.t).toHaveLength(1);
    expect(kept.alarm).not.toBeNull();
    clock.advance(1_000);
    expect(await limiter.consume(key, requestsOnly(2))).toMatchObject({ allowed: true, budgets: { requests: { remaining: 0 } } });
  });

  it('a limiter built without the binding fails each call, so the middleware can fail open', async () => {
    const limiter = new DurableObjectRateLimiter(undefined, new FakeClock(), 60_000);
    await expect(limiter.consume('ip:x', requestsOnly(1))).rejects.toThrow(/RATE_LIMITER/);
  });
});

/** A Latin text of exactly `characters` characters. */
const latinText = (characters: number) => `${unique()} Habari ya asubuhi, rafiki yangu mpendwa. `.repeat(Math.ceil(characters / 40)).slice(0, characters);
const translateBody = (text: string | string[], options?: Record<string, number>) => ({ text, target_language: 'fr', source_language: 'en', ...(options ? { options } : {}) });

describe('cost budget (estimated work units, shared/cost.ts) beside the request count', () => {
  it('a request the cost budget refuses is 429 with budget "cost" and Retry-After, and spends neither budget', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '10', COST_BUDGET_PER_MINUTE: '1000' } });
    const ip = uniqueIp();
    const heavy = translateBody(latinText(900)); // ≈ 300 tokens + 2 per sentence ≈ 344 units greedy
    const first = await h.post('/api/v1/translate', translateBody(latinText(900), { beam_size: 2 }), { 'cf-connecting-ip': ip });
    expect(first.status).toBe(200);
    const spent = 1000 - Number(first.headers.get('ratelimit-remaining'));
    expect(first.headers.get('ratelimit')).toMatch(/^"cost";r=\d+;t=60$/); // the cost budget binds
    expect(spent).toBeGreaterThan(600);
    h.clock.advance(10_000);
    const refused = await h.post('/api/v1/translate', heavy, { 'cf-connecting-ip': ip });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('50'); // the first request leaves the window at t = 60 s
    const error = await errorOf(refused);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ budget: 'cost', limit: 1000, window_seconds: 60, retry_after_seconds: 50 });
    expect(error.message).toMatch(/cost budget of 1000 work units per 60 s/);
    // the refused request spent no request either: 1 of 10 used
    const cheap = await translate(h, ip);
    expect(cheap.status).toBe(200);
    expect(cheap.headers.get('ratelimit-policy')).toBe('"requests";q=10;qu="requests";w=60, "cost";q=1000;qu="work-units";w=60');
    const stored = await flushedWindow(`ip:${ip}`);
    expect(stored?.r).toEqual([1, 1]);
    expect(stored?.c[0]).toBe(spent);
    h.clock.advance(50_000);
    expect((await h.post('/api/v1/translate', heavy, { 'cf-connecting-ip': ip })).status).toBe(200); // refilled
  });

  it('with the defaults, 60 typical requests fit but 40 requests of 5000 characters at beam 4 do not', async () => {
    const h = harness();
    const light = uniqueIp();
    const lightStatuses: number[] = [];
    for (let i = 0; i < 60; i++) lightStatuses.push((await h.post('/api/v1/translate', translateBody(latinText(100)), { 'cf-connecting-ip': light })).status);
    expect(lightStatuses.every((status) => status === 200)).toBe(true);
    const heavy = uniqueIp();
    const heavyStatuses: number[] = [];
    for (let i = 0; i < 40; i++) heavyStatuses.push((await h.post('/api/v1/translate', translateBody(latinText(5000), { beam_size: 4 }), { 'cf-connecting-ip': heavy })).status);
    expect(heavyStatuses[0]).toBe(200); // one is admissible on its own
    expect(heavyStatuses.filter((status) => status === 429).length).toBeGreaterThan(30);
  });

  it('a request costlier than the whole budget is 429 saying it is never admitted, on an unused budget', async () => {
    const h = harness({ vars: { COST_BUDGET_PER_MINUTE: '100' } });
    const ip = uniqueIp();
    const refused = await h.post('/api/v1/translate', translateBody(latinText(600)), { 'cf-connecting-ip': ip });
    expect(refused.status).toBe(429);
    const error = await errorOf(refused);
    expect(error.details).toMatchObject({ budget: 'cost', limit: 100, never_admitted: true });
    expect(error.message).toMatch(/more than the whole cost budget of 100 per 60 s, so it is never admitted/);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(h.origins.a!.calls.total).toBe(0);
    // it spent nothing: the cost budget is whole but for the next request's own 6 units
    expect((await translate(h, ip)).headers.get('ratelimit')).toBe('"cost";r=94;t=60');
  });

  it('a batch costs the work of all its items', async () => {
    const h = harness({ vars: { COST_BUDGET_PER_MINUTE: '40' } });
    const two = await h.post('/api/v1/translate', translateBody(['abc def', 'ghi jkl']), { 'cf-connecting-ip': uniqueIp() });
    expect(two.headers.get('ratelimit')).toBe('"cost";r=30;t=60'); // 2 × (3 tokens + 2)
    const ip = uniqueIp();
    const eight = await h.post('/api/v1/translate', translateBody(Array.from({ length: 8 }, (_, i) => `abc d${i}`)), { 'cf-connecting-ip': ip });
    expect(eight.headers.get('ratelimit')).toBe('"cost";r=8;t=60'); // 8 × (2 tokens + 2)
    expect((await h.post('/api/v1/translate', translateBody(['abc def', 'ghi jkl']), { 'cf-connecting-ip': ip })).status).toBe(429);
  });

  it('an API key carries its own cost_per_minute', async () => {
    const h = harness();
    const key = `sk_${unique()}`;
    await env.API_KEYS.put(await sha256Hex(key), JSON.stringify({ name: 'heavy user', limit_per_minute: 100, cost_per_minute: 500_000 }));
    const response = await h.post('/api/v1/translate', translateBody(latinText(5000), { beam_size: 4 }), { 'cf-connecting-ip': uniqueIp(), authorization: `Bearer ${key}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-policy')).toBe('"requests";q=100;qu="requests";w=60, "cost";q=500000;qu="work-units";w=60');
  });

  it("a key without cost_per_minute gets the default cost budget scaled by its request limit", async () => {
    const h = harness();
    const key = `sk_${unique()}`;
    await env.API_KEYS.put(await sha256Hex(key), JSON.stringify({ name: 'ten times', limit_per_minute: 600 }));
    const response = await translate(h, uniqueIp(), { authorization: `Bearer ${key}` });
    expect(response.headers.get('ratelimit-policy')).toContain('"cost";q=200000;');
  });
});

describe('invalid API keys are charged to the IP, then 401', () => {
  it('guessing keys spends the IP budget: 401 while it lasts, then 429, and the IP itself is limited', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '3' } });
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await translate(h, ip, { authorization: `Bearer sk_guess_${unique()}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await translate(h, ip, { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(429);
    expect((await translate(h, ip)).status).toBe(429);
    expect((await translate(h, uniqueIp(), {}, `hello ${unique()}`)).status).toBe(200);
    expect(h.origins.a!.calls.total).toBe(1); // only that one reached the origin
  });

  it('an unknown key hash is remembered for ~60 s: repeated guesses cost one KV read per key', async () => {
    const h = harness();
    const store = env.API_KEYS;
    const reads: string[] = [];
    (h.env as { API_KEYS: unknown }).API_KEYS = {
      get: (key: string, type: 'text') => {
        reads.push(key);
        return store.get(key, type);
      },
    };
    const guess = `sk_guess_${unique()}`;
    for (let i = 0; i < 5; i++) expect((await translate(h, uniqueIp(), { authorization: `Bearer ${guess}` })).status).toBe(401);
    expect(reads).toHaveLength(1);
    await translate(h, uniqueIp(), { authorization: `Bearer sk_other_${unique()}` });
    expect(reads).toHaveLength(2);
    h.clock.advance(61_000);
    await translate(h, uniqueIp(), { authorization: `Bearer ${guess}` });
    expect(reads).toHaveLength(3); // expired: asked again (a key created meanwhile would now work)
  });
});

describe('IPv6 clients are grouped by prefix; every form of an address is one bucket', () => {
  const prefix = () => `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${unique().length.toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;

  it('two addresses of one /64 share a budget; another /64 does not', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '2' } });
    const net = prefix();
    expect((await translate(h, `${net}::1`)).status).toBe(200);
    expect((await translate(h, `${net}:ffff:1:2:3`)).status).toBe(200);
    expect((await translate(h, `${net.toUpperCase()}:0:0:0:0009`)).status).toBe(429);
    expect((await translate(h, `${prefix()}::1`)).status).toBe(200);
    const ids = await listDurableObjectIds(env.RATE_LIMITER);
    expect(ids.some((id) => id.equals(env.RATE_LIMITER.idFromName(`ip:${net}::/64`)))).toBe(true);
  });

  it('IPV6_PREFIX_BITS=128 gives every address its own bucket', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '1', IPV6_PREFIX_BITS: '128' } });
    const net = prefix();
    expect((await translate(h, `${net}::1`)).status).toBe(200);
    expect((await translate(h, `${net}::2`)).status).toBe(200);
    expect((await translate(h, `${net}:0:0:0:1`)).status).toBe(429);
  });

  it('an IPv4-mapped IPv6 address is its IPv4 address', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '1' } });
    const ip = uniqueIp();
    expect((await translate(h, ip)).status).toBe(200);
    expect((await translate(h, `::ffff:${ip}`)).status).toBe(429);
    expect((await translate(h, `::FFFF:${ip}`)).status).toBe(429);
  });

  it('an unparseable CF-Connecting-IP shares the one "unknown" bucket', async () => {
    const h = harness({ vars: { RATE_LIMIT_PER_MINUTE: '1' } });
    h.clock.advance(20 * 60_000); // a fresh window for the shared bucket
    expect((await translate(h, 'not-an-ip')).status).toBe(200);
    expect((await translate(h, undefined)).status).toBe(429);
    expect((await translate(h, '1.2.3.999')).status).toBe(429);
  });
});
