import { isPluralElement, isSelectElement, parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeIcuLiteral } from '../../../../inference/text/protect/index.js';

const OPTIONS = { ignoreTag: true, requiresOtherClause: true } as const;
const literalOf = (elements: MessageFormatElement[]) => elements.map((el) => (el.type === 0 ? el.value : `<${el.type}>`)).join('');
const hostile = fc.string({ unit: fc.constantFrom(...`ab '{}#<>|`), maxLength: 16 });

describe('escapeIcuLiteral', () => {
  it('quotes syntax the way a person would and leaves ordinary apostrophes alone', () => {
    expect(escapeIcuLiteral("l'enfant {name}", { pound: false, next: undefined })).toBe("l'enfant '{name}'");
    expect(escapeIcuLiteral('# items', { pound: true, next: '}' })).toBe("'#' items");
    expect(escapeIcuLiteral('# items', { pound: false, next: '}' })).toBe('# items');
    expect(escapeIcuLiteral("it's", { pound: false, next: undefined })).toBe("it's");
  });

  it("doubles an apostrophe that would start a quote before the syntax that follows", () => {
    expect(escapeIcuLiteral("l'", { pound: false, next: '{' })).toBe("l''");
    expect(escapeIcuLiteral("l'", { pound: true, next: '#' })).toBe("l''");
  });

  it('escapes any text so that it parses back to itself, at the top level', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(literalOf(parse(escapeIcuLiteral(text, { pound: false, next: undefined }), OPTIONS))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes any text so that it parses back to itself inside a plural or select option, before an argument', () => {
    fc.assert(
      fc.property(hostile, hostile, fc.constantFrom('plural', 'selectordinal', 'select'), (a, b, type) => {
        const pound = type !== 'select';
        const option = escapeIcuLiteral(a, { pound, next: '{' }) + '{x}' + escapeIcuLiteral(b, { pound, next: '}' });
        const [el] = parse(`{n, ${type}, other {${option}}}`, OPTIONS);
        if (!el || !(isPluralElement(el) || isSelectElement(el))) throw new Error('expected one plural or select argument');
        expect(literalOf(el.options.other!.value)).toBe(`${a}<1>${b}`);
      }),
      { numRuns: 2000 },
    );
  });
});
