import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import {
  LANGUAGES,
  languageCodeAliases,
  ltLanguageCode,
  resolveLanguageCode,
  suggestLanguageCodes,
  unsupportedLanguageError,
} from '../../../shared/languages/index.js';

describe('resolveLanguageCode', () => {
  it('accepts every FLORES-200 code, its 639-3 prefix and its 639-1 code', () => {
    for (const language of LANGUAGES) {
      expect(resolveLanguageCode(language.code)).toBe(language.code);
      expect(resolveLanguageCode(language.code.toUpperCase())).toBe(language.code);
      expect(resolveLanguageCode(` ${language.code.toLowerCase()} `)).toBe(language.code);
      const sameLanguage = LANGUAGES.filter((l) => l.iso_639_3 === language.iso_639_3).map((l) => l.code);
      // a multi-script language maps its bare code to one of its scripts (which one is checked below)
      if (sameLanguage.length > 1) expect(sameLanguage).toContain(resolveLanguageCode(language.iso_639_3));
      else expect(resolveLanguageCode(language.iso_639_3)).toBe(language.code);
      if (language.iso_639_1) expect(resolveLanguageCode(language.iso_639_1)).toBe(language.code);
    }
    expect(resolveLanguageCode('SWH_latn')).toBe('swh_Latn');
    expect(resolveLanguageCode('swh-Latn')).toBe('swh_Latn');
    expect(resolveLanguageCode('SW')).toBe('swh_Latn');
    expect(resolveLanguageCode('swh')).toBe('swh_Latn');
  });

  it('maps macrolanguage and other aliases to their dominant member', () => {
    const cases: Record<string, string> = {
      ara: 'arb_Arab', ar: 'arb_Arab', fas: 'pes_Arab', per: 'pes_Arab', fa: 'pes_Arab', msa: 'zsm_Latn', may: 'zsm_Latn',
      ms: 'zsm_Latn', orm: 'gaz_Latn', om: 'gaz_Latn', cmn: 'zho_Hans', chi: 'zho_Hans', zho: 'zho_Hans', zh: 'zho_Hans',
      ori: 'ory_Orya', or: 'ory_Orya', swa: 'swh_Latn', sw: 'swh_Latn', nor: 'nob_Latn', no: 'nob_Latn', nb: 'nob_Latn',
      mon: 'khk_Cyrl', mn: 'khk_Cyrl', nep: 'npi_Deva', ne: 'npi_Deva', lav: 'lvs_Latn', lv: 'lvs_Latn', est: 'est_Latn',
      ekk: 'est_Latn', et: 'est_Latn', uzb: 'uzn_Latn', uz: 'uzn_Latn', aze: 'azj_Latn', az: 'azj_Latn', sqi: 'als_Latn',
      alb: 'als_Latn', sq: 'als_Latn', que: 'quy_Latn', qu: 'quy_Latn', yid: 'ydd_Hebr', yi: 'ydd_Hebr', mlg: 'plt_Latn',
      mg: 'plt_Latn', 'zh-Hant': 'zho_Hant', 'zh-TW': 'zho_Hant', 'zh_TW': 'zho_Hant', 'zh-HK': 'zho_Hant',
      'zh-Hans': 'zho_Hans', 'zh-CN': 'zho_Hans', 'zh-Hant-TW': 'zho_Hant', 'cmn-Hant': 'zho_Hant', zt: 'zho_Hant',
      'pt-BR': 'por_Latn', 'pt-PT': 'por_Latn', pb: 'por_Latn', sat_Olck: 'sat_Beng', SAT_OLCK: 'sat_Beng',
      fil: 'tgl_Latn', tgl: 'tgl_Latn', tl: 'tgl_Latn', ger: 'deu_Latn', fre: 'fra_Latn', iw: 'heb_Hebr',
      'en-US': 'eng_Latn', 'en-GB': 'eng_Latn', 'es-419': 'spa_Latn', 'sw-KE': 'swh_Latn', 'fa-AF': 'prs_Arab',
      'ku-Arab': 'ckb_Arab', ku: 'kmr_Latn', ff: 'fuv_Latn', ful: 'fuv_Latn', kr: 'knc_Latn',
    };
    for (const [input, code] of Object.entries(cases)) expect(resolveLanguageCode(input), input).toBe(code);
  });

  it('maps a bare multi-script code to its most used script, and honours an explicit script', () => {
    const defaults: Record<string, string> = {
      ace: 'ace_Latn', bjn: 'bjn_Latn', kas: 'kas_Arab', knc: 'knc_Latn', taq: 'taq_Latn', zho: 'zho_Hans', min: 'min_Latn',
    };
    for (const [input, code] of Object.entries(defaults)) expect(resolveLanguageCode(input), input).toBe(code);
    expect(resolveLanguageCode('ace_Arab')).toBe('ace_Arab');
    expect(resolveLanguageCode('kas-Deva')).toBe('kas_Deva');
    expect(resolveLanguageCode('taq-Tfng')).toBe('taq_Tfng');
    expect(resolveLanguageCode('knc_arab')).toBe('knc_Arab');
  });

  it('refuses unknown codes and scripts NLLB does not have', () => {
    for (const input of ['', '  ', 'xx', 'xyz', 'auto', 'und', 'swahili', 'sr-Latn', 'arb_Latn', 'zho_Latn', 'swh_Latm', 'eng__Latn', 'e', 'constructor', '__proto__', 'toString', 'x'.repeat(1000)]) {
      expect(resolveLanguageCode(input), input).toBeUndefined();
    }
    expect(resolveLanguageCode(undefined)).toBeUndefined();
    expect(resolveLanguageCode(42)).toBeUndefined();
  });

  it('has no alias that shadows a real code of another language', () => {
    for (const [alias, code] of languageCodeAliases()) {
      const own = LANGUAGES.filter((language) => language.iso_639_3 === alias || language.iso_639_1 === alias);
      if (own.length > 0) expect(own.map((language) => language.code), alias).toContain(code);
      expect(resolveLanguageCode(alias), alias).toBe(code);
    }
  });
});

