/**
 * The FLORES-200 language database of the 202 NLLB-200 languages and everything built on it. Runs in
 * workerd and Node (no fs, no Node-only imports).
 */
export { LANGUAGE_ROWS, POPULAR_CODES, type LanguageCode, type LanguageRow } from './data.js';
export { FLORES_CODE_PATTERN, SCRIPT_CODE_PATTERN } from './flores.js';
export { LANGUAGES, LANGUAGE_CODES, isLanguageCode, languageByCode, languagePosition } from './database.js';
export { resolveLanguageCode, getLanguage, languageCodeAliases } from './codes.js';
export { suggestLanguageCodes, unsupportedLanguageError } from './suggest.js';
export { languageTokenId } from './tokens.js';
export { ltLanguageCode, ltLanguages } from './libretranslate.js';
export {
  LID176_TO_FLORES,
  LID176_LABELS,
  LID176_UNDETECTABLE,
  floresFromLid176Label,
  isLid176Detectable,
} from './lid176.js';
export { searchLanguages } from './search.js';
export { languageStats } from './stats.js';
export { foldText, editDistance } from './text.js';
export { fnv1a64, strongEtag, ifNoneMatchMatches } from './etag.js';
export * from './routes.js';
export { createLanguagesApp, LANGUAGES_CACHE_CONTROL, MIN_SEARCH_QUERY_LENGTH } from './app.js';
