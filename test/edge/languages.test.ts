import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LtLanguagesResponseSchema } from '../../shared/contract/libretranslate.js';
import { LANGUAGE_CODES } from '../../shared/languages/index.js';
import { harness } from './harness.js';

/**
 * Language metadata is answered entirely at the edge. SELF's ORIGIN_URLS points at a port where nothing
 * listens (vitest.config.ts), and the harness counts every origin fetch: both prove these routes never
 * reach the container.
 */
const PATHS = [
  '/api/v1/languages',
  '/api/v1/languages/popular',
  '/api/v1/languages/african',
  '/api/v1/languages/region/Africa',
  '/api/v1/languages/search?q=swa',
  '/api/v1/languages/stats',
  '/api/v1/languages/swh_Latn',
  '/api/v1/languages/sw',
  '/languages',
];

describe('language routes answer without any origin', () => {
  it.each(PATHS)('GET %s → 200 via the default export (origin unreachable)', async (path) => {
    const response = await SELF.fetch(`https://edge.test${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    await response.json();
  });

  it('no origin is ever fetched for them (injected fetch counts zero calls)', async () => {
    const h = harness();
    for (const path of PATHS) expect((await h.request(path)).status).toBe(200);
    expect(h.fetched).toEqual([]);
    expect(h.origins.a!.calls.total).toBe(0);
  });

  it('ETag and Cache-Control come from the languages app; If-None-Match → 304', async () => {
    const first = await SELF.fetch('https://edge.test/api/v1/languages/african');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toContain('public');
    const again = await SELF.fetch('https://edge.test/api/v1/languages/african', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('x-request-id')).toBeTruthy();
  });

  it('an unknown language is a 404 UNSUPPORTED_LANGUAGE in the shared envelope', async () => {
    const response = await SELF.fetch('https://edge.test/api/v1/languages/xx_Nope', { headers: { 'x-request-id': 'lang-404' } });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; request_id: string } };
    expect(body.error.code).toBe('UNSUPPORTED_LANGUAGE');
    expect(body.error.request_id).toBe('lang-404');
  });

  it('a too-short search is a VALIDATION_FAILED envelope, not a 500', async () => {
    const response = await SELF.fetch('https://edge.test/api/v1/languages/search?q=s');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('LibreTranslate GET /languages lists every language with its LT code and all other codes as targets', async () => {
    const response = await SELF.fetch('https://edge.test/languages');
    const list = LtLanguagesResponseSchema.parse(await response.json());
    expect(list).toHaveLength(LANGUAGE_CODES.length);
    const swahili = list.find((language) => language.code === 'sw');
    expect(swahili?.name).toBe('Swahili');
    expect(swahili?.targets).not.toContain('sw');
    expect(swahili?.targets).toContain('en');
    expect(swahili?.targets).toContain('zu');
    const codes = new Set(list.map((language) => language.code));
    expect(codes.size).toBe(list.length);
    for (const language of list) expect(language.targets.length).toBe(list.length - 1);
  });
});

describe('health', () => {
  it('GET /health reports the edge and each origin without calling them', async () => {
    const token = 'languages-tests-admin-token-012';
    const h = harness({ origins: ['a', 'b'], vars: { ADMIN_TOKEN: token } });
    const response = await h.request('/health', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; service: string; details: { origins: Array<{ url: string; circuit: string }> } };
    expect(body.service).toBe('edge');
    expect(body.status).toBe('ok');
    expect(body.details.origins.map((origin) => origin.url)).toEqual(['http://a.origin.test', 'http://b.origin.test']);
    expect(body.details.origins.every((origin) => origin.circuit === 'closed')).toBe(true);
    expect(h.fetched).toEqual([]);
  });
});
