import { describe, expect, it } from 'vitest';
import { reassembleBatch, segmentBatch } from '../../../inference/text/batch.js';
import { segmenterLocale } from '../../../inference/text/locale.js';
import { reassemble, segmentText } from '../../../inference/text/segmenter.js';

const upper = (s: string) => s.toUpperCase();
const roundTrip = (text: string, translate: (s: string) => string = (s) => s, lang?: string) => {
  const plan = segmentText(text, { lang });
  return reassemble(plan, plan.sources.map(translate));
};

const LAYOUT = [
  '  Welcome to the project.  It translates text!',
  '',
  '',
  'Features:',
  '- fast batching; with clauses',
  '* second item',
  '  • nested item',
  '1. first step',
  '2) second step',
  '(3) third step',
  '# A heading',
  '> a quoted line',
  '',
  'Docs: https://example.org/docs?x=1&y=2.',
  'https://example.com/plain',
  'Email: team@example.org',
  'contact@example.org',
  '42',
  '3.14 %',
  '2024-05-01',
  '— ... !!!',
  '🙂🙂',
  '\tindented\twith tabs\t',
  'windows line\r\nand old mac\rline end.  ',
  '',
].join('\n');

describe('segmentText / reassemble: layout', () => {
  it('identity translation gives the original back exactly', () => {
    for (const text of [LAYOUT, 'Hello.', '  x  ', '\n\n\n', '', 'a\r\n\r\nb', 'one. two. three.', 'No final newline']) {
      expect(roundTrip(text)).toBe(text);
    }
  });

  it('an uppercase translation changes the sentences only: whitespace, line breaks, bullets, URLs, numbers stay', () => {
    const expected = [
      '  WELCOME TO THE PROJECT.  IT TRANSLATES TEXT!',
      '',
      '',
      'FEATURES:',
      '- FAST BATCHING; WITH CLAUSES',
      '* SECOND ITEM',
      '  • NESTED ITEM',
      '1. FIRST STEP',
      '2) SECOND STEP',
      '(3) THIRD STEP',
      '# A HEADING',
      '> A QUOTED LINE',
      '',
      'DOCS: https://example.org/docs?x=1&y=2.',
      'https://example.com/plain',
      'EMAIL: team@example.org',
      'contact@example.org',
      '42',
      '3.14 %',
      '2024-05-01',
      '— ... !!!',
      '🙂🙂',
      '\tINDENTED\tWITH TABS\t',
      'WINDOWS LINE\r\nAND OLD MAC\rLINE END.  ',
      '',
    ].join('\n');
    expect(roundTrip(LAYOUT, upper, 'eng_Latn')).toBe(expected);
  });

  it('sends the model only sentences: no layout, no bullets, nothing without letters', () => {
    const { sources, pieces } = segmentText(LAYOUT, { lang: 'eng_Latn' });
    expect(sources).toContain('Welcome to the project.');
    expect(sources).toContain('It translates text!');
    expect(sources).toContain('fast batching; with clauses');
    expect(sources).toContain('Docs:');
    for (const s of sources) {
      expect(s).toBe(s.trim());
      expect(s).not.toMatch(/[\r\n]/);
      expect(s).toMatch(/\p{L}/u);
      expect(s).not.toMatch(/https?:|@example|^[-*•#>]\s|^\d+[.)]\s/);
    }
    const kept = pieces.filter((p) => p.kind === 'keep').map((p) => p.text).join('');
    for (const verbatim of ['https://example.com/plain', ' https://example.org/docs?x=1&y=2.', 'contact@example.org', '\n42\n3.14 %\n2024-05-01\n— ... !!!\n🙂🙂\n', '- ', '1. ', '(3) ']) {
      expect(kept).toContain(verbatim);
    }
    expect(pieces.map((p) => p.text).join('')).toBe(LAYOUT);
  });

  it('splits sentences of other scripts (CJK, Ethiopic, Arabic) and keeps their spacing', () => {
    const cases: Array<[string, string, string[]]> = [
      ['zho_Hans', '第一句。第二句！第三句', ['第一句。', '第二句！', '第三句']],
      ['amh_Ethi', 'ሰላም ነው። እንዴት ነህ፧ ደህና', ['ሰላም ነው።', 'እንዴት ነህ፧', 'ደህና']],
      ['arb_Arab', 'مرحبا. كيف حالك؟ بخير', ['مرحبا.', 'كيف حالك؟', 'بخير']],
      ['swh_Latn', 'Habari yako? Nzuri sana.', ['Habari yako?', 'Nzuri sana.']],
    ];
    for (const [lang, text, sentences] of cases) {
      const plan = segmentText(text, { lang });
      expect(plan.sources).toEqual(sentences);
      expect(reassemble(plan, plan.sources)).toBe(text);
    }
  });

  it('a 5,000-character multi-paragraph text keeps its paragraph structure', () => {
    const words = ['translation', 'model', 'Africa', 'language', 'people', 'speak', 'Kiswahili', 'and', 'Yoruba', 'every', 'day'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const paragraphs: string[] = [];
    let length = 0;
    while (length < 5000) {
      const sentences = Array.from({ length: 1 + rand(5) }, () => {
        const s = Array.from({ length: 4 + rand(12) }, () => words[rand(words.length)]!).join(' ');
        return s[0]!.toUpperCase() + s.slice(1) + (rand(3) === 0 ? '?' : '.');
      });
      const p = (rand(4) === 0 ? '- ' : '') + sentences.join(' ');
      paragraphs.push(p);
      length += p.length + 2;
    }
    const text = paragraphs.join('\n\n' + (paragraphs.length % 2 ? '' : '\n')).slice(0, 5000);
    expect(text.length).toBe(5000);

    // A "translation" that changes every length: layout must not move.
    const translated = roundTrip(text, (s) => `<<${s.split(' ').reverse().join(' ')}>>`, 'eng_Latn');
    const blankLines = (t: string) => t.split('\n').flatMap((line, i) => (line === '' ? [i] : []));
    const paragraphCount = (t: string) => t.split(/\n{2,}/).length;
    expect(blankLines(translated)).toEqual(blankLines(text));
    expect(paragraphCount(translated)).toBe(paragraphCount(text));
    expect(translated.split('\n').length).toBe(text.split('\n').length);
    expect(translated.split('\n').map((l) => l.startsWith('- '))).toEqual(text.split('\n').map((l) => l.startsWith('- ')));
  });

  it('normalises translations so the model cannot break the layout', () => {
    const plan = segmentText('One.\nTwo.');
    expect(reassemble(plan, ['  Uno.\n', 'Dos\r\nyes. '])).toBe('Uno.\nDos yes.');
    expect(() => reassemble(plan, ['only one'])).toThrow(RangeError);
  });

  it('whitespace-only and empty texts have nothing to translate', () => {
    expect(segmentText('')).toEqual({ pieces: [], sources: [] });
    expect(segmentText(' \n\t ')).toEqual({ pieces: [{ kind: 'keep', text: ' \n\t ' }], sources: [] });
  });
});

describe('segmentBatch / reassembleBatch', () => {
  it('flattens the pieces of all items into one list and gives each item its own text back', () => {
    const texts = ['First item. Two sentences.', '42', '- bullet\n\nLast one'];
    const batch = segmentBatch(texts, { lang: 'eng_Latn' });
    expect(batch.sources).toEqual(['First item.', 'Two sentences.', 'bullet', 'Last one']);
    expect(reassembleBatch(batch, batch.sources)).toEqual(texts);
    expect(reassembleBatch(batch, batch.sources.map(upper))).toEqual(['FIRST ITEM. TWO SENTENCES.', '42', '- BULLET\n\nLAST ONE']);
    expect(() => reassembleBatch(batch, [])).toThrow(RangeError);
  });
});

describe('segmenterLocale', () => {
  it('maps FLORES-200, ISO 639 and BCP-47 codes to Intl locales', () => {
    expect(segmenterLocale('eng_Latn')).toBe('en');
    expect(segmenterLocale('swh_Latn')).toBe('sw');
    expect(segmenterLocale('zho_Hant')).toBe('zh-TW');
    expect(segmenterLocale('zho_Hans')).toBe('zh');
    expect(segmenterLocale('amh')).toBe('am');
    expect(segmenterLocale('yo')).toBe('yo');
    expect(segmenterLocale('pt-BR')).toBe('pt');
    expect(segmenterLocale('arb_Arab')).toBe('ar');
    expect(segmenterLocale('ace_Arab')).toBe('ace-Arab');
    expect(segmenterLocale(undefined)).toBeUndefined();
    expect(segmenterLocale('')).toBeUndefined();
    expect(segmenterLocale('not a code')).toBeUndefined();
  });
});
