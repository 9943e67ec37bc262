import { resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { NllbTokenizer } from '../../../inference/engine/tokenizer.js';
import { reassemble, segmentText } from '../../../inference/text/segmenter.js';
import { estimateTokens, type CountTokens } from '../../../inference/text/tokens.js';

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
  // What people write: lower-case sentences, abbreviations, quotes after marks, one-line lists,
  // the sentence marks of many scripts, and runs of scripts written without spaces.
  fc.constantFrom(
    'the child eats bread. the teacher reads a book. ',
    'e.g. Mr. J. Smith vs. Dr. Jones etc. and 3.5 ',
    'He said "go." then left. ',
    '(yes!) [no.] „geh.“ «oui.» 「はい。」',
    '1) do this 2) do that ',
    'apples; pears; plums',
    'wait... what? ok… fine ',
    '። ፧ ፨ । ॥ 。！？ ؟ ۔ ։ ။ ၊ ។ ៕ … ',
    'यह किताब है। वह घर है।',
    'これは本です。あれは家です。',
    'یہ کتاب ہے۔',
    'Բարեւ։',
    'สวัสดีครับวันนี้อากาศดีมากเราไปตลาดกัน',
    'សួស្តីខ្ញុំឈ្មោះសុខា',
    'မင်္ဂလာပါ။',
    'Ẹ kú àárọ̀. ',
    ' \u0301',
    '\u0600 ',
    '\u200b',
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

/** A strict counter: one token per code point. */
const codePoints: CountTokens = (t) => Array.from(t).length;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The grapheme cluster of `text` containing code unit `at`, or undefined when `at` is a boundary. */
const clusterAcross = (segments: Intl.Segments, text: string, at: number) => {
  if (at <= 0 || at >= text.length) return undefined;
  const cluster = segments.containing(at)!;
  return cluster.index === at ? undefined : cluster.segment;
};

const lineBreaks = (t: string) => (t.match(/\r\n|[\n\r\u0085\u2028\u2029]/gu) ?? []).length;
const transform = (s: string) => `⟦${s.toUpperCase()}⟧`;

let tokenizer: NllbTokenizer;
beforeAll(async () => {
  tokenizer = await NllbTokenizer.load(resolve(import.meta.dirname, '../../../models/tiny/sentencepiece.bpe.model'));
});

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

  it('with the default estimate or a strict counter: exact round trip, every source within maxTokens, no cluster split', () => {
    fc.assert(
      fc.property(apiText, fc.integer({ min: 1, max: 300 }), fc.constantFrom<[string, CountTokens | undefined]>(['estimate', undefined], ['code points', codePoints]), fc.constantFrom(undefined, 'tha_Thai', 'khm_Khmr', 'jpn_Jpan'), (text, maxTokens, [, countTokens], lang) => {
        const plan = segmentText(text, { maxTokens, countTokens, lang });
        expect(plan.pieces.map((p) => p.text).join('')).toBe(text);
        const count = countTokens ?? estimateTokens;
        for (const s of plan.sources) expect(count(s)).toBeLessThanOrEqual(maxTokens);
        // A translate piece starts and ends between grapheme clusters of the whole text, unless
        // a single cluster counts more than the limit (then it must be cut, at code points).
        const segments = graphemes.segment(text);
        let at = 0;
        for (const piece of plan.pieces) {
          if (piece.kind === 'translate') {
            for (const edge of [at, at + piece.text.length]) {
              const cluster = clusterAcross(segments, text, edge);
              if (cluster !== undefined) expect(count(cluster)).toBeGreaterThan(maxTokens);
              const code = text.charCodeAt(edge);
              const before = text.charCodeAt(edge - 1);
              expect(code >= 0xdc00 && code <= 0xdfff && before >= 0xd800 && before <= 0xdbff).toBe(false);
            }
          }
          at += piece.text.length;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("with the fixture model's own SentencePiece tokenizer as the counter, every source fits", () => {
    const count: CountTokens = (t) => tokenizer.tokenCount(t);
    fc.assert(
      fc.property(
        apiText.map((t) => t.slice(0, 1500)).filter((t) => /\S/u.test(t)),
        fc.integer({ min: 8, max: 120 }),
        (text, maxTokens) => {
          const plan = segmentText(text, { maxTokens, countTokens: count });
          expect(plan.pieces.map((p) => p.text).join('')).toBe(text);
          // One code point is the unit that cannot be cut: SentencePiece's NFKC turns a few (e.g. U+FDFA, an
          // Arabic ligature of a whole phrase) into more tokens than a small maxTokens; the engine then cuts
          // that source at the model's positions. Every other source fits.
          for (const s of plan.sources) if ([...s].length > 1) expect(count(s)).toBeLessThanOrEqual(maxTokens);
        },
      ),
      { numRuns: 60, examples: [['\uFDFA ' + ' '.repeat(40), 8]] },
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
