import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findSpans,
  PLACEHOLDER_FALLBACK,
  prepareText,
  translateMasked,
  translateProtected,
  type Translate,
} from '../../../../inference/text/protect/index.js';
import { reassemble, segmentText } from '../../../../inference/text/segmenter.js';
import { ADVERSARIES, CORPUS_WORDS, icuLiterals, icuMeaning, icuStructure, mixedText, multiset, plainSpan, translatorOf } from './support.js';

/** A translator that records every batch it is sent. */
function recording(adversary: (s: string) => string): { translate: Translate; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    translate: async (segments) => {
      calls.push([...segments]);
      return segments.map(adversary);
    },
  };
}

describe('translateProtected: plain text', () => {
  it('sends the masked text and restores the spans where the model put their masks', async () => {
    const { translate, calls } = recording(() => 'Una ujumbe [1] mpya, [0]');
    const out = await translateProtected('Hello {name}, you have %d new messages', 'auto', translate);
    expect(calls).toEqual([['Hello [0], you have [1] new messages']]);
    expect(out).toEqual({ text: 'Una ujumbe %d mpya, {name}', warnings: [] });
  });

  it('falls back to the text between the spans when the model breaks a mask, with a warning', async () => {
    const { translate, calls } = recording((s) => (s.includes('[') ? 'Habari [0] [0]' : s.toUpperCase()));
    const out = await translateProtected('Hello {name}, you have %d new messages', 'auto', translate);
    // the punctuation beside a span (", ") stays out of the model, so a model cannot glue words onto it
    expect(calls).toEqual([['Hello [0], you have [1] new messages'], ['Hello', 'you have', 'new messages']]);
    expect(out).toEqual({ text: 'HELLO {name}, YOU HAVE %d NEW MESSAGES', warnings: [PLACEHOLDER_FALLBACK] });
  });

  it('a fallback piece whose translation loses its leading punctuation never glues onto the span', async () => {
    const dropsPunctuation = (s: string) => (s.includes('[') ? 'broken' : s.replace(/^[^\p{L}]+/u, '').toUpperCase());
    const out = await translateProtected('@amina: the farmers sell the fish.', 'auto', recording(dropsPunctuation).translate);
    expect(out.text).toBe('@amina: THE FARMERS SELL THE FISH.');
  });

  it('does not send text without words: a lone span, punctuation between spans, empty text', async () => {
    const { translate, calls } = recording((s) => s.toUpperCase());
    expect(await translateProtected('{name}: %d 👍', 'auto', translate)).toEqual({ text: '{name}: %d 👍', warnings: [] });
    expect(await translateProtected('', 'auto', translate)).toEqual({ text: '', warnings: [] });
    expect(calls).toEqual([]);
  });

  it('keeps the whitespace around the text outside the model', async () => {
    const out = await translateProtected('  hello {name}  ', 'auto', translatorOf((s) => ` ${s.toUpperCase()}\n`));
    expect(out.text).toBe('  HELLO {name}  ');
  });

  it("sends the text unchanged and checks nothing in mode 'none'", async () => {
    const text = 'Hello {name}, you have %d new messages [0]';
    const { translate, calls } = recording(() => 'Habari yako');
    expect(await translateProtected(text, 'none', translate)).toEqual({ text: 'Habari yako', warnings: [] });
    expect(calls).toEqual([[text]]);
  });

  it('rejects a translator that returns the wrong number of translations', async () => {
    await expect(translateProtected('Hello {name}', 'auto', async () => [])).rejects.toThrow(RangeError);
  });
});

describe('translateProtected: ICU MessageFormat', () => {
  const text = 'Hi {name}! You have {count, plural, =0 {no messages} one {# message} other {# messages}}.';

  it('translates each message in one batch and rebuilds the structure', async () => {
    const { translate, calls } = recording((s) => s.toUpperCase());
    const out = await translateProtected(text, 'auto', translate);
    expect(calls).toEqual([['Hi [0]! You have [1].', 'no messages', '[0] message', '[0] messages']]);
    expect(out).toEqual({ text: 'HI {name}! YOU HAVE {count, plural, =0 {NO MESSAGES} one {# MESSAGE} other {# MESSAGES}}.', warnings: [] });
  });

  it('falls back per message: only the message whose masks broke is translated piecewise', async () => {
    const { translate, calls } = recording((s) => (s === '[0] messages' ? 'jumbe' : s.toUpperCase()));
    const out = await translateProtected(text, 'auto', translate);
    expect(calls[1]).toEqual(['messages']);
    expect(out.text).toBe('HI {name}! YOU HAVE {count, plural, =0 {NO MESSAGES} one {# MESSAGE} other {# MESSAGES}}.');
    expect(out.warnings).toEqual([PLACEHOLDER_FALLBACK]);
  });

  it('treats text that looks like ICU but does not parse as plain text, placeholders kept', async () => {
    const broken = 'You have {count, plural, one {# item} other {# items} for {name}';
    const out = await translateProtected(broken, 'auto', translatorOf((s) => s.toUpperCase()));
    expect(out).toEqual({ text: 'YOU HAVE {COUNT, PLURAL, ONE {# ITEM} OTHER {# ITEMS} FOR {name}', warnings: [] });
  });
});

