import { describe, expect, it, vi, beforeEach, afterEach } from 'vitest';
import { CircuitBreaker, CHEAP_FAILURE_MS, FIRST_PROBE_AFTER_MS } from '../../edge/origin/breaker.js';
import { DetectResponseSchema } from '../../shared/contract/detect.js';
import { EdgeHealthResponseSchema } from '../../shared/contract/health.js';
import { errorOf, FakeClock, harness as baseHarness, unique, uniqueIp, type Harness, type HarnessOptions } from './harness.js';

type OriginDetails = { url: string; circuit: string; consecutive_failures: number; last_latency_ms: number | null; last_error: string | null };
/** GET /health as the admin sees it, flattened: the public status plus the per-origin details. */
type Health = { status: string; origins: OriginDetails[]; metrics: Record<string, number> };

/** Per-origin state is in /health's admin details, so every edge of this file has an ADMIN_TOKEN. */
const ADMIN_TOKEN = 'origin-tests-admin-token-0123';
const harness = (options: HarnessOptions = {}) => baseHarness({ ...options, vars: { ADMIN_TOKEN, ...options.vars } });

const single = (text = `hello ${unique()}`) => ({ text, target_language: 'fr', source_language: 'en' });
const tr = (h: Harness, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.post('/api/v1/translate', body, { 'cf-connecting-ip': uniqueIp(), ...headers });
const adminHealth = async (h: Harness) => (await h.request('/health', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
const health = async (h: Harness): Promise<Health> => {
  const body = (await adminHealth(h)) as { status: string; details: { origins: OriginDetails[]; metrics: Record<string, number> } };
  return { status: body.status, origins: body.details.origins, metrics: body.details.metrics };
};

let warn: ReturnType<typeof vi.spyOn>;
let error: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
  error.mockRestore();
});

describe('what the edge sends to the origin', () => {
  it('the shared secret, the client IP (CF-Connecting-IP only) and the request id', async () => {
    const secret = 's3cret-edge-0123456789';
    const h = harness({ vars: { EDGE_SHARED_SECRET: secret } });
    h.origins.a!.knobs.secret = secret;
    const response = await tr(h, single(), { 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '6.6.6.6', 'x-request-id': 'req-42' });
    expect(response.status).toBe(200);
    const headers = h.origins.a!.received[0]!.headers;
    expect(headers['x-sema-edge-secret']).toBe(secret);
    expect(headers['x-sema-client-ip']).toBe('203.0.113.7');
    expect(headers['x-request-id']).toBe('req-42');
    expect(headers['x-forwarded-for']).toBeUndefined();
    expect(h.fetched[0]).toBe('http://a.origin.test/api/v1/translate');
  });

  it('an origin that refuses the edge secret is a 502 (an operator problem, not the client’s), logged', async () => {
    const h = harness({ vars: { EDGE_SHARED_SECRET: 'the-wrong-secret-0123' } });
    h.origins.a!.knobs.secret = 'the-right-secret-0123';
    const response = await tr(h, single());
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.mock.calls.some((call: unknown[]) => String(call[0]).includes('origin_rejected_edge_secret'))).toBe(true);
  });
});

