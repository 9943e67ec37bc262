import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemeBounds, leadingSpaceEnd, trailingSpaceStart, trimmed } from '../../../inference/text/graphemes.js';

const icu = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const icuBoundaries = (text: string) => {
  const set = new Set<number>([text.length]);
  for (const { index } of icu.segment(text)) set.add(index);
  return set;
};

const TRICKY = [
  'e\u0301 a \u0301b',
  'x\u0600 y',
  'line\r\nnext\r\n',
  '👩‍👩‍👧‍👦🇰🇪🇰🙂🏽',
  'क्षि नमस्ते',
  '한국어 \u1100\u1161\u11a8',
  'lone \ud800 and \udfff surrogates 𝄞',
  'ก ำ สวัสดี',
  'Ẹ kú àárọ̀.',
];

describe('graphemeBounds', () => {
  it('agrees with Intl.Segmenter at every index of tricky text', () => {
    for (const text of TRICKY) {
      const bounds = graphemeBounds(text);
      const expected = icuBoundaries(text);
      for (let i = 0; i <= text.length; i++) expect(bounds.isBoundary(i), `${JSON.stringify(text)} @${i}`).toBe(expected.has(i));
    }
  });

  it('floor and ceil move to the nearest boundary inside a cluster and stay on one', () => {
    const text = 'a👩‍👩‍👧‍👦b';
    const bounds = graphemeBounds(text);
    expect(bounds.floor(3)).toBe(1);
    expect(bounds.ceil(3)).toBe(text.length - 1);
    expect(bounds.floor(1)).toBe(1);
    expect(bounds.ceil(text.length)).toBe(text.length);
  });

  it('property: agrees with Intl.Segmenter on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', maxLength: 3 })), maxLength: 12 }), (text) => {
        const bounds = graphemeBounds(text);
        const expected = icuBoundaries(text);
        for (let i = 0; i <= text.length; i++) expect(bounds.isBoundary(i)).toBe(expected.has(i));
      }),
      { numRuns: 200 },
    );
  });
});

describe('whitespace trimming at grapheme boundaries', () => {
  it('trims plain whitespace like String.prototype.trim', () => {
    expect(trimmed('  hello world \t')).toBe('hello world');
    expect(trimmed('\u3000全角\u00a0')).toBe('全角');
    expect(trimmed('   ')).toBe('');
    expect(trimmed('')).toBe('');
  });

  it('a space carrying a combining mark is whitespace with its mark; a space joined to a prepended sign is kept before it', () => {
    const lead = ' \u0301word';
    expect(leadingSpaceEnd(lead)).toBe(2);
    const tail = 'word\u0600 ';
    expect(trailingSpaceStart(tail)).toBe(4);
    expect(trimmed(`${lead} `)).toBe('word');
  });
});
