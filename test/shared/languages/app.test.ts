import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBodySchema } from '../../../shared/contract/common.js';
import {
  LanguageListSchema,
  LanguageSchema,
  LanguageSearchResponseSchema,
  LanguageStatsSchema,
  REGIONS,
} from '../../../shared/contract/languages.js';
import { errorResponse } from '../../../shared/errors.js';
import { LANGUAGES, createLanguagesApp, languageRoutes } from '../../../shared/languages/index.js';

/** The sub-app mounted as the edge mounts it, with a tiny error handler that renders the envelope. */
function testApp() {
  const app = new OpenAPIHono();
  app.onError((err) => errorResponse(err, 'test-request'));
  app.route('/api/v1', createLanguagesApp());
  return app;
}

const app = testApp();
const get = (path: string, headers: Record<string, string> = {}) => app.request(`/api/v1${path}`, { headers });

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = ErrorBodySchema.parse(await response.json());
  expect(body.error.code).toBe(code);
  expect(body.error.status).toBe(status);
  expect(body.error.request_id).toBe('test-request');
  return body.error;
}

describe('languages sub-app', () => {
  it('lists all 202 languages in tokenizer order with cache headers', async () => {
    const response = await get('/languages');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600, stale-while-revalidate=86400');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{16}-[0-9a-f]+"$/);
    const body = LanguageListSchema.parse(await response.json());
    expect(body.count).toBe(202);
    expect(body.languages.map((language) => language.code)).toEqual(LANGUAGES.map((language) => language.code));
  });

  it('serves the popular and African lists', async () => {
    const popular = LanguageListSchema.parse(await (await get('/languages/popular')).json());
    expect(popular.languages.every((language) => language.popular)).toBe(true);
    expect(popular.count).toBe(LANGUAGES.filter((language) => language.popular).length);
    const african = LanguageListSchema.parse(await (await get('/languages/african')).json());
    expect(african.languages.every((language) => language.african)).toBe(true);
    expect(african.languages.map((language) => language.code)).toContain('zul_Latn');
    expect(african.count).toBe(LANGUAGES.filter((language) => language.african).length);
  });

  it('serves a region case-insensitively, slugs included', async () => {
    for (const region of REGIONS) {
      const body = LanguageListSchema.parse(await (await get(`/languages/region/${encodeURIComponent(region)}`)).json());
      expect(body.languages.every((language) => language.region === region), region).toBe(true);
    }
    const slug = await get('/languages/region/middle-east');
    expect(slug.status).toBe(200);
    const middleEast = LanguageListSchema.parse(await slug.json());
    expect(middleEast.languages.map((language) => language.code)).toContain('arb_Arab');
    const upper = await get('/languages/region/AFRICA');
    expect(upper.headers.get('etag')).toBe((await get('/languages/region/africa')).headers.get('etag'));
  });

  it('refuses an unknown region with 400 VALIDATION_FAILED listing the regions', async () => {
    const error = await expectError(await get('/languages/region/atlantis'), 400, 'VALIDATION_FAILED');
    expect(error.message).toContain('Middle East');
    expect(error.details).toEqual({ field: 'region', allowed: [...REGIONS] });
  });

  it('searches, trimming q and honouring limit', async () => {
    const response = await get('/languages/search?q=%20yoruba%20');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeTruthy();
    const body = LanguageSearchResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ query: 'yoruba', count: 1 });
    expect(body.results[0]?.code).toBe('yor_Latn');
    const limited = LanguageSearchResponseSchema.parse(await (await get('/languages/search?q=arabic&limit=2')).json());
    expect(limited.count).toBe(2);
    const none = LanguageSearchResponseSchema.parse(await (await get('/languages/search?q=zzzz')).json());
    expect(none).toEqual({ query: 'zzzz', results: [], count: 0 });
  });

  it('refuses a search without a usable q or with a bad limit', async () => {
    await expectError(await get('/languages/search?q=a'), 400, 'VALIDATION_FAILED');
    await expectError(await get('/languages/search?q=%20%20a%20%20'), 400, 'VALIDATION_FAILED');
    await expectError(await get('/languages/search'), 400, 'VALIDATION_FAILED');
    const limit = await expectError(await get('/languages/search?q=sw&limit=0'), 400, 'VALIDATION_FAILED');
    expect(limit.message).toMatch(/limit/);
    await expectError(await get('/languages/search?q=sw&limit=abc'), 400, 'VALIDATION_FAILED');
  });

  it('serves stats that sum to 202', async () => {
    const body = LanguageStatsSchema.parse(await (await get('/languages/stats')).json());
    expect(body.total).toBe(202);
    expect(Object.values(body.by_region).reduce((a, b) => a + b, 0)).toBe(202);
    expect(Object.values(body.by_script).reduce((a, b) => a + b, 0)).toBe(202);
  });

  it('serves one language by any accepted code form', async () => {
    const canonical = await get('/languages/swh_Latn');
    expect(canonical.status).toBe(200);
    const body = LanguageSchema.parse(await canonical.json());
    expect(body).toMatchObject({ code: 'swh_Latn', name: 'Swahili', native_name: 'Kiswahili', iso_639_1: 'sw' });
    for (const form of ['sw', 'swh', 'swa', 'SWH_latn']) {
      const response = await get(`/languages/${form}`);
      expect(response.status, form).toBe(200);
      expect(response.headers.get('etag'), form).toBe(canonical.headers.get('etag'));
    }
    const traditional = LanguageSchema.parse(await (await get('/languages/zh-TW')).json());
    expect(traditional.code).toBe('zho_Hant');
  });

  it('answers an unknown code with 404 UNSUPPORTED_LANGUAGE and suggestions', async () => {
    const error = await expectError(await get('/languages/swahilli'), 404, 'UNSUPPORTED_LANGUAGE');
    expect(error.message).toContain('did you mean swh_Latn (Swahili)');
    expect(error.message).toBe("unsupported language code 'swahilli'; did you mean swh_Latn (Swahili)?");
    expect(error.details).toEqual({ code: 'swahilli', suggestions: ['swh_Latn'] });
  });

  it('answers If-None-Match with 304 (strong, weak, lists, *) and no body', async () => {
    for (const path of ['/languages', '/languages/popular', '/languages/african', '/languages/region/asia', '/languages/search?q=swa', '/languages/stats', '/languages/yor_Latn']) {
      const first = await get(path);
      const etag = first.headers.get('etag');
      expect(etag, path).toBeTruthy();
      for (const header of [etag!, `W/${etag}`, `"nope", ${etag}`, '*']) {
        const again = await get(path, { 'If-None-Match': header });
        expect(again.status, `${path} ${header}`).toBe(304);
        expect(again.headers.get('etag')).toBe(etag);
        expect(again.headers.get('cache-control')).toBe('public, max-age=3600, stale-while-revalidate=86400');
        expect(await again.text()).toBe('');
      }
      const stale = await get(path, { 'If-None-Match': '"0000000000000000-1"' });
      expect(stale.status).toBe(200);
      expect(await stale.text()).toBe(await first.text());
    }
  });

  it('gives different bodies different ETags', async () => {
    const tags = new Set<string | null>();
    for (const path of ['/languages', '/languages/popular', '/languages/african', '/languages/stats', '/languages/sw', '/languages/yo']) {
      tags.add((await get(path)).headers.get('etag'));
    }
    expect(tags.size).toBe(6);
  });

  it('leaves errors to the mounting app: no handler of its own', async () => {
    const bare = new OpenAPIHono();
    bare.route('/api/v1', createLanguagesApp());
    // Hono's default handler logs a thrown error and renders a plain 500; ours must not intercept it
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect((await bare.request('/api/v1/languages/nope')).status).toBe(500);
      expect((await bare.request('/api/v1/languages/search?q=a')).status).toBe(500);
    } finally {
      log.mockRestore();
    }
  });

  it('puts its routes into the mounting app\'s OpenAPI document', () => {
    const doc = app.getOpenAPIDocument({ openapi: '3.0.3', info: { title: 'test', version: '1' } });
    const paths = Object.keys(doc.paths ?? {});
    for (const route of languageRoutes) expect(paths).toContain(`/api/v1${route.path}`);
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(expect.arrayContaining(['Language', 'LanguageList', 'LanguageStats']));
    expect(doc.paths?.['/api/v1/languages/{code}']?.get?.responses).toHaveProperty('404');
  });
});