describe('timeouts', () => {
  it('a slow origin → 504 UPSTREAM_TIMEOUT within the bound', async () => {
    const h = harness({ vars: { ORIGIN_TIMEOUT_MS: '300' } });
    h.origins.a!.knobs.delayMs = 10_000;
    const started = Date.now();
    const response = await tr(h, single());
    const elapsed = Date.now() - started;
    expect(response.status).toBe(504);
    expect((await errorOf(response)).code).toBe('UPSTREAM_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(300 + 2_000);
    expect((await health(h)).origins[0]!.last_error).toBe('timeout');
  });

  it('a timeout is not retried on another origin (the bound is for the whole call)', async () => {
    const h = harness({ origins: ['a', 'b'], vars: { ORIGIN_TIMEOUT_MS: '200' } });
    h.origins.a!.knobs.delayMs = 10_000;
    h.origins.b!.knobs.delayMs = 10_000;
    const started = Date.now();
    expect((await tr(h, single())).status).toBe(504);
    expect(Date.now() - started).toBeLessThan(200 + 2_000);
    expect(h.origins.a!.calls.total + h.origins.b!.calls.total).toBe(1);
  });
});

describe('failover', () => {
  it('one origin down → the other serves every request', async () => {
    const h = harness({ origins: ['a', 'b'] });
    h.down.add('a');
    for (let i = 0; i < 6; i++) expect((await tr(h, single())).status).toBe(200);
    expect(h.origins.b!.calls.translate).toBe(6);
    const state = await health(h);
    expect(state.status).toBe('degraded');
    expect(state.origins[0]).toMatchObject({ circuit: 'open', consecutive_failures: 3 });
    expect(state.origins[0]!.last_error).toContain('Network connection lost');
    expect(state.origins[1]).toMatchObject({ circuit: 'closed', consecutive_failures: 0 });
    // once a's circuit is open, a is not even tried
    const before = h.fetched.filter((url) => url.startsWith('http://a.')).length;
    for (let i = 0; i < 4; i++) expect((await tr(h, single())).status).toBe(200);
    expect(h.fetched.filter((url) => url.startsWith('http://a.')).length).toBe(before);
  });

  it('a 503 from one origin is retried once on the other', async () => {
    const h = harness({ origins: ['a', 'b'] });
    h.origins.a!.knobs.status = 503;
    h.origins.a!.knobs.retryAfter = 7;
    for (let i = 0; i < 2; i++) expect((await tr(h, single())).status).toBe(200);
    expect(h.origins.a!.calls.translate).toBe(1);
    expect(h.origins.b!.calls.translate).toBe(2);
  });

  it('the origins take turns (round robin)', async () => {
    const h = harness({ origins: ['a', 'b'] });
    for (let i = 0; i < 4; i++) await tr(h, single());
    expect(h.origins.a!.calls.translate).toBe(2);
    expect(h.origins.b!.calls.translate).toBe(2);
  });

  it('all down → 503 UPSTREAM_UNAVAILABLE; cached single requests still 200; a batch with a miss is 503', async () => {
    const h = harness({ origins: ['a', 'b'] });
    const cachedText = `cached ${unique()}`;
    const cachedBatch = [`c1 ${unique()}`, `c2 ${unique()}`];
    expect((await tr(h, single(cachedText))).status).toBe(200);
    expect((await tr(h, { text: cachedBatch, target_language: 'fr', source_language: 'en' })).status).toBe(200);
    h.down.add('a');
    h.down.add('b');
    const miss = await tr(h, single());
    expect(miss.status).toBe(503);
    expect((await errorOf(miss)).code).toBe('UPSTREAM_UNAVAILABLE');
    const hit = await tr(h, single(cachedText));
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    const batchHit = await tr(h, { text: cachedBatch, target_language: 'fr', source_language: 'en' });
    expect(batchHit.status).toBe(200);
    // documented: a batch body has no per-item error, so a batch that needs the origin fails whole
    const mixed = await tr(h, { text: [cachedText, `new ${unique()}`], target_language: 'fr', source_language: 'en' });
    expect(mixed.status).toBe(503);
    expect((await errorOf(mixed)).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('an origin overloaded everywhere passes OVERLOADED 503 with the origin’s Retry-After', async () => {
    const h = harness();
    h.origins.a!.knobs.status = 503;
    h.origins.a!.knobs.errorCode = 'OVERLOADED';
    h.origins.a!.knobs.retryAfter = 7;
    const response = await tr(h, single());
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect((await errorOf(response)).code).toBe('OVERLOADED');
  });

  it('an origin 4xx envelope is passed through with its code', async () => {
    const h = harness();
    h.origins.a!.knobs.status = 400;
    h.origins.a!.knobs.errorCode = 'TEXT_TOO_LONG';
    const response = await tr(h, single());
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.code).toBe('TEXT_TOO_LONG');
    expect(body.request_id).toBe(response.headers.get('x-request-id'));
    // and it does not count against the origin's health
    expect((await health(h)).origins[0]!.consecutive_failures).toBe(0);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, fails fast with the wait as Retry-After, probes /health half-open on a doubling backoff, closes on success', async () => {
    const h = harness({ vars: { CIRCUIT_FAILURE_THRESHOLD: '3', CIRCUIT_COOLDOWN_MS: '6000' } });
    h.downSlowly.add('a'); // a hung host: each probe fails slowly, so the wait doubles
    for (let i = 0; i < 3; i++) expect((await tr(h, single())).status).toBe(503);
    expect((await health(h)).origins[0]).toMatchObject({ circuit: 'open', consecutive_failures: 3 });
    expect((await health(h)).status).toBe('unavailable');
    const calls = h.fetched.length;
    h.clock.advance(400);
    const fast = await tr(h, single());
    expect(fast.status).toBe(503);
    expect(fast.headers.get('retry-after')).toBe('1'); // the first wait is FIRST_PROBE_AFTER_MS
    expect(h.fetched.length).toBe(calls); // not even tried
    // Each wait over: one probe (GET /health, not the client's request) fails → open again, twice as long, up to the cool-down.
    for (const wait of [1000, 2000, 4000, 6000]) {
      h.clock.advance(wait);
      expect((await health(h)).origins[0]!.circuit).toBe('half_open');
      const before = h.fetched.length;
      const probed = await tr(h, single());
      expect(probed.status).toBe(503);
      expect(h.fetched.slice(before)).toEqual(['http://a.origin.test/health']);
      expect(probed.headers.get('retry-after')).toBe(String(Math.min(6000, wait * 2) / 1000));
      expect((await health(h)).origins[0]!.circuit).toBe('open');
    }
    expect(h.origins.a!.calls.translate).toBe(0);
    // The origin recovers; after the wait the probe succeeds, the request goes through and the circuit closes.
    h.downSlowly.delete('a');
    h.clock.advance(6000);
    const before = h.fetched.length;
    expect((await tr(h, single())).status).toBe(200);
    expect(h.fetched.slice(before)).toEqual(['http://a.origin.test/health', 'http://a.origin.test/api/v1/translate']);
    const state = (await health(h)).origins[0]!;
    expect(state).toMatchObject({ circuit: 'closed', consecutive_failures: 0, last_error: null });
    expect(state.last_latency_ms).not.toBeNull();
    expect((await tr(h, single())).status).toBe(200);
  });

  it('origin down → up: the first request after it is back (plus the first probe wait) is served, whatever the cool-down', async () => {
    const h = harness({ vars: { CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '30000' } });
    h.down.add('a');
    for (let i = 0; i < 2; i++) expect((await tr(h, single())).status).toBe(503);
    h.down.delete('a'); // the container is back at once (a restart)
    h.clock.advance(999);
    expect((await tr(h, single())).status).toBe(503); // still waiting: 1 ms to go
    h.clock.advance(1);
    expect((await tr(h, single())).status).toBe(200);
    expect((await health(h)).origins[0]).toMatchObject({ circuit: 'closed', consecutive_failures: 0 });
  });

  it('after a success the backoff starts again from its first step; failures in flight when it opened do not lengthen it', () => {
    const clock = new FakeClock(0);
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000 }, clock);
    breaker.onFailure();
    breaker.onFailure(); // a second call that was in flight
    expect(breaker.cooldownRemainingMs()).toBe(FIRST_PROBE_AFTER_MS);
    clock.advance(FIRST_PROBE_AFTER_MS);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.probing).toBe(true);
    breaker.onFailure();
    expect(breaker.cooldownRemainingMs()).toBe(2 * FIRST_PROBE_AFTER_MS);
    clock.advance(2 * FIRST_PROBE_AFTER_MS);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onSuccess();
    expect(breaker.probing).toBe(false);
    breaker.onFailure();
    expect(breaker.cooldownRemainingMs()).toBe(FIRST_PROBE_AFTER_MS);
  });

  it('a probe refused at once (a restarting container) keeps the first, shortest wait; a slow one doubles it', () => {
    const clock = new FakeClock(0);
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000 }, clock);
    breaker.onFailure();
    for (let probe = 0; probe < 3; probe++) {
      clock.advance(FIRST_PROBE_AFTER_MS);
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure(CHEAP_FAILURE_MS); // connection refused: cost the request nothing
      expect(breaker.cooldownRemainingMs()).toBe(FIRST_PROBE_AFTER_MS);
    }
    clock.advance(FIRST_PROBE_AFTER_MS);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure(CHEAP_FAILURE_MS + 1); // ran into the probe's timeout: back off
    expect(breaker.cooldownRemainingMs()).toBe(2 * FIRST_PROBE_AFTER_MS);
  });

  it('while the origin is down every 503 is the JSON envelope with Retry-After', async () => {
    const h = harness({ vars: { CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '4000' } });
    h.down.add('a');
    for (let i = 0; i < 30; i++) {
      const response = await tr(h, single());
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await errorOf(response)).code).toBe('UPSTREAM_UNAVAILABLE');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      h.clock.advance(250);
    }
  });

  it('half-open admits exactly one probe at a time', () => {
    const clock = new FakeClock(0);
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000 }, clock);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.circuit).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.onSuccess();
    expect(breaker.circuit).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('GET /health matches EdgeHealthResponseSchema', async () => {
    const h = harness({ origins: ['a', 'b'] });
    h.down.add('b');
    await tr(h, single());
    await tr(h, single());
    const body = EdgeHealthResponseSchema.parse(await adminHealth(h));
    expect(body.details?.origins).toHaveLength(2);
    expect(body.details!.origins[1]!.consecutive_failures).toBeGreaterThanOrEqual(1);
    expect(body.details!.origins[0]!.last_latency_ms).not.toBeNull();
  });
});

