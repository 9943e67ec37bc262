import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMasks, fallbackPlan, protect } from '../../../../inference/text/protect/index.js';
import { mixedText } from './support.js';

describe('fallbackPlan', () => {
  it('splits at the masks into the text between them', () => {
    const plan = fallbackPlan('Hello [0], you have [1] new messages[2]');
    expect(plan.pieces).toEqual(['Hello ', ', you have ', ' new messages', '']);
  });

  it('joins translated pieces with the masks in their original order', () => {
    const plan = fallbackPlan('Hello [0], you have [1] new messages');
    expect(plan.join(['Habari ', ', una ', ' ujumbe mpya'])).toBe('Habari [0], una [1] ujumbe mpya');
  });

  it('keeps the source piece where a translated piece has anything mask-like in it', () => {
    const plan = fallbackPlan('Hello [0] world');
    expect(plan.join(['Habari [0] ', ' dunia'])).toBe('Hello [0] dunia');
    expect(plan.join(['Habari ', ' ［1］dunia'])).toBe('Habari [0] world');
  });

  it('refuses a wrong number of pieces', () => {
    expect(() => fallbackPlan('a [0] b').join(['x'])).toThrow(RangeError);
  });

  it('joins to an output that passes checkMasks, whatever the translated pieces are', () => {
    const junk = fc.string({ unit: fc.constantFrom(...'[]［］0123456789٣ ab.,'), maxLength: 12 });
    fc.assert(
      fc.property(mixedText, fc.array(junk, { minLength: 40, maxLength: 40 }), ({ text }, translated) => {
        const { masked } = protect(text, 'auto');
        const plan = fallbackPlan(masked);
        expect(checkMasks(masked, plan.join(translated.slice(0, plan.pieces.length)))).toEqual({ ok: true });
      }),
      { numRuns: 500 },
    );
  });
});
