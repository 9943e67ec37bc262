import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  characterCount,
  validateDetectRequest,
  validateLtTranslateRequest,
  validateTranslateRequest,
} from '../../../shared/contract/index.js';
import { AppError, type ErrorCode } from '../../../shared/errors.js';
import { DEFAULT_LIMITS, resolveLimits } from '../../../shared/limits.js';

const limits = resolveLimits({});

function codeOf(fn: () => unknown): ErrorCode | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

const translate = (body: unknown) => codeOf(() => validateTranslateRequest(body, limits));

describe('validateTranslateRequest', () => {
  it('accepts one text and normalises ISO codes to FLORES-200', () => {
    const result = validateTranslateRequest({ text: 'Hello', target_language: 'sw', source_language: 'eng' }, limits);
    expect(result).toMatchObject({ texts: ['Hello'], batch: false, target: 'swh_Latn', source: 'eng_Latn' });
    expect(result.options).toEqual({ beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text' });
    expect(result.characterCount).toBe(5);
  });

  it('accepts a batch, keeps order, and leaves the source to detection when absent', () => {
    const result = validateTranslateRequest({ text: ['a', 'b', 'c'], target_language: 'fra_Latn' }, limits);
    expect(result.batch).toBe(true);
    expect(result.texts).toEqual(['a', 'b', 'c']);
    expect(result.source).toBeUndefined();
  });

  it('counts characters as code points and sums them over a batch', () => {
    expect(characterCount('😀é')).toBe(2);
    const ok = 'x'.repeat(2500);
    expect(translate({ text: [ok, ok], target_language: 'sw' })).toBe('ok');
    expect(translate({ text: [ok, ok, 'y'], target_language: 'sw' })).toBe('TEXT_TOO_LONG');
    expect(translate({ text: '😀'.repeat(5000), target_language: 'sw' })).toBe('ok');
    expect(translate({ text: '😀'.repeat(5001), target_language: 'sw' })).toBe('TEXT_TOO_LONG');
  });

  it.each([
    ['a number as text', { text: 42, target_language: 'sw' }, 'VALIDATION_FAILED'],
    ['an array of numbers', { text: [1, 2], target_language: 'sw' }, 'VALIDATION_FAILED'],
    ['no target', { text: 'hi' }, 'VALIDATION_FAILED'],
    ['a numeric target', { text: 'hi', target_language: 7 }, 'VALIDATION_FAILED'],
    ['empty text', { text: '', target_language: 'sw' }, 'VALIDATION_FAILED'],
    ['whitespace-only text', { text: ' \n\t ', target_language: 'sw' }, 'VALIDATION_FAILED'],
    ['a whitespace-only item', { text: ['ok', '  '], target_language: 'sw' }, 'VALIDATION_FAILED'],
    ['an empty array', { text: [], target_language: 'sw' }, 'VALIDATION_FAILED'],
    ['5001 characters', { text: 'a'.repeat(5001), target_language: 'sw' }, 'TEXT_TOO_LONG'],
    ['65 items', { text: Array.from({ length: 65 }, () => 'a'), target_language: 'sw' }, 'BATCH_TOO_LARGE'],
    ['an unknown target', { text: 'hi', target_language: 'xx_Yyyy' }, 'UNSUPPORTED_LANGUAGE'],
    ['an unknown source', { text: 'hi', target_language: 'sw', source_language: 'klingon' }, 'UNSUPPORTED_LANGUAGE'],
    ['an extra field', { text: 'hi', target_language: 'sw', extra: 'x'.repeat(100_000) }, 'VALIDATION_FAILED'],
    ['beam size 5', { text: 'hi', target_language: 'sw', options: { beam_size: 5 } }, 'VALIDATION_FAILED'],
    ['an unknown option', { text: 'hi', target_language: 'sw', options: { temperature: 1 } }, 'VALIDATION_FAILED'],
    ['null', null, 'VALIDATION_FAILED'],
    ['an array body', ['hi'], 'VALIDATION_FAILED'],
  ])('rejects %s', (_name, body, code) => {
    expect(translate(body)).toBe(code);
  });

  it('names the limit and the count in TEXT_TOO_LONG', () => {
    try {
      validateTranslateRequest({ text: 'a'.repeat(6012), target_language: 'sw' }, limits);
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).message).toBe('text has 6012 characters; the limit is 5000');
      expect((err as AppError).status).toBe(413);
    }
  });

  it('names an empty item by its index only when the client sent an array', () => {
    const messageOf = (body: unknown) => {
      try {
        validateTranslateRequest(body, limits);
      } catch (err) {
        return (err as AppError).message;
      }
      return 'ok';
    };
    expect(messageOf({ text: '  ', target_language: 'sw' })).toBe('text is empty or only whitespace and invisible characters');
    expect(messageOf({ text: ['  '], target_language: 'sw' })).toBe('text[0] is empty or only whitespace and invisible characters');
    expect(messageOf({ text: ['a', 'b', 'c', ' '], target_language: 'sw' })).toBe('text[3] is empty or only whitespace and invisible characters');
  });

  it.each([
    ['zero-width space, non-joiner, joiner', '\u200B\u200C\u200D'],
    ['word joiner', '\u2060'],
    ['byte-order mark', '\uFEFF'],
    ['bidi marks and soft hyphen (other Cf controls)', '\u200E\u200F\u202A\u00AD'],
    ['variation selectors, basic and supplementary', '\uFE0F\uFE00\u{E0100}'],
    ['tag characters', '\u{E0020}\u{E007F}'],
    ['invisible characters mixed with whitespace', ' \u200B\n\uFEFF\t\u2060 '],
  ])('a text of only %s is VALIDATION_FAILED, on every translate and detect route', (_name, text) => {
    expect(codeOf(() => validateTranslateRequest({ text, target_language: 'sw' }, limits))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => validateTranslateRequest({ text: ['ok', text], target_language: 'sw' }, limits))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => validateDetectRequest({ text }, limits))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => validateLtTranslateRequest({ q: text, source: 'en', target: 'sw' }, limits))).toBe('VALIDATION_FAILED');
  });

  it('visible text around invisible characters is kept: emoji sequences, joiners inside words', () => {
    for (const text of ['\u200Bhabari', '👍🏽', '👨\u200D👩\u200D👧', '❤\uFE0F', 'क्\u200Dष', '\u00A0x']) {
      expect(codeOf(() => validateTranslateRequest({ text, target_language: 'sw' }, limits))).toBe('ok');
    }
  });

  it('property: a visible character plus any mix of invisible ones is accepted; the invisible ones alone are not', () => {
    const invisible = fc.constantFrom('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\uFE0F', '\u{E0101}', ' ', '\n');
    fc.assert(
      fc.property(fc.array(invisible, { maxLength: 20 }), fc.array(invisible, { maxLength: 20 }), fc.constantFrom('a', 'ß', '中', 'ጤ', '1', '!'), (before, after, visible) => {
        expect(codeOf(() => validateTranslateRequest({ text: before.join('') + after.join(''), target_language: 'sw' }, limits))).toBe('VALIDATION_FAILED');
        expect(codeOf(() => validateTranslateRequest({ text: before.join('') + visible + after.join(''), target_language: 'sw' }, limits))).toBe('ok');
      }),
    );
  });

  it('reports schema failures as one line and as details, at most five issues', () => {
    try {
      validateTranslateRequest({ text: 5, target_language: 7, source_language: 8, options: { beam_size: 'x', temperature: 1 }, a: 1, b: 2 }, limits);
      expect.unreachable();
    } catch (err) {
      const appError = err as AppError;
      expect(appError.code).toBe('VALIDATION_FAILED');
      const issues = appError.details?.issues as Array<{ path: string[]; message: string }>;
      expect(issues).toHaveLength(5);
      expect(appError.message.split('; ')).toHaveLength(5);
      expect(appError.message).toContain('target_language: ');
      expect(issues.find((issue) => issue.path.join('.') === 'target_language')?.message).toMatch(/expected string/);
    }
  });

  it('suggests close matches for an unknown language', () => {
    try {
      validateTranslateRequest({ text: 'hi', target_language: 'swh_Latm' }, limits);
      expect.unreachable();
    } catch (err) {
      const appError = err as AppError;
      expect(appError.code).toBe('UNSUPPORTED_LANGUAGE');
      expect(appError.status).toBe(400);
      expect(appError.message).toContain('swh_Latm');
      expect(appError.details?.suggestions).toContain('swh_Latn');
    }
  });

  it('honours limit overrides from the environment', () => {
    const small = resolveLimits({ MAX_CHARACTERS: '10', MAX_BATCH_ITEMS: '2' });
    expect(codeOf(() => validateTranslateRequest({ text: 'a'.repeat(11), target_language: 'sw' }, small))).toBe('TEXT_TOO_LONG');
    expect(codeOf(() => validateTranslateRequest({ text: ['a', 'b', 'c'], target_language: 'sw' }, small))).toBe('BATCH_TOO_LARGE');
  });

  it('property: no JSON value makes the validator throw anything but an AppError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const code = translate(body);
        expect(typeof code).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('property: bodies of the right shape are accepted or refused with a documented code', () => {
    const body = fc.record(
      {
        text: fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.string({ maxLength: 60 }), { maxLength: 70 })),
        target_language: fc.oneof(fc.constantFrom('sw', 'swh_Latn', 'fra', 'zul_Latn', 'yo'), fc.string({ maxLength: 10 })),
        source_language: fc.oneof(fc.constantFrom('en', 'eng_Latn', 'hau'), fc.string({ maxLength: 10 })),
      },
      { requiredKeys: ['text', 'target_language'] },
    );
    const documented = new Set(['ok', 'VALIDATION_FAILED', 'BATCH_TOO_LARGE', 'TEXT_TOO_LONG', 'UNSUPPORTED_LANGUAGE']);
    fc.assert(fc.property(body, (b) => documented.has(translate(b))), { numRuns: 500 });
  });
});

