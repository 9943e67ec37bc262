/**
 * The omission rule's length ratio per script pair (quality/length-ratio.ts), checked against the
 * fixture's own data: no reference translation of golden.json (taken from the training corpus) looks
 * omitted, and outputs that dropped half of their source do.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksOmitted, omissionFloor, visibleCharacters } from '../../../inference/service/quality/length-ratio.js';
import { suspicions } from '../../../inference/service/quality/warnings.js';

const golden = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '../../..'), 'models/tiny/golden.json'), 'utf8')) as {
  cases: { src_lang: string; tgt_lang: string; inputs: string[]; reference: (string | null)[] }[];
};

describe('looksOmitted', () => {
  it('passes every reference translation of the fixture corpus in golden.json', () => {
    const pairs = golden.cases.flatMap((c) => c.inputs.flatMap((input, i) => (c.reference[i] ? [{ c, input, reference: c.reference[i]! }] : [])));
    expect(pairs.length).toBeGreaterThan(10);
    for (const { c, input, reference } of pairs) expect(looksOmitted(input, reference, c.src_lang, c.tgt_lang), `${input} → ${reference}`).toBe(false);
  });

  it('passes the tightest pairs of the training corpus (its shortest translations, 0.53 to 0.56 of the source)', () => {
    expect(looksOmitted('comment allez-vous', 'how are you', 'fra_Latn', 'eng_Latn')).toBe(false);
    expect(looksOmitted('the brother carries the clothes', 'kaka anabeba nguo', 'eng_Latn', 'swh_Latn')).toBe(false);
  });

  it('flags an output that dropped a clause of its source', () => {
    expect(looksOmitted('the child eats the bread; the teacher reads the book', 'mtoto anakula mkate', 'eng_Latn', 'swh_Latn')).toBe(true);
    expect(looksOmitted('The teacher reads the book every day. The child eats the bread.', 'Mwalimu anasoma kitabu.', 'eng_Latn', 'swh_Latn')).toBe(true);
  });

  it('depends on the scripts: a Chinese translation is about 0.3 of the English', () => {
    const english = 'The child eats the bread every day.';
    expect(looksOmitted(english, '孩子每天吃面包。', 'eng_Latn', 'zho_Hans')).toBe(false);
    expect(looksOmitted(english, '孩子。', 'eng_Latn', 'zho_Hans')).toBe(true);
    // the same length ratio into a Latin script is an omission
    expect(visibleCharacters('孩子每天吃面包。') / visibleCharacters(english)).toBeLessThan(omissionFloor('eng_Latn', 'fra_Latn'));
    // and out of Chinese the English is expected longer
    expect(omissionFloor('zho_Hans', 'eng_Latn')).toBeGreaterThan(1);
    expect(looksOmitted('孩子每天吃面包。', 'The child.', 'zho_Hans', 'eng_Latn')).toBe(true);
    expect(looksOmitted('孩子每天吃面包。', 'The child eats bread every day.', 'zho_Hans', 'eng_Latn')).toBe(false);
  });

  it('does not judge short sources by ratio, but an empty output is always an omission', () => {
    expect(looksOmitted('hapana', 'no', 'swh_Latn', 'eng_Latn')).toBe(false);
    expect(looksOmitted('hello', '', 'eng_Latn', 'swh_Latn')).toBe(true);
    expect(looksOmitted('hello', '   ', 'eng_Latn', 'swh_Latn')).toBe(true);
  });
});

describe('suspicions', () => {
  it('names every problem of an output with the stable warning strings, in order', () => {
    const source = 'the child eats the bread; the teacher reads the book';
    expect(suspicions(source, { text: 'mtoto anakula mkate; mwalimu anasoma kitabu', finished: true, repetition: false }, 'eng_Latn', 'swh_Latn')).toEqual([]);
    expect(suspicions(source, { text: 'mtoto', finished: false, repetition: true }, 'eng_Latn', 'swh_Latn')).toEqual(['possible_omission', 'truncated', 'repetition']);
  });
});
