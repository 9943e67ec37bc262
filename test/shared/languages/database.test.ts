import { describe, expect, it } from 'vitest';
import { LanguageSchema, REGIONS } from '../../../shared/contract/languages.js';
import {
  LANGUAGES,
  LANGUAGE_CODES,
  POPULAR_CODES,
  getLanguage,
  languageByCode,
  languageTokenId,
} from '../../../shared/languages/index.js';
import { REFERENCE_CODES, REFERENCE_NAMES } from './reference.js';

const byCode = (code: string) => {
  const language = languageByCode(code);
  if (!language) throw new Error(`missing ${code}`);
  return language;
};

/** Unicode scripts an autonym in each ISO 15924 script may use. */
const UNICODE_SCRIPTS: Record<string, string[]> = {
  Latn: ['Latin'], Arab: ['Arabic'], Cyrl: ['Cyrillic'], Deva: ['Devanagari'], Beng: ['Bengali'],
  Ethi: ['Ethiopic'], Tfng: ['Tifinagh'], Tibt: ['Tibetan'], Mymr: ['Myanmar'], Hebr: ['Hebrew'],
  Hans: ['Han'], Hant: ['Han'], Jpan: ['Han', 'Hiragana', 'Katakana'], Hang: ['Hangul', 'Han'],
  Armn: ['Armenian'], Geor: ['Georgian'], Grek: ['Greek'], Gujr: ['Gujarati'], Guru: ['Gurmukhi'],
  Knda: ['Kannada'], Khmr: ['Khmer'], Laoo: ['Lao'], Mlym: ['Malayalam'], Orya: ['Oriya'], Sinh: ['Sinhala'],
  Taml: ['Tamil'], Telu: ['Telugu'], Thai: ['Thai'],
};

/** Documented exception: the model's Santali token says Bengali, but Santali (and FLORES) use Ol Chiki. */
const AUTONYM_SCRIPT_EXCEPTIONS: Record<string, string> = { sat_Beng: 'Ol_Chiki' };

