import { describe, expect, it } from 'vitest';
import { checkMasks, icuMessages } from '../../../../inference/text/protect/index.js';
import { icuLiterals, icuMeaning, icuSkeleton } from './support.js';

function messagesOf(text: string): string[] {
  const icu = icuMessages(text);
  if (!icu) throw new Error(`not ICU: ${text}`);
  return icu.messages;
}

function rebuilt(text: string, translate: (message: string, index: number) => string): string {
  const icu = icuMessages(text)!;
  return icu.rebuild(icu.messages.map(translate));
}

describe('icuMessages: plural, select, selectordinal', () => {
  const plural = 'You have {count, plural, =0 {no new messages} one {# new message} other {# new messages}}.';

  it('gives the inner messages to translate, with the argument as a mask in the outer one and # protected', () => {
    expect(messagesOf(plural)).toEqual(['You have [0].', 'no new messages', '[0] new message', '[0] new messages']);
  });

  it('rebuilds the text exactly from untouched messages', () => {
    expect(rebuilt(plural, (m) => m)).toBe(plural);
  });

  it('rebuilds the structure byte-identical around translated messages', () => {
    const swahili = ['Una [0].', 'hakuna ujumbe mpya', 'ujumbe mpya [0]', 'jumbe mpya [0]'];
    expect(rebuilt(plural, (_, i) => swahili[i]!)).toBe(
      'Una {count, plural, =0 {hakuna ujumbe mpya} one {ujumbe mpya #} other {jumbe mpya #}}.',
    );
  });

  it('handles select with placeholders inside its messages', () => {
    const text = '{gender, select, female {She invited {guest}} male {He invited {guest}} other {They invited {guest}}}';
    expect(messagesOf(text)).toEqual(['[0]', 'She invited [0]', 'He invited [0]', 'They invited [0]']);
    expect(rebuilt(text, (m) => m.replace('invited', 'alimwalika'))).toBe(
      '{gender, select, female {She alimwalika {guest}} male {He alimwalika {guest}} other {They alimwalika {guest}}}',
    );
  });

  it('handles selectordinal, where # is protected too', () => {
    const text = "It's your {n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}} birthday!";
    expect(messagesOf(text)).toEqual(["It's your [0] birthday!", '[0]st', '[0]nd', '[0]rd', '[0]th']);
    expect(rebuilt(text, (m) => m)).toBe(text);
  });

  it('keeps offsets, =N selectors, spacing and argument formats verbatim', () => {
    const text = '{guests,plural,offset:1\n  =0{nobody}\n  one{{host} and # other on {d, date, short}}\n  other{{host} and # others at {price, number, ::currency/EUR}}}';
    const icu = icuMessages(text)!;
    expect(icu.messages.slice(1)).toEqual(['nobody', '[0] and [1] other on [2]', '[0] and [1] others at [2]']);
    const out = icu.rebuild(icu.messages.map((m) => m.toUpperCase()));
    expect(out).toBe('{guests,plural,offset:1\n  =0{NOBODY}\n  one{{host} AND # OTHER ON {d, date, short}}\n  other{{host} AND # OTHERS AT {price, number, ::currency/EUR}}}');
  });

  it('numbers option messages in source order even when a select key looks like an integer', () => {
    const text = '{n, select, 2 {two} 1 {one} other {many}}';
    expect(messagesOf(text)).toEqual(['[0]', 'two', 'one', 'many']);
    expect(rebuilt(text, (m) => m.toUpperCase())).toBe('{n, select, 2 {TWO} 1 {ONE} other {MANY}}');
  });
});