describe('garbage', () => {
  it.each([
    ['HTML instead of JSON', (h: Harness) => void (h.origins.a!.knobs.garbage = true)],
    ['a result of another target language', (h: Harness) => {
      const logic = h.origins.a!;
      const original = logic.handle.bind(logic);
      logic.handle = async (request, signal) => {
        const response = await original(request, signal);
        const body = (await response.json()) as { results: Array<{ target_language: string }> };
        body.results[0]!.target_language = 'deu_Latn';
        return Response.json(body);
      };
    }],
    ['fewer results than texts', (h: Harness) => void (h.origins.a!.knobs.dropLastResult = true)],
    ['a 500 with an HTML page', (h: Harness) => {
      h.origins.a!.handle = async () => new Response('<h1>oops</h1>', { status: 500 });
    }],
  ])('%s → 502 UPSTREAM_UNAVAILABLE, nothing cached', async (_name, breakIt) => {
    const h = harness();
    breakIt(h);
    const body = single();
    const response = await tr(h, body);
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('UPSTREAM_UNAVAILABLE');
    // a well-behaved origin is asked again: nothing was cached
    const fresh = harness();
    const again = await tr(fresh, body);
    expect(again.headers.get('x-cache')).toBe('MISS');
  });
});

describe('detect-language', () => {
  it('goes to the origin, validated, with our request id', async () => {
    const h = harness();
    const response = await h.post('/api/v1/detect-language', { text: 'habari za asubuhi' }, { 'cf-connecting-ip': uniqueIp(), 'x-request-id': 'det-1' });
    expect(response.status).toBe(200);
    const body = DetectResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ detected_language: 'swh_Latn', request_id: 'det-1' });
    expect(h.origins.a!.received[0]!.body).toEqual({ text: 'habari za asubuhi', top_k: 3 });
  });

  it('garbage from the origin is a 502', async () => {
    const h = harness();
    h.origins.a!.knobs.garbage = true;
    expect((await h.post('/api/v1/detect-language', { text: 'hi' })).status).toBe(502);
  });

  it('LibreTranslate /detect maps confidence to 0-100 and FLORES to LibreTranslate codes', async () => {
    const h = harness();
    const response = await h.post('/detect', { q: 'bonjour mon ami' });
    expect(await response.json()).toEqual([
      { confidence: 91, language: 'fr' },
      { confidence: 4, language: 'en' },
    ]);
  });

  it('LibreTranslate /translate: auto source → detectedLanguage; arrays in, arrays out', async () => {
    const h = harness();
    const one = await h.post('/translate', { q: `sawubona ${unique()}`, source: 'auto', target: 'en', format: 'text' });
    const body = (await one.json()) as { translatedText: string; detectedLanguage: { confidence: number; language: string } };
    expect(body.translatedText.startsWith('[zul_Latn>eng_Latn]')).toBe(true);
    expect(body.detectedLanguage).toEqual({ confidence: 72, language: 'zu' });
    const many = await h.post('/translate', { q: [`hola ${unique()}`, `habari ${unique()}`], source: 'auto', target: 'fr' });
    const manyBody = (await many.json()) as { translatedText: string[]; detectedLanguage: Array<{ language: string }> };
    expect(manyBody.translatedText).toHaveLength(2);
    expect(manyBody.detectedLanguage.map((d) => d.language)).toEqual(['es', 'sw']);
    const explicit = (await (await h.post('/translate', { q: 'hello', source: 'en', target: 'sw' })).json()) as Record<string, unknown>;
    expect(explicit).toEqual({ translatedText: '[eng_Latn>swh_Latn] hello' });
  });
});

