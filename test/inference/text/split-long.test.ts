import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reassemble, segmentText } from '../../../inference/text/segmenter.js';
import { trimmed } from '../../../inference/text/graphemes.js';
import { splitLong } from '../../../inference/text/split-long.js';
import { estimateTokens } from '../../../inference/text/tokens.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
/** A strict counter: one token per code point. */
const codePoints = (s: string) => Array.from(s).length;
const wordSegmenter = new Intl.Segmenter('th', { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const isBoundaryOf = (segmenter: Intl.Segmenter, text: string, at: number) => at === text.length || segmenter.segment(text).containing(at)!.index === at;
const cutsOf = (pieces: string[]) => pieces.slice(0, -1).map((_, i) => pieces.slice(0, i + 1).join('').length);

/** What the model is sent of a piece fits the limit. */
const expectFits = (pieces: string[], max: number, count = estimateTokens) => {
  for (const p of pieces) expect(count(trimmed(p))).toBeLessThanOrEqual(max);
};

describe('splitLong', () => {
  it('leaves a text within the limit alone', () => {
    expect(splitLong('short enough', 10, estimateTokens)).toEqual(['short enough']);
  });

  it('cuts an over-long sentence at clauses first: every piece fits, nothing is lost', () => {
    const clause = 'the quick brown fox jumps over the lazy dog';
    const text = Array.from({ length: 8 }, (_, i) => `${clause} number ${i}`).join(', ') + '; and then it ended: finally — done';
    const pieces = splitLong(text, 40, estimateTokens);
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBeGreaterThan(1);
    expectFits(pieces, 40);
    // Every cut is right after clause punctuation and its space.
    for (const p of pieces.slice(0, -1)) expect(p).toMatch(/[,;:—]\s*$/);
  });

  it('falls back to words, then to characters, never splitting an emoji', () => {
    const text = 'word '.repeat(100).trim();
    const byWords = splitLong(text, 10, estimateTokens);
    expect(byWords.join('')).toBe(text);
    for (const p of byWords) {
      expect(estimateTokens(trimmed(p))).toBeLessThanOrEqual(10);
      expect(p.trim().split(' ').every((w) => w === 'word')).toBe(true);
    }

    const long = 'x'.repeat(50) + '👩‍👩‍👧‍👦'.repeat(10) + 'y'.repeat(50);
    const byChars = splitLong(long, 5, estimateTokens);
    expect(byChars.join('')).toBe(long);
    expectFits(byChars, 5);
    expect(byChars.some((p) => p.includes('👩‍👩‍👧‍👦'))).toBe(true);
  });

  it('cuts CJK and Ethiopic text at their own punctuation', () => {
    const zh = '我们今天去市场，买了很多水果、蔬菜和米；然后回家做饭，大家都很高兴';
    const zhPieces = splitLong(zh, 12, estimateTokens, 'zh');
    expect(zhPieces.join('')).toBe(zh);
    expectFits(zhPieces, 12);
    expect(zhPieces[0]).toBe('我们今天去市场，');

    const am = 'ዛሬ ወደ ገበያ ሄድን፣ ብዙ ፍራፍሬ ገዛን፤ ከዚያም ወደ ቤት ተመለስን';
    const amPieces = splitLong(am, 14, estimateTokens, 'am');
    expect(amPieces.join('')).toBe(am);
    expectFits(amPieces, 14);
    expect(amPieces[0]).toBe('ዛሬ ወደ ገበያ ሄድን፣ ');
  });

  it('uses the injected token counter', () => {
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const pieces = splitLong(text, 7, words);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(words(p)).toBeLessThanOrEqual(7);
    expect(pieces.length).toBe(5);
  });

  it('cuts a 3,000-character Thai run without spaces at Thai word boundaries', () => {
    const words = ['สวัสดี', 'ครับ', 'วันนี้', 'อากาศ', 'ดี', 'มาก', 'เรา', 'ไป', 'ตลาด', 'กัน', 'ซื้อ', 'ผลไม้'];
    let text = '';
    for (let i = 0; text.length < 3000; i++) text += words[(i * 7) % words.length];
    text = text.slice(0, 3000);
    for (const [max, count] of [[200, estimateTokens], [50, codePoints]] as const) {
      const pieces = splitLong(text, max, count, 'th');
      expect(pieces.join('')).toBe(text);
      expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(3000 / max));
      expectFits(pieces, max, count);
      for (const cut of cutsOf(pieces)) {
        expect(isBoundaryOf(graphemeSegmenter, text, cut)).toBe(true);
        expect(isBoundaryOf(wordSegmenter, text, cut)).toBe(true);
      }
    }
  });

  it('cuts a Khmer run without marks within the limit and between clusters', () => {
    const text = 'សួស្តីខ្ញុំឈ្មោះសុខាខ្ញុំរស់នៅភ្នំពេញ'.repeat(40);
    const pieces = splitLong(text, 30, codePoints, 'km');
    expect(pieces.join('')).toBe(text);
    expectFits(pieces, 30, codePoints);
    for (const cut of cutsOf(pieces)) expect(isBoundaryOf(graphemeSegmenter, text, cut)).toBe(true);
  });

  it('cuts Khmer written with zero-width spaces between words at those spaces', () => {
    const words = ['សួស្តី', 'ខ្ញុំ', 'ឈ្មោះ', 'សុខា', 'ខ្ញុំ', 'រស់នៅ', 'ភ្នំពេញ'];
    const text = Array.from({ length: 120 }, (_, i) => words[i % words.length]).join('\u200b');
    const pieces = splitLong(text, 40, codePoints, 'km');
    expect(pieces.join('')).toBe(text);
    expectFits(pieces, 40, codePoints);
    for (const p of pieces.slice(0, -1)) expect(p.endsWith('\u200b')).toBe(true);
  });

  it('cuts long unpunctuated text at spaces and each piece is as long as the limit allows', () => {
    const text = Array.from({ length: 400 }, (_, i) => `neno${i % 10}`).join(' ');
    const pieces = splitLong(text, 40, estimateTokens);
    expect(pieces.join('')).toBe(text);
    expectFits(pieces, 40);
    cutsOf(pieces).forEach((cut, i) => {
      expect(pieces[i]).toMatch(/\s$/);
      // Taking the next word too would be over the limit.
      const next = text.slice(cut).split(' ')[0]!;
      expect(estimateTokens(trimmed(pieces[i]! + next))).toBeGreaterThan(40);
    });
  });

  it('a single grapheme cluster over the limit is cut at code points, never inside a surrogate pair', () => {
    const family = '👩‍👩‍👧‍👦';
    const pieces = splitLong(`ab ${family}`, 3, codePoints);
    expect(pieces.join('')).toBe(`ab ${family}`);
    expectFits(pieces, 3, codePoints);
    for (const p of pieces) expect(p).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('a counter that is not monotonic still gets pieces within its limit', () => {
    // Counts 100 for any text whose length is a multiple of 7: longer texts may count fewer.
    const odd = (s: string) => (s.length % 7 === 0 && s.length > 0 ? 100 : Math.ceil(s.length / 4));
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau';
    const pieces = splitLong(text, 6, odd);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(odd(trimmed(p))).toBeLessThanOrEqual(6);
  });

  it('property: pieces fit (by the estimate and by a strict counter) and concatenate to the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), fc.integer({ min: 1, max: 60 }), fc.boolean(), (text, max, strict) => {
        const count = strict ? codePoints : estimateTokens;
        const pieces = splitLong(text, max, count);
        expect(pieces.join('')).toBe(text);
        expectFits(pieces, max, count);
      }),
      { numRuns: 300 },
    );
  });
});

describe('segmentText with a token limit', () => {
  it('every source fits maxTokens and the identity round trip stays exact', () => {
    const text = 'Intro line.\n' + 'This sentence goes on and on, with many clauses, and even more words; it never seems to stop, '.repeat(20) + 'end.\n- ' + 'z'.repeat(300);
    for (const maxTokens of [3, 16, 50]) {
      const plan = segmentText(text, { maxTokens });
      for (const s of plan.sources) expect(estimateTokens(s)).toBeLessThanOrEqual(maxTokens);
      expect(reassemble(plan, plan.sources)).toBe(text);
    }
  });
});
