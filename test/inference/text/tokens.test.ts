import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../../inference/text/tokens.js';

describe('estimateTokens', () => {
  it('counts one token per character of dense scripts and one per three of the rest', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdef')).toBe(2);
    expect(estimateTokens('abcdefg')).toBe(3);
    expect(estimateTokens('你好世界')).toBe(4);
    expect(estimateTokens('สวัสดี')).toBe(6);
    expect(estimateTokens('ሰላም')).toBe(3);
    // An astral ideograph is one dense code point, not two halves.
    expect(estimateTokens('𠀀𠀁')).toBe(2);
    expect(estimateTokens('你好 ok')).toBe(2 + 1);
  });

  it('property: monotonic under appending, and one code point counts at most 1', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 }), (a, b) => {
        expect(estimateTokens(a + b)).toBeGreaterThanOrEqual(estimateTokens(a));
        for (const ch of b) expect(estimateTokens(ch)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