describe('language database', () => {
  it('has exactly the 202 reference codes, in tokenizer order, unique', () => {
    expect(REFERENCE_CODES).toHaveLength(202);
    expect(LANGUAGE_CODES).toEqual(REFERENCE_CODES);
    expect(LANGUAGES.map((language) => language.code)).toEqual(REFERENCE_CODES);
    expect(new Set(LANGUAGE_CODES).size).toBe(202);
  });

  it('numbers language tokens after the SentencePiece vocabulary', () => {
    expect(languageTokenId('eng_Latn', 256000)).toBe(256047);
    expect(languageTokenId('swh_Latn', 256000)).toBe(256168);
    expect(languageTokenId('zul_Latn', 256000)).toBe(256202);
    expect(languageTokenId('ace_Arab', 256000)).toBe(256001);
    REFERENCE_CODES.forEach((code, index) => expect(languageTokenId(code, 1000)).toBe(1000 + index + 1));
    // any accepted code form names the same token
    expect(languageTokenId('sw', 256000)).toBe(256168);
    expect(() => languageTokenId('xx_Yyyy', 256000)).toThrow(/unsupported language code/);
    expect(() => languageTokenId('eng_Latn', 0)).toThrow(RangeError);
  });

  it('validates every record against the contract schema', () => {
    for (const language of LANGUAGES) expect(LanguageSchema.parse(language)).toEqual(language);
  });

  it('uses the FLORES-200 English names', () => {
    for (const language of LANGUAGES) expect(language.name, language.code).toBe(REFERENCE_NAMES.get(language.code));
  });

  it('writes every autonym in its own script and every script as the code suffix', () => {
    for (const language of LANGUAGES) {
      const { code, native_name: nativeName, script } = language;
      expect(script, code).toBe(code.split('_')[1]);
      expect(nativeName.trim(), code).toBe(nativeName);
      expect(nativeName.length, code).toBeGreaterThan(0);
      expect(nativeName.normalize('NFC'), code).toBe(nativeName);
      const allowed = AUTONYM_SCRIPT_EXCEPTIONS[code] ? [AUTONYM_SCRIPT_EXCEPTIONS[code]] : UNICODE_SCRIPTS[script];
      expect(allowed, `no Unicode script known for ${script}`).toBeDefined();
      const pattern = new RegExp(`^(?:${allowed!.map((s) => `\\p{Script=${s}}`).join('|')}|\\p{Script=Common}|\\p{Script=Inherited})+$`, 'u');
      expect(nativeName, code).toMatch(pattern);
      const letters = new RegExp(`(?:${allowed!.map((s) => `\\p{Script=${s}}`).join('|')})`, 'u');
      expect(nativeName, code).toMatch(letters);
    }
    expect(byCode('zho_Hans').script).toBe('Hans');
    expect(byCode('zho_Hant').script).toBe('Hant');
  });

  it('has the autonyms users expect for the big African languages', () => {
    const expected: Record<string, string> = {
      swh_Latn: 'Kiswahili', amh_Ethi: 'አማርኛ', yor_Latn: 'Èdè Yorùbá', zul_Latn: 'isiZulu', hau_Latn: 'Hausa',
      ibo_Latn: 'Asụsụ Igbo', som_Latn: 'Soomaali', kin_Latn: 'Ikinyarwanda', xho_Latn: 'isiXhosa',
      gaz_Latn: 'Afaan Oromoo', tir_Ethi: 'ትግርኛ', sna_Latn: 'chiShona', lin_Latn: 'Lingála', wol_Latn: 'Wolof',
      kik_Latn: 'Gĩkũyũ', lug_Latn: 'Luganda', tsn_Latn: 'Setswana', sot_Latn: 'Sesotho', afr_Latn: 'Afrikaans',
      eng_Latn: 'English', fra_Latn: 'Français', arb_Arab: 'العربية', zho_Hans: '简体中文', zho_Hant: '繁體中文',
    };
    for (const [code, autonym] of Object.entries(expected)) expect(byCode(code).native_name, code).toBe(autonym);
  });

  it('puts every language in exactly one region, with the Arabic split as documented', () => {
    for (const language of LANGUAGES) expect(REGIONS, language.code).toContain(language.region);
    for (const code of ['aeb_Arab', 'ary_Arab', 'arz_Arab', 'kab_Latn', 'tzm_Tfng', 'plt_Latn', 'swh_Latn', 'kea_Latn']) {
      expect(byCode(code).region, code).toBe('Africa');
    }
    for (const code of ['acm_Arab', 'acq_Arab', 'ajp_Arab', 'apc_Arab', 'ars_Arab', 'arb_Arab', 'tur_Latn', 'pes_Arab', 'heb_Hebr']) {
      expect(byCode(code).region, code).toBe('Middle East');
    }
    for (const code of ['quy_Latn', 'grn_Latn', 'ayr_Latn', 'hat_Latn', 'pap_Latn']) expect(byCode(code).region).toBe('Americas');
    for (const code of ['mri_Latn', 'smo_Latn', 'fij_Latn', 'tpi_Latn']) expect(byCode(code).region).toBe('Oceania');
    expect(byCode('eng_Latn').region).toBe('Europe');
    expect(byCode('hin_Deva').region).toBe('Asia');
  });

  it('flags african exactly for region Africa', () => {
    for (const language of LANGUAGES) expect(language.african, language.code).toBe(language.region === 'Africa');
    expect(LANGUAGES.filter((language) => language.african).length).toBeGreaterThan(50);
  });

  it('has a documented popular list of ~30 languages including the big African ones', () => {
    const popular = LANGUAGES.filter((language) => language.popular).map((language) => language.code);
    expect(popular.length).toBeGreaterThanOrEqual(25);
    expect(popular.length).toBeLessThanOrEqual(30);
    expect(new Set(popular)).toEqual(new Set(POPULAR_CODES));
    for (const code of ['swh_Latn', 'hau_Latn', 'yor_Latn', 'ibo_Latn', 'amh_Ethi', 'zul_Latn', 'xho_Latn', 'som_Latn', 'kin_Latn', 'eng_Latn', 'fra_Latn']) {
      expect(popular, code).toContain(code);
    }
  });

  it('gives the individual ISO 639-3 code, never the macrolanguage (except NLLB\'s own zho/est)', () => {
    for (const language of LANGUAGES) {
      expect(language.iso_639_3, language.code).toMatch(/^[a-z]{3}$/);
      expect(language.iso_639_3, language.code).toBe(language.code.slice(0, 3));
    }
    const traps: Record<string, string> = {
      zsm_Latn: 'zsm', pes_Arab: 'pes', arb_Arab: 'arb', gaz_Latn: 'gaz', zho_Hans: 'zho', zho_Hant: 'zho',
      ory_Orya: 'ory', khk_Cyrl: 'khk', npi_Deva: 'npi', lvs_Latn: 'lvs', uzn_Latn: 'uzn', azj_Latn: 'azj',
      als_Latn: 'als', quy_Latn: 'quy', ydd_Hebr: 'ydd', prs_Arab: 'prs', plt_Latn: 'plt', twi_Latn: 'twi',
      fuv_Latn: 'fuv', knc_Arab: 'knc', knc_Latn: 'knc', taq_Latn: 'taq', taq_Tfng: 'taq', ace_Arab: 'ace',
      ace_Latn: 'ace', swh_Latn: 'swh',
    };
    for (const [code, iso] of Object.entries(traps)) expect(byCode(code).iso_639_3, code).toBe(iso);
  });

  it('gives ISO 639-1 to the dominant member of a macrolanguage, never twice', () => {
    const expected: Record<string, string | null> = {
      zsm_Latn: 'ms', pes_Arab: 'fa', arb_Arab: 'ar', gaz_Latn: 'om', zho_Hans: 'zh', zho_Hant: null, ory_Orya: 'or',
      khk_Cyrl: 'mn', npi_Deva: 'ne', lvs_Latn: 'lv', est_Latn: 'et', uzn_Latn: 'uz', azj_Latn: 'az', azb_Arab: null,
      als_Latn: 'sq', quy_Latn: 'qu', ydd_Hebr: 'yi', plt_Latn: 'mg', swh_Latn: 'sw', fuv_Latn: 'ff', nob_Latn: 'nb',
      nno_Latn: 'nn', kmr_Latn: 'ku', ckb_Arab: null, prs_Arab: null, twi_Latn: 'tw', aka_Latn: 'ak', kin_Latn: 'rw',
      kas_Arab: 'ks', kas_Deva: null, acm_Arab: null, ary_Arab: null, lua_Latn: null, eng_Latn: 'en', heb_Hebr: 'he',
    };
    for (const [code, iso] of Object.entries(expected)) expect(byCode(code).iso_639_1, code).toBe(iso);
    const iso1 = LANGUAGES.map((language) => language.iso_639_1).filter((code): code is string => code !== null);
    expect(new Set(iso1).size).toBe(iso1.length);
    for (const code of iso1) expect(code).toMatch(/^[a-z]{2}$/);
  });

  it('returns shared, frozen records', () => {
    expect(Object.isFrozen(LANGUAGES)).toBe(true);
    expect(Object.isFrozen(byCode('swh_Latn'))).toBe(true);
    expect(getLanguage('sw')).toBe(byCode('swh_Latn'));
    expect(getLanguage('nope')).toBeUndefined();
    expect(languageByCode('sw')).toBeUndefined(); // exact codes only
  });
});
