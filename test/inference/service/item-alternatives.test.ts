import { describe, expect, it } from 'vitest';
import { itemAlternatives, type SentenceChoices } from '../../../inference/service/item-alternatives.js';

const join = (texts: string[]) => texts.join(' ');

describe('itemAlternatives', () => {
  it('a single sentence: its n-best in order, without repeats of the chosen text or of each other', () => {
    const sentence: SentenceChoices = {
      text: 'mtoto anakula mkate',
      beamScore: -0.1,
      alternatives: [
        { text: 'mtoto anakula mkate', score: -0.2 },
        { text: 'mtoto anakula', score: -0.3 },
        { text: 'mtoto anakula', score: -0.4 },
        { text: 'mtoto ana mkate', score: -0.5 },
      ],
    };
    expect(itemAlternatives([sentence], 3, join)).toEqual(['mtoto anakula', 'mtoto ana mkate']);
    expect(itemAlternatives([sentence], 1, join)).toEqual(['mtoto anakula']);
    expect(itemAlternatives([sentence], 0, join)).toEqual([]);
  });

  it('several sentences: whole-item variants ranked by the summed loss of the swapped sentences', () => {
    const a: SentenceChoices = { text: 'A', beamScore: -0.1, alternatives: [{ text: 'a1', score: -0.5 }] };
    const b: SentenceChoices = { text: 'B', beamScore: -0.2, alternatives: [{ text: 'b1', score: -0.3 }, { text: 'b2', score: -0.9 }] };
    // losses: b1 0.1, a1 0.4, a1+b1 0.5, b2 0.7, a1+b2 1.1
    expect(itemAlternatives([a, b], 3, join)).toEqual(['A b1', 'a1 B', 'a1 b1']);
    expect(itemAlternatives([a, b], 10, join)).toEqual(['A b1', 'a1 B', 'a1 b1', 'A b2', 'a1 b2']);
  });

  it('sentences translated in pieces (no beam score) stay as chosen; variants that build the same text count once', () => {
    const pieces: SentenceChoices = { text: 'P', beamScore: null, alternatives: [{ text: 'p1', score: -0.2 }] };
    const b: SentenceChoices = { text: 'B', beamScore: -0.2, alternatives: [{ text: 'b1', score: -0.3 }, { text: 'b2', score: -0.4 }] };
    expect(itemAlternatives([pieces, b], 3, join)).toEqual(['P b1', 'P b2']);
    // a layout that ignores the second sentence: every variant builds the chosen text
    expect(itemAlternatives([pieces, b], 3, (texts) => texts[0]!)).toEqual([]);
  });
});
