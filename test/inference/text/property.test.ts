import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reassemble, segmentText } from '../../../inference/text/segmenter.js';
import { estimateTokens } from '../../../inference/text/tokens.js';

const MAX_CODE_POINTS = 5000;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

// Pieces of realistic and hostile text: sentences of many scripts (RTL included), layout, list
// markers, addresses, numbers, emoji, combining marks, bidi controls, arbitrary code points.
const fragment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: loneSurrogate, maxLength: 2 }),
  fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\n \n', '\u2028', '\u2029', '\u0085', '\t', '  ', ' ', '\u00a0', '\u3000', '\v', '\f'),
  fc.constantFrom('- ', '* ', '1. ', '2) ', '• ', '# ', '> ', '(a) '),
  fc.constantFrom('https://example.org/a?b=1&c=2.', 'team@example.org', 'www.example.org', 'Docs: https://x.y/z', '42', '3.14', '2024-05-01', '!!!', '…', '—'),
  fc.constantFrom(
    'Hello world.',
    'Habari yako? Nzuri.',
    'Ẹ kú àárọ̀.',
    'مرحبا، كيف حالك؟',
    'שלום עולם.',
    '你好。世界！',
    'ሰላም ነው። እንዴት ነህ፧',
    '👩‍👩‍👧‍👦🙂🇰🇪',
    'e\u0301',
    '\u200f\u200e\u202b',
    'नमस्ते दुनिया।',
  ),
);

const hasCodePointsAtMost = (t: string, n: number) => {
  let count = 0;
  for (const _ of t) if (++count > n) return false;
  return true;
};

/** Any text the API accepts: up to 5,000 code points, not whitespace only. */
const apiText = fc
  .oneof(
    { arbitrary: fc.array(fragment, { maxLength: 80 }).map((parts) => parts.join('')), weight: 4 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: MAX_CODE_POINTS }), weight: 1 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 2500 }), weight: 1 },
  )
  .filter((t) => /\S/u.test(t) && hasCodePointsAtMost(t, MAX_CODE_POINTS));

const lineBreaks = (t: string) => (t.match(/\r\n|[\n\r\u0085\u2028\u2029]/gu) ?? []).length;
const transform = (s: string) => `⟦${s.toUpperCase()}⟧`;

describe('segmentation properties', () => {
  it('any accepted text segments and reassembles without throwing; the identity round trip is exact', () => {
    fc.assert(
      fc.property(apiText, fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), fc.constantFrom(undefined, 'eng_Latn', 'arb_Arab', 'zho_Hans', 'amh_Ethi', 'xx_Bogus'), (text, maxTokens, lang) => {
        const plan = segmentText(text, { maxTokens, lang });
        expect(plan.pieces.map((p) => p.text).join('')).toBe(text);
        expect(reassemble(plan, plan.sources)).toBe(text);
        const limit = maxTokens ?? 200;
        for (const s of plan.sources) {
          expect(s).toBe(s.trim());
          expect(s).toMatch(/\p{L}/u);
          expect(lineBreaks(s)).toBe(0);
          expect(estimateTokens(s)).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('no kept segment is lost and the line structure holds under a transforming translation', () => {
    fc.assert(
      fc.property(apiText, (text) => {
        const plan = segmentText(text);
        const out = reassemble(plan, plan.sources.map(transform));
        let at = 0;
        for (const piece of plan.pieces) {
          if (piece.kind === 'keep') {
            const found = out.indexOf(piece.text, at);
            expect(found).toBeGreaterThanOrEqual(at);
            at = found + piece.text.length;
          }
        }
        expect(lineBreaks(out)).toBe(lineBreaks(text));
        expect(out.split(/\r\n|[\n\r\u0085\u2028\u2029]/u).map((line) => line.trim() === '')).toEqual(
          text.split(/\r\n|[\n\r\u0085\u2028\u2029]/u).map((line) => line.trim() === ''),
        );
      }),
      { numRuns: 300 },
    );
  });
});
