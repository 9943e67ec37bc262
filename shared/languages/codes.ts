import type { Language } from '../contract/languages.js';
import type { LanguageCode } from './data.js';
import { LANGUAGES, languageByCode } from './database.js';

/**
 * Code normalisation: every way a client may name a language → one FLORES-200 code.
 *
 * Accepted, in this order:
 * 1. an exact FLORES-200 code (`swh_Latn`);
 * 2. a whole-tag alias (`zh-TW`, `pt-BR`, `sat_Olck`, `fa-AF`, ...), case-insensitive, `_` same as `-`;
 * 3. a language subtag (ISO 639-1 `sw`, ISO 639-3 `swh`, 639-2/B `ger`, macrolanguage `swa`, deprecated
 *    `iw`) optionally followed by a script and/or region subtag as in BCP 47 (`SWH_latn`, `sw-KE`,
 *    `zh-Hant-HK`, `cmn-Hant`). A script subtag must match a script NLLB has for that language
 *    (`sr-Latn` is NOT accepted: NLLB's Serbian is Cyrillic, and silently changing script would be wrong).
 *
 * A bare code with several scripts maps to the most used one:
 * ace → ace_Latn and bjn → bjn_Latn (Latin is the everyday script; Jawi is traditional),
 * kas → kas_Arab (Perso-Arabic is Kashmiri's official script), knc → knc_Latn (the standard Nigerian
 * orthography; Ajami is secondary), taq → taq_Latn (the official orthography of Mali and Niger),
 * zho/zh/cmn → zho_Hans (most Chinese text online), unless a region says otherwise (zh-TW/HK/MO → Hant).
 */

/** Whole tags (lower case, `-` separators) that the subtag rules would not get right. */
const TAG_ALIASES: Readonly<Record<string, LanguageCode>> = {
  'zh-hans': 'zho_Hans', 'zh-cn': 'zho_Hans', 'zh-sg': 'zho_Hans', 'zh-my': 'zho_Hans',
  'zh-hant': 'zho_Hant', 'zh-tw': 'zho_Hant', 'zh-hk': 'zho_Hant', 'zh-mo': 'zho_Hant',
  'sat-olck': 'sat_Beng', // FLORES-200 writes Santali in Ol Chiki; the model's token is sat_Beng
  'fa-af': 'prs_Arab', // Persian of Afghanistan is Dari
  'az-arab': 'azb_Arab', 'az-ir': 'azb_Arab', // Azerbaijani in Arabic script / of Iran is South Azerbaijani
  'ku-arab': 'ckb_Arab', 'ku-iq': 'ckb_Arab', // Kurdish in Arabic script / of Iraq is Sorani
  'ks-deva': 'kas_Deva',
};

/**
 * Language subtags that are not a row's own 639-3 prefix or 639-1 code: macrolanguage codes → their
 * dominant member, 639-2/B bibliographic codes, deprecated 639-1 codes, LibreTranslate's own codes, and
 * the individual code of Standard Estonian.
 */
const CODE_ALIASES: Readonly<Record<string, LanguageCode>> = {
  // macrolanguages → dominant member in NLLB-200
  ara: 'arb_Arab', fas: 'pes_Arab', msa: 'zsm_Latn', orm: 'gaz_Latn', cmn: 'zho_Hans', ori: 'ory_Orya',
  swa: 'swh_Latn', nor: 'nob_Latn', no: 'nob_Latn', mon: 'khk_Cyrl', nep: 'npi_Deva', lav: 'lvs_Latn',
  uzb: 'uzn_Latn', aze: 'azj_Latn', sqi: 'als_Latn', que: 'quy_Latn', yid: 'ydd_Hebr', mlg: 'plt_Latn',
  aym: 'ayr_Latn', kur: 'kmr_Latn', pus: 'pbt_Arab', kau: 'knc_Latn', ful: 'fuv_Latn', tmh: 'taq_Latn',
  ekk: 'est_Latn', fil: 'tgl_Latn',
  // ISO 639-2/B codes
  alb: 'als_Latn', arm: 'hye_Armn', baq: 'eus_Latn', bur: 'mya_Mymr', chi: 'zho_Hans', cze: 'ces_Latn',
  dut: 'nld_Latn', fre: 'fra_Latn', geo: 'kat_Geor', ger: 'deu_Latn', gre: 'ell_Grek', ice: 'isl_Latn',
  mac: 'mkd_Cyrl', mao: 'mri_Latn', may: 'zsm_Latn', per: 'pes_Arab', rum: 'ron_Latn', slo: 'slk_Latn',
  tib: 'bod_Tibt', wel: 'cym_Latn',
  // deprecated ISO 639-1 codes still sent by old clients (Java's Locale among them)
  iw: 'heb_Hebr', in: 'ind_Latn', ji: 'ydd_Hebr', jw: 'jav_Latn', mo: 'ron_Latn',
  // LibreTranslate's codes (see libretranslate.ts)
  zt: 'zho_Hant', pb: 'por_Latn',
};

