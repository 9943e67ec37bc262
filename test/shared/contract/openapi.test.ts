import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { detectRoute, openApiDocument, translateRoute } from '../../../shared/contract/index.js';
import { createLanguagesApp } from '../../../shared/languages/index.js';

const notServed = (): never => {
  throw new Error('this test only generates the document');
};

/** An app that registers two contract routes and the languages sub-app, as the real apps do. */
function app() {
  const a = new OpenAPIHono();
  a.openapi(translateRoute, notServed);
  a.openapi(detectRoute, notServed);
  a.route('/api/v1', createLanguagesApp());
  return a;
}

describe('OpenAPI document', () => {
  const doc = openApiDocument(app(), { service: 'edge', serverUrl: 'https://api.example.org' });

  it('is OpenAPI 3 and lists exactly the routes registered on the app', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual(
      [
        '/api/v1/translate', '/api/v1/detect-language',
        '/api/v1/languages', '/api/v1/languages/popular', '/api/v1/languages/african', '/api/v1/languages/stats',
        '/api/v1/languages/search', '/api/v1/languages/region/{region}', '/api/v1/languages/{code}',
      ].sort(),
    );
    expect(doc.servers).toEqual([{ url: 'https://api.example.org' }]);
    expect(doc.info.description).toContain('edge');
  });

  it('says which app serves it', () => {
    expect(openApiDocument(app(), { service: 'inference' }).info.description).toContain('inference container');
  });

  it('describes the request bodies and the error envelope from the zod schemas', () => {
    const schemas = doc.components?.schemas ?? {};
    for (const name of ['TranslateRequest', 'TranslationResult', 'BatchTranslationResponse', 'DetectResponse', 'Language', 'Error']) {
      expect(Object.keys(schemas), name).toContain(name);
    }
    const translate = doc.paths?.['/api/v1/translate']?.post;
    expect(translate?.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/TranslateRequest' } } } });
    expect(Object.keys(translate?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '413', '415', '429', '503', '504']));
  });
});