describe('the pool runs on the injected clock', () => {
  it('an HTTP-date Retry-After from the origin is measured against the edge clock, not the wall clock', async () => {
    // The edge clock is an hour behind the wall clock: measured against Date.now(), this date would
    // already be in the past (Retry-After 1); against the edge clock it is 30 s away.
    const now = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const overloaded = async () =>
      new Response(JSON.stringify({ error: { code: 'OVERLOADED', message: 'queue full', status: 503, request_id: 'r' } }), {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': new Date(now + 30_000).toUTCString() },
      });
    const h = harness({ deps: { fetch: overloaded } });
    h.clock.current = now;
    const response = await tr(h, single());
    expect(response.status).toBe(503);
    expect((await errorOf(response)).code).toBe('OVERLOADED');
    expect(response.headers.get('retry-after')).toBe('30');
  });

  it('the whole-call deadline is the edge clock’s: a call that starts past it is not sent again', async () => {
    const h = harness({ origins: ['a', 'b'], vars: { ORIGIN_TIMEOUT_MS: '1000' } });
    h.origins.a!.knobs.status = 503;
    // Origin a answers 503 "after" 2 s of edge time: the retry on b would start past the 1 s bound.
    const handle = h.origins.a!.handle.bind(h.origins.a!);
    h.origins.a!.handle = async (request, signal) => {
      h.clock.advance(2_000);
      return handle(request, signal);
    };
    const response = await tr(h, single());
    expect(response.status).toBe(504);
    expect((await errorOf(response)).code).toBe('UPSTREAM_TIMEOUT');
    expect(h.origins.b!.calls.total).toBe(0);
  });
});