describe('validateDetectRequest', () => {
  it('applies the default top_k and rejects empty text', () => {
    expect(validateDetectRequest({ text: 'Habari' }, limits)).toMatchObject({ text: 'Habari', topK: 3 });
    expect(codeOf(() => validateDetectRequest({ text: '   ' }, limits))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => validateDetectRequest({ text: 'a'.repeat(5001) }, limits))).toBe('TEXT_TOO_LONG');
    expect(codeOf(() => validateDetectRequest({ text: 'hi', top_k: DEFAULT_LIMITS.MAX_DETECT_TOP_K + 1 }, limits))).toBe('VALIDATION_FAILED');
  });
});

describe('validateLtTranslateRequest', () => {
  it('maps LibreTranslate bodies onto the same checks', () => {
    expect(validateLtTranslateRequest({ q: 'Hello', source: 'auto', target: 'sw' }, limits)).toMatchObject({
      texts: ['Hello'],
      source: undefined,
      target: 'swh_Latn',
    });
    expect(validateLtTranslateRequest({ q: ['a', 'b'], source: 'en', target: 'fr' }, limits)).toMatchObject({
      batch: true,
      source: 'eng_Latn',
      target: 'fra_Latn',
    });
    expect(validateLtTranslateRequest({ q: '<b>x</b>', source: 'en', target: 'fr', format: 'html' }, limits).options.format).toBe('html');
    expect(codeOf(() => validateLtTranslateRequest({ q: 'x', source: 'en', target: 'zz' }, limits))).toBe('UNSUPPORTED_LANGUAGE');
  });
});
