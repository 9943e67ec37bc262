import type { Miniflare } from 'miniflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolvedKey } from '../../edge/cache/key.js';
import { FAKE_MODEL_ID, startFakeOrigin, type FakeOrigin } from '../support/fake-origin.js';
import { bundleWorker, startEdge } from './worker.js';

/**
 * Flow tests: the Worker as `wrangler deploy` bundles it, run by Miniflare's programmatic API, in
 * front of REAL fake origins (Node HTTP servers on 127.0.0.1) that count the calls they receive.
 */
let bundle: Awaited<ReturnType<typeof bundleWorker>>;
const running: Array<{ dispose(): Promise<void> }> = [];

beforeAll(async () => {
  bundle = await bundleWorker();
}, 120_000);

afterEach(async () => {
  while (running.length) await running.pop()!.dispose();
});

afterAll(async () => {
  await bundle?.dispose();
});

async function origin(): Promise<FakeOrigin> {
  const started = await startFakeOrigin();
  running.push({ dispose: () => started.close() });
  return started;
}

/** At least 16 characters: the edge, like the container, refuses a shorter secret at start. */
const FLOW_SECRET = 'flow-secret-0123456789';
/** Per-origin state is in /health's admin details (Authorization: Bearer ADMIN_TOKEN). */
const FLOW_ADMIN_TOKEN = 'flow-admin-token-0123456789';

type OriginDetails = { circuit: string; consecutive_failures: number; last_error: string | null };
async function health(mf: Miniflare): Promise<{ status: string; origins: OriginDetails[] }> {
  const response = await mf.dispatchFetch('http://edge.test/health', { headers: { authorization: `Bearer ${FLOW_ADMIN_TOKEN}` } });
  const body = (await response.json()) as { status: string; details: { origins: OriginDetails[] } };
  return { status: body.status, origins: body.details.origins };
}

async function edge(origins: FakeOrigin[], vars: Record<string, string> = {}): Promise<Miniflare> {
  const mf = await startEdge(bundle.scriptPath, {
    ORIGIN_URLS: origins.map((o) => o.url).join(','),
    MODEL_ID: FAKE_MODEL_ID,
    ORIGIN_TIMEOUT_MS: '1500',
    RATE_LIMIT_PER_MINUTE: '1000',
    EDGE_SHARED_SECRET: FLOW_SECRET,
    ADMIN_TOKEN: FLOW_ADMIN_TOKEN,
    ...vars,
  });
  running.push({ dispose: () => mf.dispose() });
  return mf;
}

