import { describe, expect, it } from 'vitest';
import { reassemble, segmentText } from '../../../inference/text/segmenter.js';
import { sentences } from '../../../inference/text/sentences.js';
import { estimateTokens } from '../../../inference/text/tokens.js';

/** The sentences the model is sent for `text`, checking the plan still gives the text back. */
const sourcesOf = (text: string, lang?: string) => {
  const plan = segmentText(text, { lang });
  expect(plan.pieces.map((p) => p.text).join('')).toBe(text);
  expect(reassemble(plan, plan.sources)).toBe(text);
  return plan.sources;
};

describe('sentences: boundaries as people write them', () => {
  it('breaks before a lower-case start (UAX #29 rule SB8 does not)', () => {
    expect(sourcesOf('the child eats bread. the teacher reads a book. we go home.', 'eng_Latn')).toEqual([
      'the child eats bread.',
      'the teacher reads a book.',
      'we go home.',
    ]);
    expect(sourcesOf('mtoto anakula mkate. mwalimu anasoma kitabu! tunaenda nyumbani? ndiyo', 'swh_Latn')).toEqual([
      'mtoto anakula mkate.',
      'mwalimu anasoma kitabu!',
      'tunaenda nyumbani?',
      'ndiyo',
    ]);
  });

  it('a 5,000-character lower-case text of 50 sentences gives 50 sources', () => {
    const words = ['the', 'child', 'eats', 'bread', 'and', 'the', 'teacher', 'reads', 'a', 'long', 'book', 'about', 'rivers', 'in', 'kenya'];
    const sentence = (i: number, length: number) => {
      let s = `sentence ${i}`;
      for (let w = i; s.length < length - 1; w += 1) s += ` ${words[w % words.length]}`;
      return `${s.slice(0, length - 1).trimEnd()}.`;
    };
    const list = Array.from({ length: 50 }, (_, i) => sentence(i, 99));
    const text = list.join(' ').padEnd(5000, ' ');
    expect(text.length).toBe(5000);
    const sources = sourcesOf(text, 'eng_Latn');
    expect(sources).toHaveLength(50);
    expect(sources).toEqual(list);
  });

  it('keeps abbreviations, initials and decimal numbers inside the sentence', () => {
    const cases: Array<[string, string[]]> = [
      ['Bring fruit, e.g. mangoes. i.e. the ripe ones. Then go.', ['Bring fruit, e.g. mangoes.', 'i.e. the ripe ones.', 'Then go.']],
      ['Mr. Smith met Dr. Jones. They talked.', ['Mr. Smith met Dr. Jones.', 'They talked.']],
      ['mr. smith met dr. jones. they talked.', ['mr. smith met dr. jones.', 'they talked.']],
      ['Kenya vs. Uganda ended 3.5 to 2. It rained.', ['Kenya vs. Uganda ended 3.5 to 2.', 'It rained.']],
      ['It is by J. R. R. Tolkien. A. Smith read it.', ['It is by J. R. R. Tolkien.', 'A. Smith read it.']],
      ['apples, pears etc. and plums. Then more.', ['apples, pears etc. and plums.', 'Then more.']],
      ['We bought apples, pears etc. The market closed.', ['We bought apples, pears etc.', 'The market closed.']],
      ['See No. 5 and Fig. 3 in the report. Done.', ['See No. 5 and Fig. 3 in the report.', 'Done.']],
      ['It starts at 8 a.m. and ends at noon. Good.', ['It starts at 8 a.m. and ends at noon.', 'Good.']],
      ['Bw. Juma na Bi. Amina walifika. Karibu.', ['Bw. Juma na Bi. Amina walifika.', 'Karibu.']],
      ['I said no. Then I left.', ['I said no.', 'Then I left.']],
      ['plan b. then plan c.', ['plan b.', 'then plan c.']],
    ];
    for (const [text, expected] of cases) expect(sourcesOf(text, 'eng_Latn')).toEqual(expected);
  });

  it('does not break inside tokens: versions, addresses, "a?b=1", "Yahoo!Inc"', () => {
    expect(sourcesOf('Use v1.2.3 from example.com today. Search a?b=1 on Yahoo!Inc now.')).toEqual([
      'Use v1.2.3 from example.com today.',
      'Search a?b=1 on Yahoo!Inc now.',
    ]);
    expect(sourcesOf('see https://x.org/a?b=1&c=2. then mail team@example.org. done')).toEqual([
      'see https://x.org/a?b=1&c=2.',
      'then mail team@example.org.',
      'done',
    ]);
  });

  it('treats an ellipsis as a boundary before a capital or another mark, not before a lower-case word', () => {
    expect(sourcesOf('I think… maybe not. wait... what? Fine... Let us go.')).toEqual(['I think… maybe not.', 'wait... what?', 'Fine...', 'Let us go.']);
    expect(sourcesOf('我想……算了。')).toEqual(['我想……算了。']);
  });

  it('a closing quote or bracket after the mark belongs to the sentence before', () => {
    expect(sourcesOf('He said "go." then left.')).toEqual(['He said "go."', 'then left.']);
    expect(sourcesOf('(He left.) Then she came. [Yes!] no')).toEqual(['(He left.)', 'Then she came.', '[Yes!]', 'no']);
    expect(sourcesOf('“Really?” she asked. ‘Yes.’ he said.')).toEqual(['“Really?”', 'she asked.', '‘Yes.’', 'he said.']);
    expect(sourcesOf('Er sagte „geh.“ dann ging er.', 'deu_Latn')).toEqual(['Er sagte „geh.“', 'dann ging er.']);
    expect(sourcesOf('Il a dit « oui. » puis il est parti.', 'fra_Latn')).toEqual(['Il a dit « oui. »', 'puis il est parti.']);
    expect(sourcesOf('Er rief: »Ja.« »Nein.« Dann ging er.', 'deu_Latn')).toEqual(['Er rief: »Ja.«', '»Nein.«', 'Dann ging er.']);
    expect(sourcesOf('「はい。」と言った。「いいえ！」', 'jpn_Jpan')).toEqual(['「はい。」', 'と言った。', '「いいえ！」']);
  });

  it('never breaks before a comma, semicolon or colon', () => {
    expect(sourcesOf('The U.S. , which is big. Next.')).toEqual(['The U.S. , which is big.', 'Next.']);
    expect(sourcesOf('Wait! ; he said. Ok.')).toEqual(['Wait! ; he said.', 'Ok.']);
  });

  it('the last sentence needs no mark', () => {
    expect(sourcesOf('First one. second one without a mark')).toEqual(['First one.', 'second one without a mark']);
    expect(sourcesOf('no marks at all here')).toEqual(['no marks at all here']);
  });

  it('knows the sentence marks of other scripts, with or without a space after', () => {
    const cases: Array<[string, string, string[]]> = [
      ['amh_Ethi', 'ሰላም ነው። እንዴት ነህ።', ['ሰላም ነው።', 'እንዴት ነህ።']],
      ['amh_Ethi', 'ሰላም ነው።እንዴት ነህ፧ደህና ነኝ፨', ['ሰላም ነው።', 'እንዴት ነህ፧', 'ደህና ነኝ፨']],
      ['hin_Deva', 'यह किताब है। वह घर है।', ['यह किताब है।', 'वह घर है।']],
      ['san_Deva', 'धर्मक्षेत्रे कुरुक्षेत्रे॥ समवेता युयुत्सवः॥', ['धर्मक्षेत्रे कुरुक्षेत्रे॥', 'समवेता युयुत्सवः॥']],
      ['jpn_Jpan', 'これは本です。あれは家です。', ['これは本です。', 'あれは家です。']],
      ['zho_Hans', '第一句。第二句！第三句？第四句', ['第一句。', '第二句！', '第三句？', '第四句']],
      ['zho_Hans', '你好.世界', ['你好.', '世界']],
      ['zho_Hans', '真的?!是的', ['真的?!', '是的']],
      ['arb_Arab', 'كيف حالك؟ أنا بخير. شكرا', ['كيف حالك؟', 'أنا بخير.', 'شكرا']],
      ['urd_Arab', 'یہ کتاب ہے۔ وہ گھر ہے۔', ['یہ کتاب ہے۔', 'وہ گھر ہے۔']],
      ['hye_Armn', 'Բարեւ։ Ինչպես ես։', ['Բարեւ։', 'Ինչպես ես։']],
      ['mya_Mymr', 'မင်္ဂလာပါ။ နေကောင်းလား။', ['မင်္ဂလာပါ။', 'နေကောင်းလား။']],
      ['khm_Khmr', 'សួស្តី។ សុខសប្បាយទេ៕', ['សួស្តី។', 'សុខសប្បាយទេ៕']],
    ];
    for (const [lang, text, expected] of cases) expect(sourcesOf(text, lang), `${lang}: ${text}`).toEqual(expected);
  });

  it('a space in Thai is not a sentence end; a long unmarked Thai run is cut within the limit', () => {
    expect(sourcesOf('สวัสดีครับ วันนี้อากาศดีมาก', 'tha_Thai')).toEqual(['สวัสดีครับ วันนี้อากาศดีมาก']);
    const words = ['สวัสดี', 'ครับ', 'วันนี้', 'อากาศ', 'ดี', 'มาก', 'เรา', 'ไป', 'ตลาด', 'กัน'];
    let run = '';
    for (let i = 0; run.length < 3000; i++) run += words[(i * 3) % words.length];
    run = run.slice(0, 3000);
    for (const maxTokens of [200, 37]) {
      const plan = segmentText(run, { lang: 'tha_Thai', maxTokens });
      expect(plan.pieces.map((p) => p.text).join('')).toBe(run);
      expect(plan.sources.length).toBeGreaterThanOrEqual(Math.ceil(3000 / maxTokens));
      for (const source of plan.sources) expect(estimateTokens(source)).toBeLessThanOrEqual(maxTokens);
    }
  });

  it("Myanmar's little section ၊ is a comma, not a sentence end", () => {
    expect(sourcesOf('ကျွန်တော်၊ သင်၊ သူ။', 'mya_Mymr')).toEqual(['ကျွန်တော်၊ သင်၊ သူ။']);
  });

  it('never breaks inside a grapheme cluster: a stray combining mark after the space stays with it', () => {
    const text = 'One. \u0301two. 👩‍👩‍👧‍👦. Three';
    const parts = sentences(text);
    expect(parts.join('')).toBe(text);
    expect(parts).toEqual(['One. \u0301', 'two. ', '👩‍👩‍👧‍👦. ', 'Three']);
  });

  it('sentences() of one line concatenate to it exactly, including whitespace-only and empty text', () => {
    for (const text of ['', '   ', 'a. b. c.', '  lead. trail.  ', '。。。', '...', '?! ?!']) expect(sentences(text).join('')).toBe(text);
  });
});

describe('one-line lists', () => {
  it('a semicolon list is one sentence', () => {
    expect(sourcesOf('apples; pears; plums')).toEqual(['apples; pears; plums']);
  });

  it('numbered items on one line are translated apart and their markers kept', () => {
    const plan = segmentText('1) do this 2) do that 3) done');
    expect(plan.sources).toEqual(['do this', 'do that', 'done']);
    expect(reassemble(plan, plan.sources.map((s) => s.toUpperCase()))).toBe('1) DO THIS 2) DO THAT 3) DONE');
    expect(sourcesOf('Steps: (1) mix the flour (2) bake it.')).toEqual(['Steps:', 'mix the flour', 'bake it.']);
    expect(sourcesOf('1. mix the flour 2. bake it')).toEqual(['mix the flour', 'bake it']);
  });

  it('numbers that do not count up from the start are text', () => {
    expect(sourcesOf('see note 3) below')).toEqual(['see note 3) below']);
    expect(sourcesOf('in 2020) we left')).toEqual(['in 2020) we left']);
    expect(sourcesOf('Version 1. Then version 2. Works.')).toEqual(['Version 1.', 'Then version 2.', 'Works.']);
  });
});