describe('icuMessages: nesting', () => {
  const nested =
    '{gender, select, female {She has {count, plural, one {# cat} other {# cats}}} other {They have {count, plural, one {# cat} other {# cats}}}}';

  it('makes a nested argument one mask in its parent message and translates its options on their own', () => {
    expect(messagesOf(nested)).toEqual(['[0]', 'She has [0]', '[0] cat', '[0] cats', 'They have [0]', '[0] cat', '[0] cats']);
  });

  it('lets the model move a nested argument with the word order', () => {
    const out = rebuilt(nested, (m, i) => (i === 1 ? '[0] ni zake' : m));
    expect(out).toBe(
      '{gender, select, female {{count, plural, one {# cat} other {# cats}} ni zake} other {They have {count, plural, one {# cat} other {# cats}}}}',
    );
    // Only literal text moved around the argument: the structure is the same.
    expect(icuSkeleton(out)).toBe(icuSkeleton(nested));
    expect(icuMeaning(rebuilt(nested, (m) => m))).toEqual(icuMeaning(nested));
  });

  it('rebuilds around a translation that moved the nested argument in the middle of text', () => {
    const text = 'You have {count, plural, one {# message} other {# messages}} from {name}.';
    expect(messagesOf(text)).toEqual(['You have [0] from [1].', '[0] message', '[0] messages']);
    expect(rebuilt(text, (m, i) => (i === 0 ? '[1] amekutumia [0].' : m))).toBe(
      '{name} amekutumia {count, plural, one {# message} other {# messages}}.',
    );
  });
});

describe('icuMessages: literal text', () => {
  it('protects the plain-text spans inside messages', () => {
    const text = '{n, plural, one {# file at https://x.org/a 👍} other {# files, 100% at %s for @amina}}';
    expect(messagesOf(text)).toEqual(['[0]', '[0] file at [1] [2]', '[0] files, [1]% at [2] for [3]']);
  });

  it('gives quoted text to the model unquoted and quotes it again', () => {
    const text = "{n, plural, one {l''enfant has '{braces}' and '#'} other {# x}}";
    const icu = icuMessages(text)!;
    expect(icu.messages[1]).toBe("l'enfant has [0] and #");
    const out = icu.rebuild(icu.messages);
    expect(icuMeaning(out)).toEqual(icuMeaning(text));
  });

  it('escapes ICU syntax that a translation brings in, so the structure survives', () => {
    const text = 'You have {count, plural, one {# message} other {# messages}}';
    const icu = icuMessages(text)!;
    const out = icu.rebuild(["Una [0] {l'x} }", "[0] ujumbe # '", "[0] {jumbe}'"]);
    expect(icuSkeleton(out)).toBe(icuSkeleton(text));
    expect(out).toBe("Una {count, plural, one {# ujumbe '#' ''} other {# '{jumbe}'''}} '{l''x}' '}'");
    expect(icuLiterals(out).map((l) => l.value)).toEqual(['Una ', ' ujumbe # \'', " {jumbe}'", " {l'x} }"]);
  });
});

describe('icuMessages: what is not ICU', () => {
  it.each([
    ['plain text', 'Hello world'],
    ['simple arguments only', 'Hello {name}, you have {count, number} messages'],
    ['a plural that does not parse', 'You have {count, plural, one {# item} other'],
    ['a plural without other', 'You have {count, plural, one {# item}}'],
    ['double braces', 'Hello {{name}}, {count, plural, one {# item} other {# items}}'],
    ['an unknown argument type', '{count, plurals, one {x} other {y}}'],
  ])('%s → null', (_, text) => {
    expect(icuMessages(text)).toBeNull();
  });
});

describe('icuMessages: outputs', () => {
  it('refuses a wrong number of messages and an unknown mask', () => {
    const icu = icuMessages('{n, plural, other {# x}}')!;
    expect(() => icu.rebuild(['[0]'])).toThrow(RangeError);
    expect(() => icu.rebuild(['[0]', '[0] [5]'])).toThrow(RangeError);
  });

  it('messages pass checkMasks against themselves (the service checks each one)', () => {
    const icu = icuMessages('{n, plural, one {# {a} {b}} other {# {a} {b}}}')!;
    for (const m of icu.messages) expect(checkMasks(m, m)).toEqual({ ok: true });
  });
});