let ipCounter = 0;
async function translate(mf: Miniflare, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await mf.dispatchFetch('http://edge.test/api/v1/translate', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `192.0.2.${(ipCounter++ % 250) + 1}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

/** Cache writes happen after the response (waitUntil): wait until KV holds the key, bounded. */
async function cached(mf: Miniflare, text: string, source = 'eng_Latn', target = 'fra_Latn'): Promise<void> {
  const kv = await mf.getKVNamespace('TRANSLATION_CACHE');
  const key = await resolvedKey({ model: FAKE_MODEL_ID, source, target, options: { beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text' }, text });
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if ((await kv.get(key)) !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`cache entry for ${JSON.stringify(text)} never appeared`);
}

describe('edge in front of a real origin', () => {
  it('translate: miss then hit, the origin counts one call', async () => {
    const a = await origin();
    a.logic.knobs.secret = FLOW_SECRET;
    const mf = await edge([a]);
    const body = { text: 'good morning friends', target_language: 'fr', source_language: 'en' };
    const first = await translate(mf, body, { 'x-request-id': 'flow-1' });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.body).toMatchObject({ translated_text: '[eng_Latn>fra_Latn] friends morning good', cached: false, request_id: 'flow-1' });
    expect(a.logic.received[0]!.headers['x-sema-edge-secret']).toBe(FLOW_SECRET);
    expect(a.logic.received[0]!.headers['x-sema-client-ip']).toMatch(/^192\.0\.2\./);
    await cached(mf, body.text);
    const second = await translate(mf, body);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.body).toMatchObject({ translated_text: first.body.translated_text, cached: true });
    expect(a.logic.calls.translate).toBe(1);
  });

  it('batch partial hit: only the misses reach the origin, in one request', async () => {
    const a = await origin();
    const mf = await edge([a]);
    await translate(mf, { text: 'second sentence', target_language: 'fr', source_language: 'en' });
    await cached(mf, 'second sentence');
    const response = await translate(mf, { text: ['first sentence', 'second sentence', 'third sentence'], target_language: 'fr', source_language: 'en' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('PARTIAL');
    expect(response.body.results.map((r: { cached: boolean }) => r.cached)).toEqual([false, true, false]);
    expect(a.logic.calls.translate).toBe(2);
    expect(a.logic.received[1]!.body).toEqual({ text: ['first sentence', 'third sentence'], target_language: 'fra_Latn', source_language: 'eng_Latn', options: { beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text' } });
  });

  it('origin killed: cached translations are still served, misses are 503', async () => {
    const a = await origin();
    const mf = await edge([a]);
    await translate(mf, { text: 'keep me', target_language: 'fr', source_language: 'en' });
    await cached(mf, 'keep me');
    await a.kill();
    const hit = await translate(mf, { text: 'keep me', target_language: 'fr', source_language: 'en' });
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    const miss = await translate(mf, { text: 'never seen', target_language: 'fr', source_language: 'en' });
    expect(miss.status).toBe(503);
    expect(miss.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await health(mf)).origins[0]!.consecutive_failures).toBeGreaterThanOrEqual(1);
    // and the languages routes never needed it
    expect((await mf.dispatchFetch('http://edge.test/api/v1/languages/african')).status).toBe(200);
  });

  it('failover between two origins, and recovery through a half-open probe', async () => {
    const a = await origin();
    const b = await origin();
    const mf = await edge([a, b], { CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '300' });
    await a.kill();
    for (let i = 0; i < 4; i++) {
      const response = await translate(mf, { text: `failover ${i}`, target_language: 'fr', source_language: 'en' });
      expect(response.status).toBe(200);
    }
    expect(b.logic.calls.translate).toBe(4);
    const down = await health(mf);
    expect(down.status).toBe('degraded');
    expect(down.origins[0]!.circuit).toBe('open');
    // a comes back; after its cool-down a probe reaches it and closes the circuit
    await a.restart();
    await new Promise((resolve) => setTimeout(resolve, 400));
    for (let i = 0; i < 4; i++) {
      expect((await translate(mf, { text: `recovered ${i}`, target_language: 'fr', source_language: 'en' })).status).toBe(200);
    }
    expect(a.logic.calls.translate).toBeGreaterThanOrEqual(1);
    const up = await health(mf);
    expect(up.status).toBe('ok');
  });

  it('a closed socket on one origin fails over to the other', async () => {
    const a = await origin();
    const b = await origin();
    a.logic.knobs.closeSocket = true;
    const mf = await edge([a, b]);
    for (let i = 0; i < 2; i++) expect((await translate(mf, { text: `drop ${i}`, target_language: 'fr', source_language: 'en' })).status).toBe(200);
    expect(b.logic.calls.translate).toBe(2);
  });

  it('timeout → 504 within the bound', async () => {
    const a = await origin();
    a.logic.knobs.delayMs = 8_000;
    const mf = await edge([a], { ORIGIN_TIMEOUT_MS: '500' });
    const started = Date.now();
    const response = await translate(mf, { text: 'slow', target_language: 'fr', source_language: 'en' });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('UPSTREAM_TIMEOUT');
    expect(elapsed).toBeLessThan(500 + 3_000);
  });

  it('garbage from the origin → 502 and nothing cached', async () => {
    const a = await origin();
    a.logic.knobs.garbage = true;
    const mf = await edge([a]);
    expect((await translate(mf, { text: 'junk', target_language: 'fr', source_language: 'en' })).status).toBe(502);
    a.logic.knobs.garbage = false;
    const again = await translate(mf, { text: 'junk', target_language: 'fr', source_language: 'en' });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-cache')).toBe('MISS');
  });

  it('concurrent identical misses from separate requests share one origin call (single-flight across request contexts)', async () => {
    const a = await origin();
    a.logic.knobs.delayMs = 300;
    const mf = await edge([a]);
    const body = { text: 'the same words at once', target_language: 'fr', source_language: 'en' };
    const responses = await Promise.all(Array.from({ length: 5 }, () => translate(mf, body)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(responses.map((r) => r.body.translated_text)).size).toBe(1);
    expect(a.logic.calls.translate).toBe(1);
  });

  it('concurrent requests of one client: exactly the limit is allowed', async () => {
    const a = await origin();
    const mf = await edge([a], { RATE_LIMIT_PER_MINUTE: '10' });
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) => translate(mf, { text: `burst ${i % 3}`, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': '198.51.100.77' })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('the rate limit (SQLite Durable Object) holds in the bundled Worker', async () => {
    const a = await origin();
    const mf = await edge([a], { RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await translate(mf, { text: 'limited', target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': '198.51.100.9', 'x-forwarded-for': `10.0.0.${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
