import type { Language } from '../contract/languages.js';
import { resolveLanguageCode } from './codes.js';
import { LANGUAGES } from './database.js';
import { foldText } from './text.js';

/**
 * Search by code, English name or autonym, insensitive to case and diacritics ("yoruba" finds
 * "Èdè Yorùbá"). Ranked: exact match (including any code form resolveLanguageCode accepts, so "swa" and
 * "ara" put Swahili and Arabic first) > prefix of a field > prefix of a word in a field > substring;
 * ties keep tokenizer order, so results are deterministic.
 */

const Rank = { Exact: 0, Prefix: 1, WordPrefix: 2, Substring: 3, None: 4 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface Indexed {
  readonly language: Language;
  readonly keys: readonly string[];
  readonly words: readonly string[];
}

const WORD_SEPARATORS = /[\s()\-_,.'’]+/u;

const INDEX: readonly Indexed[] = LANGUAGES.map((language) => {
  const names = [foldText(language.name), foldText(language.native_name)];
  const keys = [
    language.code.toLowerCase(),
    language.iso_639_3,
    ...(language.iso_639_1 === null ? [] : [language.iso_639_1]),
    ...names,
  ];
  // words of the names without a script qualifier, so "arabic" ranks the Arabic languages above
  // "Acehnese (Arabic script)" (which still matches, as a substring)
  const words = names
    .flatMap((name) => name.replace(/\(.*\)/u, ' ').split(WORD_SEPARATORS))
    .filter((word) => word.length > 0);
  return { language, keys, words };
});

const MAX_QUERY_LENGTH = 100;

function rank(entry: Indexed, query: string, codeQuery: string): Rank {
  let best: Rank = Rank.None;
  for (const key of entry.keys) {
    if (key === query || key === codeQuery) return Rank.Exact;
    if (key.startsWith(query) || key.startsWith(codeQuery)) best = Rank.Prefix;
    else if (best > Rank.Substring && key.includes(query)) best = Rank.Substring;
  }
  if (best > Rank.WordPrefix && entry.words.some((word) => word.startsWith(query))) best = Rank.WordPrefix;
  return best;
}

/** Languages matching `q`, best first, at most `limit` (default: all matches). Never throws. */
export function searchLanguages(q: unknown, limit: number = LANGUAGES.length): Language[] {
  if (typeof q !== 'string') return [];
  const query = foldText(q.slice(0, MAX_QUERY_LENGTH));
  if (query.length === 0) return [];
  const max = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : LANGUAGES.length;
  // codes are written with "_", clients also type "-" or a space ("swh-latn", "swh latn")
  const codeQuery = query.replace(/[\s-]/gu, '_');

  const resolved = resolveLanguageCode(q);

  const ranked: { language: Language; rank: Rank; position: number }[] = [];
  INDEX.forEach((entry, position) => {
    const r = entry.language.code === resolved ? Rank.Exact : rank(entry, query, codeQuery);
    if (r !== Rank.None) ranked.push({ language: entry.language, rank: r, position });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.position - b.position);
  return ranked.slice(0, max).map((entry) => entry.language);
}
