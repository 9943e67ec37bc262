import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/languages/index.js';
import { bcp47 } from '../../edge/playground/languages.js';

const get = (path: string) => SELF.fetch(`https://edge.test${path}`);

describe('the playground pages (served by the edge alone: SELF has no reachable origin)', () => {
  it('GET / links to the playground and to the API docs', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('href="/playground"');
    expect(page).toContain('href="/docs"');
  });

  it('GET /playground embeds every language, African ones first, and loads nothing from elsewhere', async () => {
    const response = await get('/playground');
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const page = await response.text();
    const json = /<script id="languages-data" type="application\/json">([^<]*)<\/script>/.exec(page)?.[1];
    const languages = JSON.parse(json!) as { code: string; african: boolean; lang: string; native: string }[];
    expect(languages.map((language) => language.code).sort()).toEqual(LANGUAGES.map((language) => language.code).sort());
    const firstOther = languages.findIndex((language) => !language.african);
    expect(languages.slice(0, firstOther).length).toBe(LANGUAGES.filter((language) => language.african).length);
    expect(languages.slice(firstOther).every((language) => !language.african)).toBe(true);
    // No external script, stylesheet, font or image.
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    // Every form control has a label.
    for (const id of ['source', 'target', 'text', 'file']) expect(page).toContain(`for="${id}"`);
    expect(page).toContain('<html lang="en">');
  });

  it('serves its script and stylesheet with their types', async () => {
    const script = await get('/playground/app.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const source = await script.text();
    expect(source).toContain("fetch('/api/v1/translate'");
    expect(() => new Function(source)).not.toThrow(); // it parses
    const css = await get('/playground/app.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('@media (max-width: 640px)');
  });

  it('tags translated text with the BCP 47 tag of its language', () => {
    expect(bcp47('swh_Latn')).toBe('sw-Latn');
    expect(bcp47('ary_Arab')).toBe('ary-Arab');
    expect(bcp47('zho_Hant')).toBe('zh-Hant');
  });
});
