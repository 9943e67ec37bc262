import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../../shared/contract/index.js';
import { validateTranslateRequest } from '../../../shared/contract/validate.js';
import { estimateCost } from '../../../shared/cost.js';
import { resolveLimits } from '../../../shared/limits.js';
import { Hono } from 'hono';
import { requireSecret } from '../../../inference/http/auth.js';
import type { AppError } from '../../../shared/errors.js';
import { CLIENT_KEY_HEADER, clientKey } from '../../../inference/http/client-key.js';
import { createTestContainer, json } from '../../support/container.js';

const SECRET = 'edge-secret-0123456789abcdef';

describe('edge shared secret', () => {
  let container: Awaited<ReturnType<typeof createTestContainer>>;
  afterAll(() => container?.close(1000));

  it('refuses non-health routes without the right secret and lets /health through', async () => {
    container = await createTestContainer({ EDGE_SHARED_SECRET: SECRET });
    const body = json({ text: 'hello', source_language: 'en', target_language: 'sw' });
    const attempts: Record<string, string>[] = [{}, { 'x-sema-edge-secret': 'wrong' }, { 'x-sema-edge-secret': `${SECRET}x` }];
    for (const headers of attempts) {
      const res = await container.app.request('/api/v1/translate', { ...body, headers: { ...(body.headers as Record<string, string>), ...headers } });
      expect(res.status).toBe(401);
      expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('UNAUTHORIZED');
    }
    expect((await container.app.request('/status')).status).toBe(401);
    expect((await container.app.request('/health')).status).toBe(200);
    const ok = await container.app.request('/api/v1/translate', json({ text: 'hello', source_language: 'en', target_language: 'sw' }, { 'x-sema-edge-secret': SECRET }));
    expect(ok.status).toBe(200);
  });
});

describe('standalone rate limit over a real socket', () => {
  let server: ServerType | undefined;
  let container: Awaited<ReturnType<typeof createTestContainer>>;
  afterAll(async () => {
    server?.close();
    await container?.close(1000);
  });

  async function listen(env: Record<string, string>): Promise<string> {
    container = await createTestContainer(env);
    return new Promise((resolve) => {
      server = serve({ fetch: container.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
  }

  const rateLimited = async (base: string): Promise<number> => {
    const line = (await (await fetch(`${base}/metrics`)).text()).split('\n').find((l) => l.startsWith('sema_rate_limited_total '));
    return Number(line?.split(' ')[1]);
  };

  it('refuses the request past the limit with 429 and Retry-After; a spoofed X-Forwarded-For does not help', async () => {
    const base = await listen({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_WINDOW_SECONDS: '30' });
    const detect = (headers: Record<string, string> = {}) => fetch(`${base}/api/v1/detect-language`, json({ text: 'hello world' }, headers));
    for (let i = 0; i < 5; i++) {
      const res = await detect();
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(4 - i));
      // Both budgets, with the configured window, in the edge's syntax (shared/ratelimit/headers.ts).
      expect(res.headers.get('ratelimit-policy')).toBe('"requests";q=5;qu="requests";w=30, "cost";q=20000;qu="work-units";w=30');
    }
    expect(await rateLimited(base)).toBe(0);
    const refused = await detect();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const error = ErrorBodySchema.parse(await refused.json()).error;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ budget: 'requests', limit: 5, window_seconds: 30 });
    expect(await rateLimited(base)).toBe(1); // one 429, counted once
    expect((await detect({ 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    expect(await rateLimited(base)).toBe(2);
    // liveness and metadata are not counted
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/languages/sw`)).status).toBe(200);
  });

  it('charges translations their estimated work: past the cost budget a client gets 429 with details.budget "cost"', async () => {
    const text = 'The teacher reads a long story to the children every morning.';
    const request = { text: [text, text], source_language: 'en', target_language: 'sw', options: { beam_size: 2 } };
    // The same number the edge charges (shared/cost.ts), for the validated request.
    const cost = estimateCost(validateTranslateRequest(request, resolveLimits({})));
    expect(cost).toBeGreaterThan(2);
    const base = await listen({ RATE_LIMIT_PER_MINUTE: '100', COST_BUDGET_PER_MINUTE: String(cost * 2), RATE_LIMIT_WINDOW_SECONDS: '60' });
    const translate = () => fetch(`${base}/api/v1/translate`, json(request));
    for (let i = 0; i < 2; i++) {
      const res = await translate();
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBe(`"cost";r=${cost * (1 - i)};t=60`);
    }
    const refused = await translate();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const error = ErrorBodySchema.parse(await refused.json()).error;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ budget: 'cost', limit: cost * 2, request_cost: cost });
    // A body the validator refuses costs no work: it keeps its own error (not a 429).
    const bad = await fetch(`${base}/api/v1/translate`, json({ text: text, target_language: 'xx_Nope' }));
    expect(bad.status).toBe(400);
  });
});

describe('client key (the fair scheduler\'s and the standalone limiter\'s key)', () => {
  function app(secret: string | undefined, trustProxyHops = 0) {
    const a = new Hono();
    a.use(requireSecret(secret));
    a.use(clientKey({ behindEdge: secret !== undefined, trustProxyHops }));
    a.get('/key', (c) => c.text(c.get('clientKey')));
    a.onError((err, c) => c.text((err as AppError).code, (err as AppError).status));
    return a;
  }
  const keyOf = async (a: Hono, headers: Record<string, string>) => (await a.request('/key', { headers })).text();

  it("behind the edge: the edge's client key, else the client IP it forwarded; only with the secret", async () => {
    const edge = app(SECRET);
    expect(await keyOf(edge, { 'x-sema-edge-secret': SECRET, [CLIENT_KEY_HEADER]: 'key:abc', 'x-sema-client-ip': '198.51.100.1' })).toBe('key:abc');
    expect(await keyOf(edge, { 'x-sema-edge-secret': SECRET, 'x-sema-client-ip': '198.51.100.1' })).toBe('ip:198.51.100.1');
    expect(await keyOf(edge, { 'x-sema-edge-secret': SECRET, [CLIENT_KEY_HEADER]: 'k'.repeat(500) })).toHaveLength(128);
    expect((await edge.request('/key', { headers: { [CLIENT_KEY_HEADER]: 'key:abc' } })).status).toBe(401);
  });

  it("standalone: the client IP; the edge's headers and an untrusted X-Forwarded-For are ignored", async () => {
    const spoofed = { [CLIENT_KEY_HEADER]: 'key:abc', 'x-sema-client-ip': '198.51.100.1', 'x-forwarded-for': '203.0.113.7' };
    expect(await keyOf(app(undefined), spoofed)).toBe('ip:unknown'); // in-process: no socket
    expect(await keyOf(app(undefined, 1), spoofed)).toBe('ip:203.0.113.7');
  });
});
