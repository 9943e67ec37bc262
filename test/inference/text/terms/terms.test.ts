/**
 * Protected terms and per-request glossaries: the span rules (text/terms) and their path through the
 * real translation service over a scripted model, plain text and HTML text nodes.
 */
import { describe, expect, it } from 'vitest';
import { findSpans, spanRules } from '../../../../inference/text/protect/index.js';
import { followCase, terminologyRules } from '../../../../inference/text/terms/index.js';
import type { Script } from '../../service/scripted-model.js';
import { shout, translateWith } from '../html/service-support.js';

const spansOf = (text: string, terms: Parameters<typeof terminologyRules>[0]) =>
  findSpans(text, spanRules('auto', terminologyRules(terms))).map((s) => ({ kind: s.kind, text: s.text, output: s.output }));

describe('followCase', () => {
  it('capitals, capitalised, or as written', () => {
    expect(followCase('SIGN IN', 'sign in', 'ingia')).toBe('INGIA');
    expect(followCase('Sign in', 'sign in', 'ingia')).toBe('Ingia');
    expect(followCase('sign in', 'sign in', 'ingia')).toBe('ingia');
    expect(followCase('sIGN in', 'sign in', 'ingia')).toBe('ingia');
    // a term written capitalised or in capitals in the glossary says nothing by its case
    expect(followCase('NASA', 'NASA', 'Nasa')).toBe('Nasa');
    expect(followCase('Paris', 'Paris', 'Parisi')).toBe('Parisi');
    expect(followCase('I', 'i', 'mimi')).toBe('Mimi');
  });
});

describe('terminology span rules', () => {
  it('glossary: whole word, case-insensitive, longest first', () => {
    const glossary = { sign: 'ishara', 'sign in': 'ingia', cat: 'paka' };
    expect(spansOf('Sign in or SIGN the signature; cats and a cat.', { glossary })).toEqual([
      { kind: 'glossary', text: 'Sign in', output: 'Ingia' },
      { kind: 'glossary', text: 'SIGN', output: 'ISHARA' },
      { kind: 'glossary', text: 'cat', output: 'paka' },
    ]);
  });

  it('protected terms: whole word, case-sensitive, beside punctuation; first on a tie with the glossary', () => {
    expect(spansOf('Use C++ and Sema Edge, not sema edge or Sema Edges.', { protectedTerms: ['C++', 'Sema Edge'], glossary: { 'sema edge': 'x' } })).toEqual([
      { kind: 'term', text: 'C++', output: undefined },
      { kind: 'term', text: 'Sema Edge', output: undefined },
      { kind: 'glossary', text: 'sema edge', output: 'x' },
    ]);
  });

  it('a term is longer than a placeholder starting at the same place: the term wins; an earlier URL wins over a term inside it', () => {
    expect(spansOf('Windows 11 at https://sema.example/Windows', { protectedTerms: ['Windows 11', 'Windows'] }).map((s) => s.text)).toEqual([
      'Windows 11',
      'https://sema.example/Windows',
    ]);
  });

  it('a full glossary (MAX_GLOSSARY_ENTRIES) sharing first words: the longest entry at each word wins', () => {
    const glossary = Object.fromEntries(Array.from({ length: 999 }, (_, i) => [`sign ${i}`, `x${i}`]));
    glossary.sign = 'ishara';
    const text = 'sign 12 and sign 123, sign 9x; sign. '.repeat(50);
    const spans = spansOf(text, { glossary });
    expect(spans.slice(0, 4)).toEqual([
      { kind: 'glossary', text: 'sign 12', output: 'x12' },
      { kind: 'glossary', text: 'sign 123', output: 'x123' },
      { kind: 'glossary', text: 'sign', output: 'ishara' },
      { kind: 'glossary', text: 'sign', output: 'ishara' },
    ]);
    expect(spans).toHaveLength(200);
  });

  it('regex syntax in a term is literal', () => {
    expect(spansOf('a (b) c a.b.c .NET x.NET', { protectedTerms: ['(b)', 'a.b.c', '.NET'] }).map((s) => s.text)).toEqual(['(b)', 'a.b.c', '.NET', '.NET']);
  });
});

describe('terminology through the service', () => {
  const options = { protected_terms: ['Sema Edge'], glossary: { 'sign in': 'ingia', account: 'akaunti' } };

  it('plain text: the protected term verbatim, glossary targets where the model put the masks, in the occurrence case', async () => {
    const { items, model } = await translateWith(shout, ['Sign in to your Sema Edge ACCOUNT.'], options);
    expect(model.runs[0]!.sources).toEqual(['[0] to your [1] [2].']);
    expect(items[0]!.translatedText).toBe('Ingia TO YOUR Sema Edge AKAUNTI.');
  });

  it('the model moves the masks: the terms follow them', async () => {
    const moved: Script = () => ({ text: '[2] [1] kwa [0].' });
    const { items } = await translateWith(moved, ['Sign in to your Sema Edge ACCOUNT.'], options);
    expect(items[0]).toMatchObject({ translatedText: 'AKAUNTI Sema Edge kwa Ingia.', warnings: [] });
  });

  it('the model drops a term mask: translated piecewise, every term kept, placeholder_fallback', async () => {
    const dropper: Script = (s) => ({ text: s.includes('[1]') ? 'Ingia kwa akaunti' : s.toUpperCase() });
    const { items } = await translateWith(dropper, ['Sign in to your Sema Edge account.'], options);
    expect(items[0]!.warnings).toContain('placeholder_fallback');
    expect(items[0]!.translatedText).toBe('Ingia TO YOUR Sema Edge akaunti.');
  });

  it('with placeholders "none" the terms are still masked (and placeholders are not)', async () => {
    const { model, items } = await translateWith(shout, ['Sign in with {name} on Sema Edge'], { ...options, placeholders: 'none' });
    expect(model.runs[0]!.sources).toEqual(['[0] with {name} on [1]']);
    expect(items[0]!.translatedText).toBe('Ingia WITH {NAME} ON Sema Edge');
  });

  it('html text nodes and translated attributes; a glossary target is escaped as text', async () => {
    const { items } = await translateWith(shout, ['<p title="Your account">Sign in to <b>Sema Edge</b></p>'], { format: 'html', ...options, glossary: { ...options.glossary, 'sign in': 'ingia <sasa>' } });
    expect(items[0]!.translatedText).toBe('<p title="YOUR akaunti">Ingia &lt;sasa&gt; TO <b>Sema Edge</b></p>');
  });

  it('every item of a batch gets the same terminology', async () => {
    const { items } = await translateWith(shout, ['Sign in', 'My account', '<i>Sema Edge</i> account'], { ...options, format: 'text' });
    expect(items.map((i) => i.translatedText)).toEqual(['Ingia', 'MY akaunti', '<i>Sema Edge</i> akaunti']);
  });
});
