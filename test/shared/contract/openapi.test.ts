import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../shared/contract/index.js';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument({ service: 'edge', serverUrl: 'https://api.example.org' });

  it('is OpenAPI 3 and lists every route of the contract', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths ?? {});
    for (const path of [
      '/api/v1/translate', '/api/v1/detect-language', '/health', '/status', '/translate', '/detect', '/languages',
      '/api/v1/languages', '/api/v1/languages/popular', '/api/v1/languages/african', '/api/v1/languages/stats',
      '/api/v1/languages/search', '/api/v1/languages/region/{region}', '/api/v1/languages/{code}',
    ]) {
      expect(paths, path).toContain(path);
    }
  });

  it('describes the request bodies and the error envelope from the zod schemas', () => {
    const schemas = doc.components?.schemas ?? {};
    for (const name of ['TranslateRequest', 'TranslationResult', 'BatchTranslationResponse', 'DetectResponse', 'Language', 'Error']) {
      expect(Object.keys(schemas), name).toContain(name);
    }
    const translate = doc.paths?.['/api/v1/translate']?.post;
    expect(Object.keys(translate?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '413', '429', '503', '504']));
  });
});
