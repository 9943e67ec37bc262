import { LANGUAGES } from '../../shared/languages/index.js';

/** What the playground's pickers need of a language; `lang` is the BCP 47 tag of text in it. */
export interface PickerLanguage {
  code: string;
  name: string;
  native: string;
  african: boolean;
  lang: string;
}

/** ISO 639-1 by 639-3 code: a row whose own 639-1 is null (zho_Hant, a second script) shares its language's. */
const ISO_639_1 = new Map(LANGUAGES.filter((row) => row.iso_639_1 !== null).map((row) => [row.iso_639_3, row.iso_639_1!]));

/**
 * The BCP 47 tag of a FLORES-200 language (for `lang` attributes): the ISO 639-1 code where the
 * language has one, else its 639-3 code, with the script subtag (`sw-Latn`, `ary-Arab`, `zh-Hant`), so
 * screen readers and fonts pick the right voice and glyphs.
 */
export function bcp47(code: string): string {
  const iso6393 = code.slice(0, 3);
  return `${ISO_639_1.get(iso6393) ?? iso6393}-${code.slice(4)}`;
}

/** Every NLLB-200 language, African ones first (then by English name), for the pickers. */
export const PICKER_LANGUAGES: readonly PickerLanguage[] = [...LANGUAGES]
  .sort((a, b) => Number(b.african) - Number(a.african) || a.name.localeCompare(b.name, 'en'))
  .map((language) => ({
    code: language.code,
    name: language.name,
    native: language.native_name,
    african: language.african,
    lang: bcp47(language.code),
  }));
