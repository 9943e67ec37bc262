/** text/batch.ts: a request's items segmented together, some kept verbatim, and put back in order. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKENS, modelSegmentOptions, reassembleBatch, segmentBatch } from '../../../inference/text/index.js';

const upper = (s: string) => s.toUpperCase();

describe('segmentBatch with per-item options', () => {
  it('keeps an item verbatim when its options are null, and maps every source to its item', () => {
    const texts = ['First item. Two sentences.', 'Déjà traduit. Ne pas toucher.', 'Last one.'];
    const batch = segmentBatch(texts, (i) => (i === 1 ? null : { lang: 'eng_Latn' }));
    expect(batch.sources).toEqual(['First item.', 'Two sentences.', 'Last one.']);
    expect(batch.itemOfSource).toEqual([0, 0, 2]);
    expect(reassembleBatch(batch, batch.sources.map(upper))).toEqual(['FIRST ITEM. TWO SENTENCES.', 'Déjà traduit. Ne pas toucher.', 'LAST ONE.']);
  });

  it('an empty item kept verbatim stays empty', () => {
    const batch = segmentBatch(['', 'x y.'], (i) => (i === 0 ? null : {}));
    expect(reassembleBatch(batch, batch.sources)).toEqual(['', 'x y.']);
  });
});

describe('modelSegmentOptions', () => {
  const words = (text: string) => text.split(' ').length + 2; // [src] tokens </s>

  it('bounds sentences by DEFAULT_MAX_TOKENS, counted with the model\'s tokenizer', () => {
    const options = modelSegmentOptions({ tokenCount: words, maxSourceTokens: 1024 }, 'eng_Latn');
    expect(options.maxTokens).toBe(DEFAULT_MAX_TOKENS);
    expect(options.countTokens?.('a b c')).toBe(5);
  });

  it('never more than the model takes, so no sentence is truncated', () => {
    const options = modelSegmentOptions({ tokenCount: words, maxSourceTokens: 12 }, 'eng_Latn');
    expect(options.maxTokens).toBe(12);
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') + '.';
    for (const source of segmentBatch([long], options).sources) expect(words(source)).toBeLessThanOrEqual(12);
  });
});
