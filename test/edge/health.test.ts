import { describe, expect, it, vi } from 'vitest';
import { EdgeHealthResponseSchema } from '../../shared/contract/health.js';
import { harness, unique, uniqueIp, type Harness } from './harness.js';

const ADMIN_TOKEN = 'health-admin-token-0123456789abcdef';

const getHealth = async (h: Harness, authorization?: string) => {
  const response = await h.request('/health', authorization === undefined ? {} : { headers: { authorization } });
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, body: EdgeHealthResponseSchema.parse(JSON.parse(text)), response };
};

/** Two origins, `b` down and failed at least once, so there is a URL and an error string to leak. */
async function withFailingOrigin(vars: Record<string, string> = {}): Promise<Harness> {
  const h = harness({ origins: ['a', 'b'], vars });
  h.down.add('b');
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  for (let i = 0; i < 2; i++) await h.post('/api/v1/translate', { text: `hello ${unique()}`, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp() });
  vi.restoreAllMocks();
  return h;
}

describe('public GET /health reveals nothing internal', () => {
  it('says the status and the counts, without origin URLs, error strings or counters', async () => {
    const h = await withFailingOrigin({ ADMIN_TOKEN });
    const { body, text, response } = await getHealth(h);
    expect(body.status).toBe('ok'); // one failure does not open b's circuit (threshold 3)
    expect(body.origins).toEqual({ total: 2, healthy: 2 });
    expect(body.details).toBeUndefined();
    expect(text).not.toContain('origin.test');
    expect(text).not.toMatch(/unreachable|timeout|HTTP \d/);
    expect(text).not.toContain('metrics');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('counts unhealthy origins and says degraded / unavailable', async () => {
    const h = harness({ origins: ['a', 'b'], vars: { CIRCUIT_FAILURE_THRESHOLD: '1' } });
    h.down.add('b');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await h.post('/api/v1/translate', { text: `x ${unique()}`, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp() });
    await h.post('/api/v1/translate', { text: `x ${unique()}`, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp() });
    const degraded = (await getHealth(h)).body;
    expect(degraded.origins).toEqual({ total: 2, healthy: 1 });
    expect(degraded.status).toBe('degraded');
    h.down.add('a');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await h.post('/api/v1/translate', { text: `x ${unique()}`, target_language: 'fr', source_language: 'en' }, { 'cf-connecting-ip': uniqueIp() });
    vi.restoreAllMocks();
    const down = (await getHealth(h)).body;
    expect(down.origins).toEqual({ total: 2, healthy: 0 });
    expect(down.status).toBe('unavailable');
  });
});

describe('GET /health details need Authorization: Bearer <ADMIN_TOKEN>', () => {
  it('the admin token shows each origin and the counters', async () => {
    const h = await withFailingOrigin({ ADMIN_TOKEN });
    const { body, response } = await getHealth(h, `Bearer ${ADMIN_TOKEN}`);
    expect(body.details!.origins.map((origin) => origin.url)).toEqual(['http://a.origin.test', 'http://b.origin.test']);
    expect(body.details!.origins[1]!.consecutive_failures).toBeGreaterThanOrEqual(1);
    expect(body.details!.origins[1]!.last_error).toMatch(/unreachable/);
    expect(body.details!.metrics).toHaveProperty('rate_limiter_failures', 0);
    expect(response.headers.get('vary')).toMatch(/authorization/i);
  });

  it.each([
    ['a wrong token', 'Bearer not-the-admin-token-at-all'],
    ['the token without Bearer', ADMIN_TOKEN],
    ['a token that only starts alike', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
  ])('%s gets the public view', async (_name, authorization) => {
    const h = await withFailingOrigin({ ADMIN_TOKEN });
    expect((await getHealth(h, authorization)).body.details).toBeUndefined();
  });

  it('without ADMIN_TOKEN configured, details are never shown', async () => {
    const h = await withFailingOrigin();
    for (const authorization of [`Bearer ${ADMIN_TOKEN}`, 'Bearer undefined', 'Bearer ']) {
      expect((await getHealth(h, authorization)).body.details).toBeUndefined();
    }
  });

  it('a short ADMIN_TOKEN is a configuration error, like a short shared secret', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const h = harness({ vars: { ADMIN_TOKEN: 'short' } });
    const response = await h.request('/health');
    vi.restoreAllMocks();
    expect(response.status).toBe(500);
  });
});