describe('load shedding is not failure', () => {
  const overload = (h: Harness, name: string, retryAfter = 2) => {
    h.origins[name]!.knobs.status = 503;
    h.origins[name]!.knobs.errorCode = 'OVERLOADED';
    h.origins[name]!.knobs.retryAfter = retryAfter;
  };

  it('20 OVERLOADED answers in a row never open the circuit; the next normal request is served', async () => {
    const h = harness({ vars: { CIRCUIT_FAILURE_THRESHOLD: '3' } });
    overload(h, 'a');
    for (let i = 0; i < 20; i++) {
      const response = await tr(h, single());
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect((await errorOf(response)).code).toBe('OVERLOADED');
    }
    const state = await health(h);
    expect(state.origins[0]).toMatchObject({ circuit: 'closed', consecutive_failures: 0 });
    expect(state.status).toBe('ok');
    h.origins.a!.knobs.status = undefined;
    expect((await tr(h, single())).status).toBe(200);
    expect(h.origins.a!.calls.translate).toBe(21);
  });

  it('with two origins, an OVERLOADED one is skipped to the other, and its breaker is untouched', async () => {
    const h = harness({ origins: ['a', 'b'], vars: { CIRCUIT_FAILURE_THRESHOLD: '1' } });
    overload(h, 'a');
    for (let i = 0; i < 6; i++) expect((await tr(h, single())).status).toBe(200);
    expect(h.origins.b!.calls.translate).toBe(6);
    expect(h.origins.a!.calls.translate).toBe(3); // asked whenever the rotation started at a
    const state = await health(h);
    expect(state.origins[0]).toMatchObject({ circuit: 'closed', consecutive_failures: 0, last_error: 'HTTP 503 OVERLOADED' });
  });

  it('both origins shedding → the client gets OVERLOADED with the Retry-After of the last one asked', async () => {
    const h = harness({ origins: ['a', 'b'] });
    overload(h, 'a', 4);
    overload(h, 'b', 4);
    const response = await tr(h, single());
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('4');
    expect((await errorOf(response)).code).toBe('OVERLOADED');
    expect(h.origins.a!.calls.translate + h.origins.b!.calls.translate).toBe(2);
  });

  it('a 429 RATE_LIMITED from the container reaches the client with its Retry-After and is no failure', async () => {
    const h = harness({ vars: { CIRCUIT_FAILURE_THRESHOLD: '1' } });
    h.origins.a!.knobs.status = 429;
    h.origins.a!.knobs.retryAfter = 9;
    for (let i = 0; i < 3; i++) {
      const response = await tr(h, single());
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('9');
      expect((await errorOf(response)).code).toBe('RATE_LIMITED');
    }
    expect((await health(h)).origins[0]).toMatchObject({ circuit: 'closed', consecutive_failures: 0 });
  });

  it('a 429 from one container is skipped to the other', async () => {
    const h = harness({ origins: ['a', 'b'] });
    h.origins.a!.knobs.status = 429;
    for (let i = 0; i < 2; i++) expect((await tr(h, single())).status).toBe(200);
    expect(h.origins.b!.calls.translate).toBe(2);
  });

  it('a 5xx other than OVERLOADED still counts (MODEL_UNAVAILABLE opens the circuit)', async () => {
    const h = harness({ vars: { CIRCUIT_FAILURE_THRESHOLD: '2' } });
    h.origins.a!.knobs.status = 503;
    h.origins.a!.knobs.errorCode = 'MODEL_UNAVAILABLE';
    for (let i = 0; i < 2; i++) expect((await tr(h, single())).status).toBe(503);
    expect((await health(h)).origins[0]).toMatchObject({ circuit: 'open', consecutive_failures: 2 });
  });

  it('the first 503s after a container dies carry Retry-After (1 s before the circuit opens, then the wait until its probe)', async () => {
    const h = harness({ vars: { CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '8000' } });
    h.downSlowly.add('a'); // failing slowly, so a failed probe doubles the wait
    const first = await tr(h, single());
    expect(first.status).toBe(503);
    expect((await errorOf(first)).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(first.headers.get('retry-after')).toBe('1');
    const opening = await tr(h, single());
    expect(opening.status).toBe(503);
    expect(opening.headers.get('retry-after')).toBe('1');
    h.clock.advance(1_000);
    const probed = await tr(h, single()); // the probe fails: the next wait is 2 s
    expect(probed.status).toBe(503);
    expect(probed.headers.get('retry-after')).toBe('2');
    h.clock.advance(1_500);
    const open = await tr(h, single());
    expect(open.status).toBe(503);
    expect(open.headers.get('retry-after')).toBe('1');
  });
});

/** Polls (bounded) until `condition` holds: waiting on the fake origin, never on the wall clock. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

/** Waits until `count` requests have joined an origin call in flight (single-flight). */
async function joined(h: Harness, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await health(h)).metrics.single_flight_joins === count) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect((await health(h)).metrics.single_flight_joins).toBe(count);
}

