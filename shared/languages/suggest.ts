import { AppError } from '../errors.js';
import { resolveLanguageCode, languageCodeAliases } from './codes.js';
import type { LanguageCode } from './data.js';
import { LANGUAGES, languageByCode, languagePosition } from './database.js';
import { editDistance, foldText } from './text.js';

/**
 * "Did you mean" for unknown language codes: close matches by edit distance over FLORES codes, ISO 639
 * codes, aliases, English names and autonyms ("swahili" → swh_Latn, "sw_Latm" → swh_Latn).
 */

interface Candidate {
  readonly key: string;
  readonly code: LanguageCode;
}

/** Every string a language may be looked up by, folded, with the language it points to. */
const CANDIDATES: readonly Candidate[] = (() => {
  const candidates: Candidate[] = [];
  const add = (key: string, code: LanguageCode): void => {
    // folded like the query: '-' and '_' are one separator ("zh-tw" ~ "zh_tw", "ta’izzi-adeni")
    if (key.length > 0) candidates.push({ key: key.replaceAll('-', '_'), code });
  };
  for (const language of LANGUAGES) {
    const code = language.code as LanguageCode;
    add(language.code.toLowerCase(), code);
    add(language.iso_639_3, code);
    if (language.iso_639_1 !== null) add(language.iso_639_1, code);
    const name = foldText(language.name);
    add(name, code);
    const plainName = name.replace(/\s*\(.*\)\s*$/u, ''); // "acehnese (arabic script)" → "acehnese"
    if (plainName !== name) add(plainName, code);
    add(foldText(language.native_name), code);
  }
  for (const [alias, code] of languageCodeAliases()) add(alias, code);
  return candidates;
})();

const MAX_QUERY_LENGTH = 64;
const MAX_SUGGESTIONS = 20;

/** Allowed edits grow with the input: 1 for codes like "sw", 2 for "swahli", 3 for longer names. */
function allowedDistance(length: number): number {
  return length <= 3 ? 1 : length <= 7 ? 2 : 3;
}

/**
 * Up to `n` FLORES codes close to `input`, best first; an input that resolves comes first. Ties go to
 * popular languages, then tokenizer order. Never throws.
 */
export function suggestLanguageCodes(input: unknown, n = 3): LanguageCode[] {
  if (typeof input !== 'string') return [];
  const limit = Number.isFinite(n) ? Math.max(0, Math.min(MAX_SUGGESTIONS, Math.floor(n))) : 3;
  const query = foldText(input.slice(0, MAX_QUERY_LENGTH)).replaceAll('-', '_');
  if (limit === 0 || query.length === 0) return [];

  const scores = new Map<LanguageCode, number>();
  const resolved = resolveLanguageCode(input);
  if (resolved !== undefined) scores.set(resolved, -1);

  const max = allowedDistance(query.length);
  const words = query.length >= 4;
  for (const { key, code } of CANDIDATES) {
    let score = editDistance(query, key, max);
    // "swahil" → "swahili", "arabic" → "moroccan arabic": a prefix of the key or of one of its words
    if (words && key.startsWith(query)) score = Math.min(score, 0.5);
    else if (words && key.includes(` ${query}`)) score = Math.min(score, 1);
    if (score <= max && score < (scores.get(code) ?? Number.POSITIVE_INFINITY)) scores.set(code, score);
  }

  return [...scores.entries()]
    .sort(([codeA, a], [codeB, b]) => a - b || popularFirst(codeA, codeB) || (languagePosition(codeA) ?? 0) - (languagePosition(codeB) ?? 0))
    .slice(0, limit)
    .map(([code]) => code);
}

function popularFirst(a: string, b: string): number {
  return Number(languageByCode(b)?.popular ?? false) - Number(languageByCode(a)?.popular ?? false);
}

const SHOWN_INPUT_LENGTH = 40;

/**
 * The error for a language code we cannot serve, with suggestions in the message and in
 * details.suggestions (FLORES codes). 400 where the code is a request parameter; pass 404 where the
 * language is the resource itself (GET /languages/{code}).
 */
export function unsupportedLanguageError(input: unknown, field?: string, status: 400 | 404 = 400): AppError {
  const raw = typeof input === 'string' ? input : String(input ?? '');
  // echo a bounded, printable excerpt: the input is untrusted and may be huge
  const clipped = raw.length > SHOWN_INPUT_LENGTH ? `${raw.slice(0, SHOWN_INPUT_LENGTH)}…` : raw;
  const shown = clipped.replace(/\p{Cc}/gu, '?');
  const suggestions = suggestLanguageCodes(raw);
  const where = field === undefined ? '' : ` in ${field}`;
  const hint =
    suggestions.length > 0
      ? `did you mean ${joinOr(suggestions.map((code) => `${code} (${languageByCode(code)?.name ?? code})`))}?`
      : 'see GET /api/v1/languages for the supported codes';
  return new AppError('UNSUPPORTED_LANGUAGE', `unsupported language code '${shown}'${where}; ${hint}`, {
    status,
    details: { code: clipped, suggestions, ...(field === undefined ? {} : { field }) },
  });
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
