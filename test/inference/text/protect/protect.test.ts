import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskLikeTokensIn, maskToken, protect, restore } from '../../../../inference/text/protect/index.js';
import { mixedText } from './support.js';

describe('protect', () => {
  it('replaces each span by a numbered mask, in order', () => {
    const { masked, spans } = protect('Hello {name}, you have %d new messages from @amina 👋', 'auto');
    expect(masked).toBe('Hello [0], you have [1] new messages from [2] [3]');
    expect(spans.map((s) => s.text)).toEqual(['{name}', '%d', '@amina', '👋']);
  });

  it('gives identical spans distinct masks, so their counts can be checked', () => {
    const { masked, spans } = protect('{name} and {name} and {name}', 'auto');
    expect(masked).toBe('[0] and [1] and [2]');
    expect(spans.map((s) => s.text)).toEqual(['{name}', '{name}', '{name}']);
  });

  it('protects user text that looks like a mask, so it cannot be taken for one', () => {
    const text = 'See [0] and [1], then {name} and [ 2 ] and ［3］';
    const { masked, spans } = protect(text, 'auto');
    expect(masked).toBe('See [0] and [1], then [2] and [3] and [4]');
    expect(spans.map((s) => [s.kind, s.text])).toEqual([
      ['mask-like', '[0]'],
      ['mask-like', '[1]'],
      ['brace', '{name}'],
      ['mask-like', '[ 2 ]'],
      ['mask-like', '［3］'],
    ]);
    expect(restore(masked, spans)).toBe(text);
  });

  it("protects nothing in mode 'none'", () => {
    const text = 'Hello {name}, %d messages at https://x.org [0] 👍 42';
    expect(protect(text, 'none')).toEqual({ masked: text, spans: [] });
  });

  it('keeps sentence punctuation and whitespace out of masks', () => {
    const { masked } = protect('Pi is 3.14. Visit https://x.org/a?b=1! Price: {0:.2f}?', 'auto');
    expect(masked).toBe('Pi is [0]. Visit [1]! Price: [2]?');
    for (const mask of [maskToken(0), maskToken(10), maskToken(123)]) expect(mask).not.toMatch(/[\s.!?,;:。！？]/u);
  });
});

describe('restore', () => {
  it('puts spans back where the model moved their masks', () => {
    const { spans } = protect('Hello {name}, you have %d messages', 'auto');
    expect(restore('Una ujumbe [1], [0]', spans)).toBe('Una ujumbe %d, {name}');
  });

  it('refuses a mask without a span (an output that was not checked)', () => {
    const { spans } = protect('Hello {name}', 'auto');
    expect(() => restore('Habari [0] [7]', spans)).toThrow(RangeError);
  });
});

// Hostile text: brackets, digits of several scripts, look-alike brackets, placeholder syntax.
const nasty = fc.string({ unit: fc.constantFrom(...'[]［］【】0123456789٣ {}%$#@<>/.,:sd()ab-'), maxLength: 60 });
const anyText = fc.oneof(nasty, fc.string({ unit: 'grapheme', maxLength: 60 }), mixedText.map((m) => m.text));

describe('protect: property', () => {
  it('leaves no mask-like token in the masked text but its own masks [0]..[n-1], each once, in order', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        const { masked, spans } = protect(a + b, 'auto');
        expect(maskLikeTokensIn(masked)).toEqual(spans.map((_, i) => maskToken(i)));
      }),
      { numRuns: 1000 },
    );
  });

  it('restores the masked text to the input exactly', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        const { masked, spans } = protect(a + b, 'auto');
        expect(restore(masked, spans)).toBe(a + b);
      }),
      { numRuns: 1000 },
    );
  });
});
