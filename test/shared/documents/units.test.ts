import { describe, expect, it } from 'vitest';
import { fitLines } from '../../../shared/documents/cues.js';
import { UnitCollector, decodeRuns, splitLongText, withEdgesOf } from '../../../shared/documents/units.js';

describe('run tags: a paragraph of formatted runs as one unit', () => {
  it('encodes runs as numbered tags, a separator as a space between them', () => {
    const collector = new UnitCollector(5000);
    collector.addParagraph([
      { text: 'Hello ', separatedBefore: false },
      { text: 'world', separatedBefore: false },
      { text: 'again', separatedBefore: true },
    ]);
    expect(collector.units).toEqual([{ text: '<0>Hello </0><1>world</1> <2>again</2>', format: 'text', modelText: 'Hello  world again' }]);
  });

  it('decodes each tag pair into its run, in whatever order the model put them', () => {
    expect(decodeRuns('<1>Welt</1> <0>Hallo</0>', 2)).toEqual(['Hallo', 'Welt']);
    expect(decodeRuns('<0>Habari </0><1>dunia</1>', 2)).toEqual(['Habari ', 'dunia']);
  });

  it('text outside the tags goes to the run opened last (the first before any); nothing is lost or doubled', () => {
    expect(decodeRuns('Oh <0>Hallo</0> und <1>Welt</1>!', 2)).toEqual(['Oh Hallo und ', 'Welt!']);
    expect(decodeRuns('no tags at all', 3)).toEqual(['no tags at all', '', '']);
    // A tag the source never had is text.
    expect(decodeRuns('<0>a</0><7>b</7>', 2)).toEqual(['a<7>b</7>', '']);
  });

  it("keeps each run's own leading and trailing whitespace; a run whose tags were lost is emptied", () => {
    const collector = new UnitCollector(5000);
    const read = collector.addParagraph([
      { text: 'Bold ', separatedBefore: false },
      { text: 'rest', separatedBefore: false },
    ]);
    expect(read(['<0>Fett</0><1>Rest</1>'])).toEqual(['Fett ', 'Rest']);
    expect(read(['<1>alles</1>'])).toEqual(['', 'alles']);
  });

  it('falls back to one unit per run when the text has tag-like strings or the tagged paragraph is too long', () => {
    const tagLike = new UnitCollector(5000);
    tagLike.addParagraph([
      { text: 'use <0> here', separatedBefore: false },
      { text: 'and there', separatedBefore: false },
    ]);
    expect(tagLike.units.map((u) => u.text)).toEqual(['use <0> here', 'and there']);
    const short = new UnitCollector(20);
    short.addParagraph([
      { text: 'a long first run', separatedBefore: false },
      { text: 'second', separatedBefore: false },
    ]);
    expect(short.units.map((u) => u.text)).toEqual(['a long first run', 'second']);
  });
});

describe('plain units', () => {
  it('splitLongText cuts at whitespace within the bound and joins back to the input', () => {
    const text = 'one two three four five six seven';
    const chunks = splitLongText(text, 10);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) expect([...chunk].length).toBeLessThanOrEqual(10);
    expect(splitLongText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('a long text becomes several units whose translations are joined with the original spacing', () => {
    const collector = new UnitCollector(10);
    const read = collector.addText('  one two three four  ');
    expect(collector.units.map((u) => u.text)).toEqual(['one two', 'three four']);
    expect(read(['moja mbili', 'tatu nne'])).toBe('  moja mbili tatu nne  ');
    expect(withEdgesOf('\n a \t', ' b ')).toBe('\n b \t');
  });

  it('blank text is never a unit', () => {
    const collector = new UnitCollector(10);
    expect(collector.addText(' \u200b\n')([])).toBe(' \u200b\n');
    expect(collector.units).toEqual([]);
  });
});

describe('fitLines: a cue keeps its number of lines', () => {
  it("keeps the translation's own lines when their count matches", () => {
    expect(fitLines('Habari,\nrafiki yangu.', 2)).toEqual(['Habari,', 'rafiki yangu.']);
  });
  it('spreads the words over the lines when the count differs, never with an empty line', () => {
    expect(fitLines('one two three four', 2)).toEqual(['one two', 'three four']);
    expect(fitLines('single', 3)).toEqual(['single']);
    expect(fitLines('a\n\n\nb c', 1)).toEqual(['a b c']);
  });
});