describe('a client that goes away cancels its origin call', () => {
  // The origin timeout is far beyond every wait below, so only the client's abort can end a call.
  const vars = { ORIGIN_TIMEOUT_MS: '60000' };
  const started = (h: Harness, controller: AbortController, body: Record<string, unknown>) =>
    h
      .request('/api/v1/translate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
        body: JSON.stringify(body),
        signal: controller.signal,
      })
      .then(
        (response) => response.status,
        () => 'rejected' as const,
      );

  it('translate: the origin call is aborted, nothing is cached, the breaker is untouched', async () => {
    const h = harness({ vars: { ...vars, CIRCUIT_FAILURE_THRESHOLD: '1' } });
    h.origins.a!.knobs.delayMs = 30_000;
    const body = single();
    const client = new AbortController();
    const pending = started(h, client, body);
    await until(() => h.origins.a!.calls.translate === 1);
    const info = vi.spyOn(console, 'log').mockImplementation(() => {});
    client.abort();
    expect(await pending).not.toBe(200);
    await until(() => h.origins.a!.calls.aborted === 1);
    expect((await health(h)).origins[0]).toMatchObject({ circuit: 'closed', consecutive_failures: 0 });
    // Logged as the client closing (499 CLIENT_CLOSED, info), never as an upstream failure.
    const lines = [...info.mock.calls, ...warn.mock.calls].map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
    info.mockRestore();
    expect(lines.filter((l) => l.event === 'client_closed')).toMatchObject([{ code: 'CLIENT_CLOSED', status: 499, path: '/api/v1/translate' }]);
    expect(lines.some((l) => l.event === 'request_failed')).toBe(false);
    h.origins.a!.knobs.delayMs = 0;
    const again = await tr(h, body);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-cache')).toBe('MISS');
  });

  it('detect: the origin call is aborted', async () => {
    const h = harness({ vars });
    h.origins.a!.knobs.delayMs = 30_000;
    const client = new AbortController();
    const pending = h
      .request('/api/v1/detect-language', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueIp() },
        body: JSON.stringify({ text: 'habari yako' }),
        signal: client.signal,
      })
      .catch(() => undefined);
    await until(() => h.origins.a!.calls.detect === 1);
    client.abort();
    await pending;
    await until(() => h.origins.a!.calls.aborted === 1);
  });

  it('a joined call survives while one waiter remains; the waiter that stays is served and the answer cached', async () => {
    const h = harness({ vars });
    h.origins.a!.knobs.delayMs = 300;
    const body = single();
    const leaver = new AbortController();
    const stayer = new AbortController();
    const left = started(h, leaver, body);
    await until(() => h.origins.a!.calls.translate === 1);
    const stays = started(h, stayer, body);
    await joined(h, 1);
    leaver.abort();
    expect(await left).not.toBe(200);
    expect(await stays).toBe(200);
    expect(h.origins.a!.calls).toMatchObject({ translate: 1, aborted: 0 });
    expect((await tr(h, body)).headers.get('x-cache')).toBe('HIT');
  });

  it('a joiner leaving first does not cancel the call; the owner leaving last does', async () => {
    const h = harness({ vars });
    h.origins.a!.knobs.delayMs = 30_000;
    const body = single();
    const owner = new AbortController();
    const joiner = new AbortController();
    const first = started(h, owner, body);
    await until(() => h.origins.a!.calls.translate === 1);
    const second = started(h, joiner, body);
    await joined(h, 1);
    joiner.abort();
    expect(await second).not.toBe(200);
    expect(h.origins.a!.calls.aborted).toBe(0);
    owner.abort();
    await until(() => h.origins.a!.calls.aborted === 1);
    expect(await first).not.toBe(200);
  });

  it('a joined call is aborted when every waiter has left', async () => {
    const h = harness({ vars });
    h.origins.a!.knobs.delayMs = 30_000;
    const body = single();
    const first = new AbortController();
    const second = new AbortController();
    const one = started(h, first, body);
    await until(() => h.origins.a!.calls.translate === 1);
    const two = started(h, second, body);
    await joined(h, 1);
    // Leaving is handled synchronously in the abort event (then microtasks): one macrotask later the
    // call would already be cancelled if the first waiter's leaving had cancelled it.
    first.abort();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.origins.a!.calls.aborted).toBe(0);
    second.abort();
    await until(() => h.origins.a!.calls.aborted === 1);
    // (the first request's response waits for the call it started: ctx.waitUntil holds its write-back)
    expect(await Promise.all([one, two])).not.toContain(200);
    expect(h.origins.a!.calls.translate).toBe(1);
  });
});
