import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LANGUAGE_CODES,
  resolveLanguageCode,
  searchLanguages,
  suggestLanguageCodes,
  unsupportedLanguageError,
} from '../../../shared/languages/index.js';

const anyString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...LANGUAGE_CODES).map((code) => code.toLowerCase()),
);

describe('properties', () => {
  it('resolveLanguageCode never throws and returns a real code or undefined', () => {
    const codes = new Set<string>(LANGUAGE_CODES);
    fc.assert(
      fc.property(anyString, (input) => {
        const code = resolveLanguageCode(input);
        expect(code === undefined || codes.has(code)).toBe(true);
        // resolving is idempotent
        if (code !== undefined) expect(resolveLanguageCode(code)).toBe(code);
      }),
      { numRuns: 2000 },
    );
  });

  it('searchLanguages never throws and respects the limit', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 300 }), (q, limit) => {
        const results = searchLanguages(q, limit);
        expect(results.length).toBeLessThanOrEqual(limit);
        expect(new Set(results.map((language) => language.code)).size).toBe(results.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('suggestions and the error never throw, and suggest only real codes', () => {
    const codes = new Set<string>(LANGUAGE_CODES);
    fc.assert(
      fc.property(anyString, (input) => {
        for (const code of suggestLanguageCodes(input)) expect(codes.has(code)).toBe(true);
        expect(unsupportedLanguageError(input).code).toBe('UNSUPPORTED_LANGUAGE');
      }),
      { numRuns: 500 },
    );
  });
});
