import type { Language } from '../contract/languages.js';
import { LANGUAGE_ROWS, POPULAR_CODES, type LanguageCode } from './data.js';
import { isLid176Detectable } from './lid176.js';

/**
 * The language records, built once from the compact rows in data.ts. Derived fields:
 * - script: the code's suffix (ISO 15924), so it can never disagree with the code;
 * - iso_639_3: the code's prefix. NLLB names languages by their individual 639-3 code (zsm, pes, arb,
 *   gaz, khk, npi, lvs, uzn, azj, als, quy, ydd, prs, plt, ...). Two rows use a macrolanguage code
 *   because NLLB does: zho (Mandarin text, written Hans or Hant) and est (NLLB's est_Latn is Standard
 *   Estonian, individual code ekk, which resolveLanguageCode accepts as an alias);
 * - african: region is Africa (no exceptions);
 * - popular: listed in POPULAR_CODES;
 * - lid176_detectable: some fastText lid.176 label maps to the code (lid176.ts).
 */
const POPULAR: ReadonlySet<string> = new Set(POPULAR_CODES);

export type { LanguageCode } from './data.js';

/** The 202 records in tokenizer order, frozen (shared by every caller). */
export const LANGUAGES: readonly Language[] = Object.freeze(
  LANGUAGE_ROWS.map(([code, name, nativeName, region, iso6391]) =>
    Object.freeze({
      code,
      name,
      native_name: nativeName,
      script: code.slice(4),
      region,
      iso_639_1: iso6391,
      iso_639_3: code.slice(0, 3),
      african: region === 'Africa',
      popular: POPULAR.has(code),
      lid176_detectable: isLid176Detectable(code),
    }),
  ),
);

/** The 202 FLORES-200 codes in tokenizer order. */
export const LANGUAGE_CODES: readonly LanguageCode[] = Object.freeze(LANGUAGE_ROWS.map((row) => row[0]));

const BY_CODE: ReadonlyMap<string, Language> = new Map(LANGUAGES.map((language) => [language.code, language]));
const POSITION: ReadonlyMap<string, number> = new Map(LANGUAGE_CODES.map((code, index) => [code, index + 1]));

/** The record of an exact FLORES-200 code (no normalisation; see getLanguage for any accepted form). */
export function languageByCode(code: string): Language | undefined {
  return BY_CODE.get(code);
}

export function isLanguageCode(code: unknown): code is LanguageCode {
  return typeof code === 'string' && BY_CODE.has(code);
}

/** 1-based position of a FLORES code in tokenizer order, or undefined. */
export function languagePosition(code: string): number | undefined {
  return POSITION.get(code);
}