/** Region subtags that imply Traditional Chinese after zh/zho/cmn (zh-TW, cmn-HK). */
const TRADITIONAL_CHINESE_REGIONS: ReadonlySet<string> = new Set(['tw', 'hk', 'mo']);

/** Every language subtag → its default row. Own prefixes first, so an alias can never shadow a real code. */
const BY_SUBTAG: ReadonlyMap<string, LanguageCode> = (() => {
  const map = new Map<string, LanguageCode>();
  for (const language of LANGUAGES) {
    const code = language.code as LanguageCode;
    if (!map.has(language.iso_639_3)) map.set(language.iso_639_3, code);
    if (language.iso_639_1 !== null && !map.has(language.iso_639_1)) map.set(language.iso_639_1, code);
  }
  // the most used script of a multi-script language, where tokenizer order put the other first
  for (const code of ['ace_Latn', 'bjn_Latn', 'knc_Latn'] as const) map.set(code.slice(0, 3), code);
  for (const [alias, code] of Object.entries(CODE_ALIASES)) if (!map.has(alias)) map.set(alias, code);
  return map;
})();

/** The rows of one ISO 639-3 code, by script ("zho" → Hans, Hant). */
const BY_ISO3_SCRIPT: ReadonlyMap<string, LanguageCode> = new Map(
  LANGUAGES.map((language) => [`${language.iso_639_3}_${language.script.toLowerCase()}`, language.code as LanguageCode]),
);

const MAX_INPUT_LENGTH = 64;
const SUBTAG = /^[a-z0-9]{1,8}$/;

/** The FLORES-200 code for any accepted form of a language code, or undefined. Never throws. */
export function resolveLanguageCode(input: unknown): LanguageCode | undefined {
  if (typeof input !== 'string') return undefined;
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_INPUT_LENGTH) return undefined;
  if (languageByCode(trimmed)) return trimmed as LanguageCode;

  const tag = trimmed.toLowerCase().replaceAll('_', '-');
  const alias = TAG_ALIASES[tag];
  if (alias !== undefined && Object.hasOwn(TAG_ALIASES, tag)) return alias;

  const [language, ...rest] = tag.split('-');
  if (language === undefined || !/^[a-z]{2,3}$/.test(language) || !rest.every((s) => SUBTAG.test(s))) return undefined;
  const base = BY_SUBTAG.get(language);
  if (base === undefined) return undefined;

  const script = rest[0] !== undefined && /^[a-z]{4}$/.test(rest[0]) ? rest[0] : undefined;
  if (script !== undefined) return BY_ISO3_SCRIPT.get(`${base.slice(0, 3)}_${script}`);

  const region = rest[0];
  if (base === 'zho_Hans' && region !== undefined && TRADITIONAL_CHINESE_REGIONS.has(region)) return 'zho_Hant';
  return base;
}

/** The record for any accepted form of a code (`swh_Latn`, `sw`, `swh`, `swa`, `sw-KE`), or undefined. */
export function getLanguage(code: string): Language | undefined {
  const resolved = resolveLanguageCode(code);
  return resolved === undefined ? undefined : languageByCode(resolved);
}

/** All alias keys (whole tags and language subtags) with their targets, for suggestions and tests. */
export function languageCodeAliases(): ReadonlyMap<string, LanguageCode> {
  const all = new Map<string, LanguageCode>(BY_SUBTAG);
  for (const [tag, code] of Object.entries(TAG_ALIASES)) all.set(tag, code);
  return all;
}
