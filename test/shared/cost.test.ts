import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTranslateRequest } from '../../shared/contract/validate.js';
import { effectiveBeams, estimateCost, estimateSentences, estimateTokens, SENTENCE_OVERHEAD_TOKENS } from '../../shared/cost.js';
import { DEFAULT_LIMITS, resolveLimits } from '../../shared/limits.js';

const greedy = { beam_size: 1, alternatives: 0 };
const latin = (characters: number) => 'Habari ya asubuhi, rafiki yangu mpendwa. '.repeat(Math.ceil(characters / 41)).slice(0, characters);

describe('estimateTokens: one token per dense-script character, one per three of the rest', () => {
  it('counts by script', () => {
    expect(estimateTokens('abcdef')).toBe(2);
    expect(estimateTokens('abcdefg')).toBe(3);
    expect(estimateTokens('你好世界')).toBe(4);
    expect(estimateTokens('ሰላም')).toBe(3); // Ethiopic
    expect(estimateTokens('你好 abc')).toBe(2 + 2); // 2 dense, 4 other (space included)
    expect(estimateTokens('𠀀')).toBe(1); // an astral Han character is one code point
  });

  it('property: monotonic (appending never lowers it) and additive within one of the parts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }), (a, b) => {
        const whole = estimateTokens(a + b);
        expect(whole).toBeGreaterThanOrEqual(estimateTokens(a));
        expect(Math.abs(whole - estimateTokens(a) - estimateTokens(b))).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('estimateSentences', () => {
  it('ends a sentence at terminal punctuation followed by whitespace, and at line breaks; pieces rejoin to the text', () => {
    const text = 'Habari yako? Nzuri sana. "Asante!" he said.\nLine two 3.5 e.g.x\n\n你好。世界';
    const pieces = estimateSentences(text);
    expect(pieces).toEqual(['Habari yako? ', 'Nzuri sana. ', '"Asante!" ', 'he said.\n', 'Line two 3.5 e.g.x\n\n', '你好。世界']);
    expect(pieces.join('')).toBe(text);
  });

  it('a text without marks is one sentence', () => {
    expect(estimateSentences('no marks here')).toEqual(['no marks here']);
  });
});

describe('estimateCost = Σ items Σ sentences (tokens + overhead) × max(beam_size, alternatives + 1)', () => {
  it('prices one sentence greedy as its tokens plus the overhead', () => {
    expect(estimateCost({ texts: ['abcdef'], options: greedy })).toBe(2 + SENTENCE_OVERHEAD_TOKENS);
  });

  it('adds up items and sentences', () => {
    const one = estimateCost({ texts: ['Habari yako? '], options: greedy });
    const two = estimateCost({ texts: ['Nzuri sana.'], options: greedy });
    expect(estimateCost({ texts: ['Habari yako? ', 'Nzuri sana.'], options: greedy })).toBe(one + two);
    expect(estimateCost({ texts: ['Habari yako? Nzuri sana.'], options: greedy })).toBe(one + two);
  });

  it('multiplies by the beams the search runs: alternatives widen the beam and add nothing else', () => {
    const base = estimateCost({ texts: ['hello there'], options: greedy });
    expect(estimateCost({ texts: ['hello there'], options: { beam_size: 4, alternatives: 0 } })).toBe(4 * base);
    expect(estimateCost({ texts: ['hello there'], options: { beam_size: 1, alternatives: 2 } })).toBe(3 * base);
    expect(estimateCost({ texts: ['hello there'], options: { beam_size: 4, alternatives: 3 } })).toBe(4 * base);
    expect(effectiveBeams({ beam_size: 2, alternatives: 3 })).toBe(4);
  });

  it('takes a validated request as it is (the container calls it with the same NormalizedTranslateRequest)', () => {
    const request = validateTranslateRequest({ text: ['a b c', 'd e f'], target_language: 'sw', options: { beam_size: 2 } }, resolveLimits({}));
    expect(estimateCost(request)).toBe(2 * 2 * (2 + SENTENCE_OVERHEAD_TOKENS));
  });

  it('the default budget: 60 typical ~100-character greedy requests fit, 40 × 5000-character beam-4 requests do not', () => {
    const typical = estimateCost({ texts: [latin(100)], options: greedy });
    const heavy = estimateCost({ texts: [latin(5000)], options: { beam_size: 4, alternatives: 0 } });
    expect(60 * typical).toBeLessThanOrEqual(DEFAULT_LIMITS.COST_BUDGET_PER_MINUTE);
    expect(40 * heavy).toBeGreaterThan(DEFAULT_LIMITS.COST_BUDGET_PER_MINUTE);
    // one request of the largest Latin text at the widest beam is still admissible on its own
    expect(heavy).toBeLessThanOrEqual(DEFAULT_LIMITS.COST_BUDGET_PER_MINUTE);
  });

  it('property: a positive integer, monotonic in text and beams', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 80 }), { minLength: 1, maxLength: 5 }),
        fc.string({ maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (texts, extra, beam_size, alternatives) => {
          const cost = estimateCost({ texts, options: { beam_size, alternatives } });
          expect(Number.isInteger(cost) && cost >= 1).toBe(true);
          expect(estimateCost({ texts: [...texts, extra || 'x'], options: { beam_size, alternatives } })).toBeGreaterThan(cost);
          expect(estimateCost({ texts, options: { beam_size: Math.min(4, beam_size + 1), alternatives } })).toBeGreaterThanOrEqual(cost);
        },
      ),
    );
  });
});
