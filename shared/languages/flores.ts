/**
 * The shape of a FLORES-200 code as NLLB-200 names languages: an ISO 639-3 language code, an underscore,
 * an ISO 15924 script code (`swh_Latn`, `zho_Hant`). A code of this shape is not necessarily one of the
 * 202 (see isLanguageCode); this is the syntax check schemas and label parsers share.
 */
export const FLORES_CODE_PATTERN = /^[a-z]{3}_[A-Z][a-z]{3}$/;

/** An ISO 15924 script code as it ends a FLORES-200 code (`Latn`, `Ethi`). */
export const SCRIPT_CODE_PATTERN = /^[A-Z][a-z]{3}$/;