describe('suggestLanguageCodes', () => {
  it('finds close codes and names', () => {
    expect(suggestLanguageCodes('swahili')[0]).toBe('swh_Latn');
    expect(suggestLanguageCodes('Swahilli')[0]).toBe('swh_Latn');
    expect(suggestLanguageCodes('sw_Latm')[0]).toBe('swh_Latn');
    expect(suggestLanguageCodes('swh_Latm')[0]).toBe('swh_Latn');
    expect(suggestLanguageCodes('kiswahili')[0]).toBe('swh_Latn');
    expect(suggestLanguageCodes('yoruba')[0]).toBe('yor_Latn');
    expect(suggestLanguageCodes('zulu')[0]).toBe('zul_Latn');
    expect(suggestLanguageCodes('Hausaa')[0]).toBe('hau_Latn');
    expect(suggestLanguageCodes('amharic')[0]).toBe('amh_Ethi');
    expect(suggestLanguageCodes('chinese').slice(0, 2)).toEqual(['zho_Hans', 'zho_Hant']);
    expect(suggestLanguageCodes('arabic')[0]).toBe('arb_Arab');
    expect(suggestLanguageCodes('sw')[0]).toBe('swh_Latn');
  });

  it('returns at most n valid codes, and nothing for nonsense', () => {
    expect(suggestLanguageCodes('arabic', 5)).toHaveLength(5);
    expect(suggestLanguageCodes('arabic', 0)).toEqual([]);
    expect(suggestLanguageCodes('qqqqqqqqqq')).toEqual([]);
    expect(suggestLanguageCodes('')).toEqual([]);
    for (const code of suggestLanguageCodes('ar', 20)) expect(resolveLanguageCode(code)).toBe(code);
  });
});

describe('unsupportedLanguageError', () => {
  it('is a 400 UNSUPPORTED_LANGUAGE with suggestions', () => {
    const error = unsupportedLanguageError('swahilli');
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('UNSUPPORTED_LANGUAGE');
    expect(error.status).toBe(400);
    expect(error.message).toBe("unsupported language code 'swahilli'; did you mean swh_Latn (Swahili)?");
    expect(error.details).toEqual({ code: 'swahilli', suggestions: ['swh_Latn'] });
  });

  it('names the field, takes a 404 status, and bounds what it echoes', () => {
    const error = unsupportedLanguageError('yorubaa', 'target_language', 404);
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/^unsupported language code 'yorubaa' in target_language; did you mean yor_Latn \(Yoruba\)/);
    expect(error.details).toMatchObject({ field: 'target_language', suggestions: expect.arrayContaining(['yor_Latn']) });
    const long = unsupportedLanguageError('z'.repeat(10_000));
    expect(long.message.length).toBeLessThan(200);
    expect(unsupportedLanguageError('qqqqqqqqqq').message).toMatch(/see GET \/api\/v1\/languages/);
    expect(unsupportedLanguageError('a\nb').message).not.toContain('\n');
  });
});

describe('ltLanguageCode', () => {
  it('gives the unique ISO 639-1 code, else the FLORES code; zt for Traditional Chinese', () => {
    expect(ltLanguageCode('swh_Latn')).toBe('sw');
    expect(ltLanguageCode('eng_Latn')).toBe('en');
    expect(ltLanguageCode('zho_Hans')).toBe('zh');
    expect(ltLanguageCode('zho_Hant')).toBe('zt');
    expect(ltLanguageCode('nob_Latn')).toBe('nb');
    expect(ltLanguageCode('ace_Arab')).toBe('ace_Arab');
    expect(ltLanguageCode('kas_Deva')).toBe('kas_Deva');
    expect(ltLanguageCode('nope')).toBeUndefined();
    const codes = LANGUAGES.map((language) => ltLanguageCode(language.code));
    expect(new Set(codes).size).toBe(202);
    // every LibreTranslate code resolves back to its language
    for (const language of LANGUAGES) expect(resolveLanguageCode(ltLanguageCode(language.code))).toBe(language.code);
  });
});
