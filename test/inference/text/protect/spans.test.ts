import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSpans, type SpanKind } from '../../../../inference/text/protect/index.js';
import { mixedText, multiset } from './support.js';

const found = (text: string) => findSpans(text).map((s) => [s.kind, s.text]);
const texts = (text: string) => findSpans(text).map((s) => s.text);

describe('findSpans: one kind at a time', () => {
  const cases: Array<[SpanKind, string, string[]]> = [
    ['brace', 'Hello {name}, you have {0} new {count, number} {} {0:.2f} {user.name} {n!r}', ['{name}', '{0}', '{count, number}', '{}', '{0:.2f}', '{user.name}', '{n!r}']],
    ['double-brace', 'Hi {{name}} and {{{html}}} and {{count, number}}', ['{{name}}', '{{{html}}}', '{{count, number}}']],
    ['template', 'Hi ${user} and #{ruby}', ['${user}', '#{ruby}']],
    ['printf', 'a %s b %d c %1$s d %(name)s e %% f %-5.2f g %@ h %ld i %2$@', ['%s', '%d', '%1$s', '%(name)s', '%%', '%-5.2f', '%@', '%ld', '%2$@']],
    ['tag', 'Click <0>here</0> or <1/> or <2 /> and <b>bold</b><br/>', ['<0>', '</0>', '<1/>', '<2 />', '<b>', '</b>', '<br/>']],
    ['url', 'See https://sema.africa/docs?x=1&y=2, www.example.org/a and mailto:me@x.org.', ['https://sema.africa/docs?x=1&y=2', 'www.example.org/a', 'mailto:me@x.org']],
    ['email', 'Write to team@example.org or a.b+c@mail.example.co.ke.', ['team@example.org', 'a.b+c@mail.example.co.ke']],
    ['mention', 'Thanks @amina and @dev.team.', ['@amina', '@dev.team']],
    ['hashtag', 'Trending: #Nairobi2024 and #habari_yako', ['#Nairobi2024', '#habari_yako']],
    ['emoji', 'ok 👍 fam 👨‍👩‍👧‍👦 flag 🇰🇪 key 1️⃣ #️⃣ tone 👋🏾 heart ❤️ bare ☺ pride 🏳️‍🌈', ['👍', '👨‍👩‍👧‍👦', '🇰🇪', '1️⃣', '#️⃣', '👋🏾', '❤️', '☺', '🏳️‍🌈']],
    ['number', 'Pay 123 or 3.14 or 1,000 or 1.000,50 or ٣٤ now.', ['123', '3.14', '1,000', '1.000,50', '٣٤']],
    ['mask-like', 'See [1], items[0], [ 2 ], ［3］, 【4】, [05] and 6] and [7', ['[1]', '[0]', '[ 2 ]', '［3］', '【4】', '[05]', '6]', '[7']],
  ];
  for (const [kind, text, expected] of cases) {
    it(`${kind}: ${text}`, () => {
      const spans = findSpans(text);
      expect(spans.map((s) => s.text)).toEqual(expected);
      expect(spans.every((s) => s.kind === kind)).toBe(true);
      for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
    });
  }
});

describe('findSpans: what is not a span', () => {
  it.each([
    ['prose in braces', 'Note {see below} here'],
    ['C# and F# (a hash after a letter)', 'I write C# and F#'],
    ['digits inside words and versions', 'mp3 files, H2O, COVID-19, version v1.2.3'],
    ['an ICU plural that does not parse', 'You have {count, plural, one {'],
    ['a lone at sign or hash', 'a @ b and # c'],
    ['sentence punctuation', 'Wow‼ Really⁉ Yes!'],
  ])('%s', (_, text) => {
    expect(found(text)).toEqual([]);
  });

  it('reads a percent sign in prose as text, not printf (its number is a span)', () => {
    expect(found('50% off, 100% sure, 20% discount')).toEqual([['number', '50'], ['number', '100'], ['number', '20']]);
  });

  it('leaves tags with attributes to the markup handling (only the bare closing tag is a span)', () => {
    expect(found('<a href="x">link</a>')).toEqual([['tag', '</a>']]);
  });
});

describe('findSpans: overlaps', () => {
  it('takes the span that starts first, then the longest', () => {
    expect(found('{{name}} {name} ${name} %1$s <0> 1️⃣')).toEqual([
      ['double-brace', '{{name}}'],
      ['brace', '{name}'],
      ['template', '${name}'],
      ['printf', '%1$s'],
      ['tag', '<0>'],
      ['emoji', '1️⃣'],
    ]);
  });

  it('keeps what is inside a URL in the URL, and the URL out of the sentence punctuation', () => {
    // Braces end a URL (they are not URL characters), so a templated URL is two spans.
    expect(found('Go to https://x.org/a/{id}?n=1.')).toEqual([
      ['url', 'https://x.org/a/'],
      ['brace', '{id}'],
      ['number', '1'],
    ]);
    expect(texts('(see https://en.wikipedia.org/wiki/C_(language))')).toEqual(['https://en.wikipedia.org/wiki/C_(language)']);
    expect(texts('(see https://x.org/a)')).toEqual(['https://x.org/a']);
  });

  it('reads an e-mail address as one span, not a mention', () => {
    expect(found('mail me@x.org now')).toEqual([['email', 'me@x.org']]);
  });

  it('makes a run of adjacent emoji one span', () => {
    expect(texts('so good 👍🏽👍🔥 yes')).toEqual(['👍🏽👍🔥']);
  });

  it('finds a search resumed after an overlapping span (a rule is searched again from the winner’s end)', () => {
    // The brace rule first matches {x} inside {{x}}; after the double-brace span it must still find {y}.
    expect(texts('{{x}}{y}')).toEqual(['{{x}}', '{y}']);
  });
});

describe('findSpans: property', () => {
  it('finds exactly the generated spans in text mixing corpus words and every span kind', () => {
    fc.assert(
      fc.property(mixedText, ({ text, spans }) => {
        expect(multiset(texts(text))).toEqual(multiset(spans));
      }),
      { numRuns: 500 },
    );
  });

  it('returns ordered, non-overlapping slices of the text for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: fc.constantFrom(...'{}[]%$#@<>/0123456789 .,:sd()abc👍\u200d'), maxLength: 60 }), (a, b) => {
        const text = a + b;
        let at = 0;
        for (const s of findSpans(text)) {
          expect(s.start).toBeGreaterThanOrEqual(at);
          expect(s.end).toBeGreaterThan(s.start);
          expect(text.slice(s.start, s.end)).toBe(s.text);
          at = s.end;
        }
      }),
      { numRuns: 500 },
    );
  });
});