describe('the steps, with the service’s sentence segmentation in between', () => {
  it('checks per segment, so only the sentence whose mask broke falls back', async () => {
    const text = 'Hello {name}. You have %d new messages. Visit https://sema.africa today!';
    const prepared = prepareText(text, 'auto');
    const plans = prepared.units.map((unit) => segmentText(unit, { lang: 'eng_Latn' }));
    const segments = plans.flatMap((plan) => plan.sources);
    expect(segments).toEqual(['Hello [0].', 'You have [1] new messages.', 'Visit [2] today!']);

    // Drops the mask of the second sentence; translates everything else (fallback pieces too) as upper case.
    const dropSecond = translatorOf((s) => (s === 'You have [1] new messages.' ? 'Una ujumbe mpya.' : s.toUpperCase()));
    const { outputs, problems } = await translateMasked(segments, dropSecond);
    expect(problems).toEqual([null, 'dropped', null]);

    let next = 0;
    const units = plans.map((plan) => reassemble(plan, outputs.slice(next, (next += plan.sources.length))));
    expect(prepared.assemble(units)).toBe('HELLO {name}. YOU HAVE %d NEW MESSAGES. VISIT https://sema.africa TODAY!');
  });
});

describe('translateProtected: property, against adversarial translators', () => {
  for (const [name, adversary] of Object.entries(ADVERSARIES)) {
    it(`keeps every protected span of plain text byte-identical: ${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(mixedText, async ({ text, spans }) => {
          const out = await translateProtected(text, 'auto', translatorOf(adversary));
          expect(multiset(findSpans(out.text).map((s) => s.text))).toEqual(multiset(spans));
        }),
        { numRuns: 150 },
      );
    });
  }

  it("sends exactly the input in mode 'none'", async () => {
    await fc.assert(
      fc.asyncProperty(mixedText, async ({ text }) => {
        const { translate, calls } = recording((s) => s);
        const out = await translateProtected(text, 'none', translate);
        expect(out.text).toBe(text);
        if (/\p{L}/u.test(text)) expect(calls).toEqual([[text]]);
      }),
      { numRuns: 150 },
    );
  });

  // ICU messages: corpus words, spans valid unquoted inside ICU literals, arguments, #, nesting.
  const icuSafeSpan = plainSpan.filter((s) => !/[{}'#]/u.test(s));
  const word = fc.constantFrom(...CORPUS_WORDS);
  const message = (depth: number, pound: boolean): fc.Arbitrary<string> =>
    fc
      .array(
        fc.oneof(
          { weight: 4, arbitrary: word },
          { weight: 2, arbitrary: icuSafeSpan },
          { weight: 1, arbitrary: fc.constantFrom('{name}', '{count, number}', '{d, date, short}') },
          { weight: pound ? 1 : 0, arbitrary: fc.constant('#') },
          { weight: depth < 2 ? 1 : 0, arbitrary: fc.constant(null).chain(() => complex(depth + 1)) },
        ),
        { minLength: 1, maxLength: 6 },
      )
      .map((tokens) => tokens.join(' '));
  const complex = (depth: number): fc.Arbitrary<string> =>
    fc.oneof(
      fc.tuple(message(depth, true), message(depth, true)).map(([a, b]) => `{count, plural, =0 {${a}} other {${b}}}`),
      fc.tuple(message(depth, false), message(depth, false)).map(([a, b]) => `{gender, select, female {${a}} other {${b}}}`),
      fc.tuple(message(depth, true), message(depth, true)).map(([a, b]) => `{n, selectordinal, one {${a}} other {${b}}}`),
    );
  const icuText = fc.tuple(message(1, false), complex(1), message(1, false)).map(([a, c, b]) => `${a} ${c} ${b}`);
  const spansOfLiterals = (text: string) => multiset(icuLiterals(text).flatMap((l) => findSpans(l.value).map((s) => s.text)));

  for (const [name, adversary] of Object.entries({
    ...ADVERSARIES,
    icuSyntaxNoise: (s: string) => `${s} } ' { # ''`,
  })) {
    it(`keeps ICU structure and every span byte-identical: ${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(icuText, async (text) => {
          const out = await translateProtected(text, 'auto', translatorOf(adversary));
          expect(icuStructure(out.text)).toBe(icuStructure(text));
          if (name === 'identity') expect(icuMeaning(out.text)).toEqual(icuMeaning(text));
          expect(spansOfLiterals(out.text)).toEqual(spansOfLiterals(text));
        }),
        { numRuns: 100 },
      );
    });
  }
});
