import { describe, expect, it } from 'vitest';
import { LanguageStatsSchema, REGIONS } from '../../../shared/contract/languages.js';
import { LANGUAGES, foldText, languageStats, searchLanguages } from '../../../shared/languages/index.js';

const codes = (q: string, limit?: number) => searchLanguages(q, limit).map((language) => language.code);

describe('searchLanguages', () => {
  it('folds case and diacritics', () => {
    expect(foldText('Èdè Yorùbá')).toBe('ede yoruba');
    expect(foldText('  Norsk   BOKMÅL ')).toBe('norsk bokmal');
    expect(codes('yoruba')).toEqual(['yor_Latn']);
    expect(codes('ÈDÈ')[0]).toBe('yor_Latn');
    expect(codes('kiswahili')).toEqual(['swh_Latn']);
    expect(codes('bokmal')).toEqual(['nob_Latn']);
    expect(codes('francais')).toEqual(['fra_Latn']);
    expect(codes('አማርኛ')).toEqual(['amh_Ethi']);
  });

  it('ranks exact > prefix > word prefix > substring, ties in tokenizer order', () => {
    // exact 639-1 code first, then names starting with "sw", then the substring match
    expect(codes('sw')).toEqual(['swh_Latn', 'ssw_Latn', 'swe_Latn', 'tsn_Latn']);
    // any code form that resolves counts as exact
    expect(codes('swa')[0]).toBe('swh_Latn');
    expect(codes('ara')[0]).toBe('arb_Arab');
    expect(codes('swh_latn')).toEqual(['swh_Latn']);
    expect(codes('zulu')).toEqual(['zul_Latn']);
    // "Arabic" languages (word prefix) before "... (Arabic script)" (substring)
    const arabic = codes('arabic');
    expect(arabic.slice(0, 9)).toEqual(['acm_Arab', 'acq_Arab', 'aeb_Arab', 'ajp_Arab', 'apc_Arab', 'arb_Arab', 'ars_Arab', 'ary_Arab', 'arz_Arab']);
    expect(arabic).toContain('ace_Arab');
    expect(arabic.indexOf('ace_Arab')).toBeGreaterThan(8);
    // prefix of a name ranks above a substring of a name
    const ko = codes('kon');
    expect(ko[0]).toBe('kon_Latn');
  });

  it('honours limit and returns nothing for empty queries', () => {
    expect(codes('a', 3)).toHaveLength(3);
    expect(codes('a', 0)).toEqual([]);
    expect(codes('')).toEqual([]);
    expect(codes('   ')).toEqual([]);
    expect(codes('no such language')).toEqual([]);
    expect(searchLanguages('latn').length).toBe(LANGUAGES.filter((language) => language.script === 'Latn').length);
  });
});

describe('languageStats', () => {
  it('counts every language once per dimension', () => {
    const stats = LanguageStatsSchema.parse(languageStats());
    expect(stats.total).toBe(202);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(stats.by_region)).toBe(202);
    expect(sum(stats.by_script)).toBe(202);
    expect(Object.keys(stats.by_region)).toEqual([...REGIONS]);
    expect(stats.african).toBe(stats.by_region.Africa);
    expect(stats.popular).toBe(LANGUAGES.filter((language) => language.popular).length);
    expect(stats.lid176_detectable).toBe(LANGUAGES.filter((language) => language.lid176_detectable).length);
    expect(stats.by_script.Latn).toBe(LANGUAGES.filter((language) => language.script === 'Latn').length);
    expect(languageStats()).toBe(languageStats());
  });
});
