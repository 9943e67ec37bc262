import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reassemble, segmentText } from '../../../inference/text/segmenter.js';
import { splitLong } from '../../../inference/text/split-long.js';
import { estimateTokens } from '../../../inference/text/tokens.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

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
    for (const p of pieces) expect(estimateTokens(p)).toBeLessThanOrEqual(40);
    // Every cut is right after clause punctuation and its space.
    for (const p of pieces.slice(0, -1)) expect(p).toMatch(/[,;:—]\s*$/);
  });

  it('falls back to words, then to characters, never splitting an emoji', () => {
    const text = 'word '.repeat(100).trim();
    const byWords = splitLong(text, 10, estimateTokens);
    expect(byWords.join('')).toBe(text);
    for (const p of byWords) {
      expect(estimateTokens(p)).toBeLessThanOrEqual(10);
      expect(p.trim().split(' ').every((w) => w === 'word')).toBe(true);
    }

    const long = 'x'.repeat(50) + '👩‍👩‍👧‍👦'.repeat(10) + 'y'.repeat(50);
    const byChars = splitLong(long, 5, estimateTokens);
    expect(byChars.join('')).toBe(long);
    for (const p of byChars) expect(estimateTokens(p)).toBeLessThanOrEqual(5);
    expect(byChars.some((p) => p.includes('👩‍👩‍👧‍👦'))).toBe(true);
  });

  it('cuts CJK and Ethiopic text at their own punctuation', () => {
    const zh = '我们今天去市场，买了很多水果、蔬菜和米；然后回家做饭，大家都很高兴';
    const zhPieces = splitLong(zh, 12, estimateTokens, 'zh');
    expect(zhPieces.join('')).toBe(zh);
    for (const p of zhPieces) expect(estimateTokens(p)).toBeLessThanOrEqual(12);
    expect(zhPieces[0]).toBe('我们今天去市场，');

    const am = 'ዛሬ ወደ ገበያ ሄድን፣ ብዙ ፍራፍሬ ገዛን፤ ከዚያም ወደ ቤት ተመለስን';
    const amPieces = splitLong(am, 14, estimateTokens, 'am');
    expect(amPieces.join('')).toBe(am);
    for (const p of amPieces) expect(estimateTokens(p)).toBeLessThanOrEqual(14);
    expect(amPieces[0]).toBe('ዛሬ ወደ ገበያ ሄድን፣ ');
  });

  it('uses the injected token counter', () => {
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const pieces = splitLong(text, 7, words);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(words(p)).toBeLessThanOrEqual(7);
    expect(pieces.length).toBe(5);
  });

  it('property: pieces fit and concatenate to the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), fc.integer({ min: 1, max: 60 }), (text, max) => {
        const pieces = splitLong(text, max, estimateTokens);
        expect(pieces.join('')).toBe(text);
        for (const p of pieces) expect(estimateTokens(p)).toBeLessThanOrEqual(max);
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
