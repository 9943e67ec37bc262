import { parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import fc from 'fast-check';
import { MASK, type Translate } from '../../../../inference/text/protect/index.js';

/** English words and phrases of the tiny model's training corpus (models/fixture_builder/corpus.py). */
export const CORPUS_WORDS = [
  'the child', 'the teacher', 'the farmer', 'the doctor', 'the mother', 'the students', 'the women',
  'eats', 'drinks', 'sees', 'likes', 'buys', 'cooks', 'reads', 'writes', 'brings', 'sells', 'wants',
  'the bread', 'the water', 'the tea', 'the book', 'the letter', 'the car', 'the house', 'the dog',
  'today', 'every day', 'in the morning', 'hello', 'thank you very much', 'welcome', 'goodbye', 'my friend',
];

const name = fc.constantFrom('name', 'count', 'user', 'n', 'firstName', 'x1');
const digits = fc.integer({ min: 0, max: 99 }).map(String);

/**
 * One protected span of every kind the plain-text rules know, as app developers write them. Each
 * is detected as exactly itself when separated from its neighbours by a space.
 */
export const plainSpan: fc.Arbitrary<string> = fc.oneof(
  name.map((n) => `{${n}}`),
  digits.map((d) => `{${d}}`),
  name.map((n) => `{{${n}}}`),
  name.map((n) => `\${${n}}`),
  fc.constantFrom('%s', '%d', '%1$s', '%2$d', '%(name)s', '%%', '%.2f', '%@', '%ld'),
  digits.map((d) => `<${d}>`),
  digits.map((d) => `</${d}>`),
  digits.map((d) => `<${d}/>`),
  fc.constantFrom('https://example.org/a?b=1&c=2', 'http://sema.africa/docs/(v1)', 'www.example.org/path', 'mailto:team@example.org'),
  fc.constantFrom('team@example.org', 'a.b+c@mail.example.co.ke'),
  fc.constantFrom('@amina', '@john_doe', '@dev.team'),
  fc.constantFrom('#hashtag', '#Nairobi2024', '#habari_yako'),
  fc.constantFrom('👍', '👍🏽', '👨‍👩‍👧‍👦', '🇰🇪', '1️⃣', '#️⃣', '❤️', '🏳️‍🌈'),
  fc.constantFrom('123', '3.14', '1,000', '2024', '0'),
  // User text that looks like a mask: protected like any span.
  digits.map((d) => `[${d}]`),
  fc.constantFrom('[ 1 ]', '［2］', '[03]', '7]'),
);

const separator = fc.constantFrom(' ', ', ', '. ', ' - ', ': ', '; ', '! ', '? ');

export type Token = { word: string } | { span: string };

/** A sentence of corpus words and spans, with the spans it contains (in order). */
export const mixedText: fc.Arbitrary<{ text: string; spans: string[] }> = fc
  .array(fc.oneof(fc.constantFrom(...CORPUS_WORDS).map((word): Token => ({ word })), plainSpan.map((span): Token => ({ span }))), { minLength: 1, maxLength: 12 })
  .chain((tokens) =>
    fc.array(separator, { minLength: tokens.length, maxLength: tokens.length }).map((seps) => {
      let text = '';
      tokens.forEach((t, i) => {
        text += ('word' in t ? t.word : t.span) + (i < tokens.length - 1 ? seps[i]! : '');
      });
      return { text, spans: tokens.flatMap((t) => ('span' in t ? [t.span] : [])) };
    }),
  );

/** What a model might do to one segment. */
export type Adversary = (segment: string) => string;

const firstMask = (s: string) => new RegExp(MASK.source).exec(s)?.[0];

export const ADVERSARIES: Record<string, Adversary> = {
  identity: (s) => s,
  uppercase: (s) => s.toUpperCase(),
  reverseWords: (s) => s.split(/\s+/u).reverse().join(' '),
  swapMasks: (s) => {
    const masks = Array.from(s.matchAll(MASK), (m) => m[0]);
    if (masks.length < 2) return s;
    return s.replace(MASK, (m) => (m === masks[0] ? masks[1]! : m === masks[1] ? masks[0]! : m));
  },
  dropMask: (s) => {
    const m = firstMask(s);
    return m ? s.replace(m, '') : s;
  },
  duplicateMask: (s) => {
    const m = firstMask(s);
    return m ? s.replace(m, `${m} ${m}`) : s;
  },
  mangleMask: (s) => {
    const m = firstMask(s);
    return m ? s.replace(m, `[ ${m.slice(1)}`) : s;
  },
  mangleToFullWidth: (s) => s.replace(MASK, (_, d: string) => `［${d}］`),
  inventMask: (s) => `${s} [0] [42]`,
  dropEverything: () => '',
};

/** A translator applying `adversary` to every segment. */
export function translatorOf(adversary: Adversary): Translate {
  return async (segments) => segments.map(adversary);
}

/** The multiset of `items`, as sorted entries. */
export function multiset(items: readonly string[]): string[] {
  return [...items].sort();
}

const ICU_OPTIONS = { captureLocation: true, ignoreTag: true, requiresOtherClause: true } as const;

/** Every literal element of an ICU text, depth first. */
export function icuLiterals(text: string): Array<{ value: string; start: number; end: number }> {
  const out: Array<{ value: string; start: number; end: number }> = [];
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === 0) out.push({ value: el.value, start: el.location!.start.offset, end: el.location!.end.offset });
      if ('options' in el) for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(parse(text, ICU_OPTIONS));
  return out;
}

/** The ICU structure of `text`: the text without its literal runs (arguments, keywords, selectors, braces, `#`). */
export function icuSkeleton(text: string): string {
  let out = '';
  let at = 0;
  for (const literal of icuLiterals(text).sort((a, b) => a.start - b.start)) {
    out += text.slice(at, literal.start);
    at = literal.end;
  }
  return out + text.slice(at);
}

/**
 * The ICU structure of `text` up to the order of arguments within a message (a model may move
 * them with the word order): every argument, `#`, keyword, selector and brace byte for byte,
 * literal text left out, the non-literal elements of each message sorted.
 */
export function icuStructure(text: string): string {
  const message = (elements: MessageFormatElement[]): string =>
    elements
      .filter((el) => el.type !== 0)
      .map((el) => {
        const start = el.location!.start.offset;
        const end = el.location!.end.offset;
        if (!('options' in el)) return text.slice(start, end);
        let out = '';
        let at = start;
        for (const option of Object.values(el.options).sort((a, b) => a.location!.start.offset - b.location!.start.offset)) {
          out += `${text.slice(at, option.location!.start.offset + 1)}<${message(option.value)}>`;
          at = option.location!.end.offset - 1;
        }
        return out + text.slice(at, end);
      })
      .sort()
      .join('|');
  return message(parse(text, ICU_OPTIONS));
}

/** The parse tree without locations, for comparing what two ICU texts mean. */
export function icuMeaning(text: string): unknown {
  return JSON.parse(JSON.stringify(parse(text, { ignoreTag: true, requiresOtherClause: true }), (key, value) => (key === 'location' ? undefined : value)));
}
