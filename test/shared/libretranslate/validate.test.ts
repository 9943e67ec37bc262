import { describe, expect, it } from 'vitest';
import { validateLtSuggestRequest, validateSuggestionRequest } from '../../../shared/contract/suggestions.js';
import { validateLtDetectRequest, validateLtTranslateRequest } from '../../../shared/contract/validate.js';
import { AppError } from '../../../shared/errors.js';
import { DEFAULT_LIMITS, type Limits } from '../../../shared/limits.js';

const limits: Limits = { ...DEFAULT_LIMITS, MAX_CHARACTERS: 20, MAX_BATCH_ITEMS: 2 };

function refusal(check: () => unknown): { code: string; status: number; message: string } {
  try {
    check();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe("LibreTranslate's /translate fields", () => {
  it('map onto our request: auto detects, codes resolve, format and alternatives pass through (a form sends strings)', () => {
    expect(validateLtTranslateRequest({ q: 'Hello', source: 'auto', target: 'sw', alternatives: '2', format: 'html' }, limits)).toMatchObject({
      texts: ['Hello'],
      batch: false,
      source: undefined,
      target: 'swh_Latn',
      options: { alternatives: 2, format: 'html' },
    });
    expect(validateLtTranslateRequest({ q: ['a', 'b'], source: 'en', target: 'fr', alternatives: 1.9 }, limits)).toMatchObject({ batch: true, source: 'eng_Latn', options: { alternatives: 1 } });
    expect(validateLtTranslateRequest({ q: 'x', source: 'en', target: 'fr', alternatives: '-4', apiKey: 'ignored' }, limits).options.alternatives).toBe(0);
  });

  it.each([
    [{ source: 'en', target: 'fr' }, 'Invalid request: missing q parameter'],
    [{ q: [], source: 'en', target: 'fr' }, 'Invalid request: missing q parameter'],
    [{ q: 'x', target: 'fr' }, 'Invalid request: missing source parameter'],
    [{ q: 'x', source: 'en', target: '' }, 'Invalid request: missing target parameter'],
    [{ q: 7, source: 'en', target: 'fr' }, 'Invalid request: q must be a string or an array of strings'],
    [{ q: 'x', source: 'en', target: 'fr', alternatives: '2x' }, 'Invalid request: alternatives parameter is not a number'],
    [{ q: 'x', source: 'en', target: 'fr', alternatives: 4 }, 'Invalid request: alternatives parameter must be <= 3'],
    [{ q: 'x', source: 'xx', target: 'fr' }, 'xx is not supported'],
    [{ q: 'x', source: 'en', target: 'fr', format: 'markdown' }, 'markdown format is not supported'],
    [{ q: 'a'.repeat(21), source: 'en', target: 'fr' }, 'Invalid request: request (21) exceeds text limit (20)'],
    [{ q: ['a', 'b', 'c'], source: 'en', target: 'fr' }, 'Invalid request: request (3) exceeds text limit (2)'],
    [{ q: '\u200b ', source: 'en', target: 'fr' }, 'Invalid request: text is empty or only whitespace and invisible characters'],
  ])('refuses %j with a 400 in LibreTranslate words', (body, message) => {
    const error = refusal(() => validateLtTranslateRequest(body, limits));
    expect(error.status).toBe(400);
    expect(error.message).toBe(message);
  });

  it('keeps our stable codes under LibreTranslate messages', () => {
    expect(refusal(() => validateLtTranslateRequest({ q: 'a'.repeat(21), source: 'en', target: 'fr' }, limits)).code).toBe('TEXT_TOO_LONG');
    expect(refusal(() => validateLtTranslateRequest({ q: 'x', source: 'en', target: 'zz' }, limits)).code).toBe('UNSUPPORTED_LANGUAGE');
    expect(refusal(() => validateLtTranslateRequest('not an object', limits)).code).toBe('INVALID_JSON');
  });
});

describe("LibreTranslate's /detect and /suggest fields", () => {
  it('detect takes one text q', () => {
    expect(validateLtDetectRequest({ q: 'bonjour' }, limits)).toMatchObject({ text: 'bonjour', topK: 3 });
    expect(refusal(() => validateLtDetectRequest({}, limits)).message).toBe('Invalid request: missing q parameter');
    expect(refusal(() => validateLtDetectRequest({ q: ['a'] }, limits)).message).toBe('Invalid request: q must be a string');
  });

  it('suggest checks q, s, source, target in order, then lengths; our API the same in its own terms', () => {
    expect(validateLtSuggestRequest({ q: 'hello', s: 'habari', source: 'en', target: 'sw' }, limits)).toEqual({
      text: 'hello', translation: 'habari', source: 'eng_Latn', target: 'swh_Latn', characterCount: 11,
    });
    expect(refusal(() => validateLtSuggestRequest({ s: 'x', source: 'en', target: 'sw' }, limits)).message).toBe('Invalid request: missing q parameter');
    expect(refusal(() => validateLtSuggestRequest({ q: 'x', s: 'y'.repeat(21), source: 'en', target: 'sw' }, limits))).toEqual({
      code: 'TEXT_TOO_LONG', status: 400, message: 'Invalid request: s has 21 characters; the limit is 20',
    });
    expect(refusal(() => validateSuggestionRequest({ text: 'x', translation: 'y'.repeat(21), source_language: 'en', target_language: 'sw' }, limits))).toMatchObject({ code: 'TEXT_TOO_LONG', status: 413 });
    expect(refusal(() => validateSuggestionRequest({ text: 'x', translation: 'y', source_language: 'en' }, limits)).code).toBe('VALIDATION_FAILED');
    expect(refusal(() => validateSuggestionRequest({ text: 'x', translation: 'y', source_language: 'en', target_language: 'qqq_Zzzz' }, limits)).code).toBe('UNSUPPORTED_LANGUAGE');
  });
});
