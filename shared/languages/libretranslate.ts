import type { LtLanguage } from '../contract/libretranslate.js';
import { resolveLanguageCode } from './codes.js';
import { LANGUAGES, languageByCode } from './database.js';

/**
 * LibreTranslate-style codes for the LibreTranslate-compatible routes: the ISO 639-1 code when the
 * language has one and no other of the 202 shares it, else the FLORES-200 code. Traditional Chinese is
 * "zt", as in LibreTranslate (and resolveLanguageCode maps "zt" back to zho_Hant).
 */
const LT_SPECIAL: Readonly<Record<string, string>> = { zho_Hant: 'zt' };

const ISO1_COUNT: ReadonlyMap<string, number> = LANGUAGES.reduce((counts, language) => {
  if (language.iso_639_1 !== null) counts.set(language.iso_639_1, (counts.get(language.iso_639_1) ?? 0) + 1);
  return counts;
}, new Map<string, number>());

/** The LibreTranslate code of a language given in any accepted form, or undefined if unknown. */
export function ltLanguageCode(code: string): string | undefined {
  const resolved = resolveLanguageCode(code);
  const language = resolved === undefined ? undefined : languageByCode(resolved);
  if (language === undefined) return undefined;
  const special = LT_SPECIAL[language.code];
  if (special !== undefined) return special;
  const iso1 = language.iso_639_1;
  return iso1 !== null && ISO1_COUNT.get(iso1) === 1 ? iso1 : language.code;
}

let ltLanguageList: LtLanguage[] | undefined;

/** LibreTranslate's GET /languages: every language with its LibreTranslate code; each translates into every other. */
export function ltLanguages(): LtLanguage[] {
  if (ltLanguageList) return ltLanguageList;
  const codes = LANGUAGES.map((language) => ({ language, lt: ltLanguageCode(language.code) ?? language.code }));
  ltLanguageList = codes.map(({ language, lt }) => ({
    code: lt,
    name: language.name,
    targets: codes.filter((other) => other.lt !== lt).map((other) => other.lt),
  }));
  return ltLanguageList;
}
