import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../../shared/contract/index.js';
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
      expect(res.headers.get('ratelimit-policy')).toBe('5;w=30'); // the window is the configured one, as at the edge
    }
    expect(await rateLimited(base)).toBe(0);
    const refused = await detect();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    const error = ErrorBodySchema.parse(await refused.json()).error;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ limit: 5, window_seconds: 30 });
    expect(await rateLimited(base)).toBe(1); // one 429, counted once
    expect((await detect({ 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    expect(await rateLimited(base)).toBe(2);
    // liveness and metadata are not counted
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/languages/sw`)).status).toBe(200);
  });
});
