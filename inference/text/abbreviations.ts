/**
 * Whether a full stop after `word` ends its sentence, given what follows the space after it.
 * One list for every language (a few words each of English, French, German, Spanish, Portuguese
 * and Swahili), because the source language is often detected, not given. Each word is trusted
 * only where it rarely ends a sentence: titles and introducers anywhere, other abbreviations
 * only before what a new sentence rarely starts with (a lower-case word, a number). Known
 * misreadings, accepted: "45 ms. The" (milliseconds read as "Ms.") and "grade A. The" (an
 * initial). Lower-case keys, no final dot.
 */

/** Titles before a name and Latin introducers: never the end of a sentence. */
const NEVER_FINAL = new Set([
  // English titles
  'mr', 'mrs', 'ms', 'messrs', 'dr', 'prof', 'st', 'mt', 'rev', 'hon', 'gen', 'capt', 'col', 'lt', 'sgt', 'gov', 'sen', 'rep', 'fr',
  // French, Spanish, Portuguese titles
  'mme', 'mlle', 'mmes', 'sr', 'sra', 'srta', 'dra', 'dña', 'ud', 'uds',
  // Swahili titles: Bwana, Bibi, Daktari, Mheshimiwa, Mwalimu
  'bw', 'bi', 'dkt', 'mh', 'mwl',
  // introducers
  'e.g', 'i.e', 'cf', 'vs', 'viz', 'approx', 'ca', 'z.b', 'k.m', 'p.ex', 'd.h', 'u.a',
]);

/** Abbreviations that can also end a sentence: inside one only before a lower-case word or a number. */
const ENDABLE = new Set([
  'etc', 'al', 'inc', 'ltd', 'co', 'corp', 'jr', 'bros', 'dept', 'univ', 'esp', 'incl', 'misc', 'resp',
  'usw', 'bzw', 'ggf', 'evtl', 'vgl', 'n.k', 'nk', 'k.v',
]);

/** Abbreviations that are followed by a number: "No. 5", "Fig. 3", "pp. 10–12", Swahili "uk. 4" (ukurasa, page). */
const BEFORE_NUMBER = new Set([
  'no', 'nos', 'nr', 'núm', 'fig', 'figs', 'vol', 'vols', 'pp', 'p', 'pg', 'pág', 'ch', 'chap', 'sec', 'art', 'para', 'op', 'tel', 'eq', 'ref', 'ex', 'uk', 'ibid',
]);

const DOTTED = /^\p{L}{1,3}(?:\.\p{L}{1,3})+$/u;
const SINGLE_UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}/u;
const UPPER = /^[\p{Lu}\p{Lt}]/u;
const DIGIT = /^\p{Nd}/u;

/**
 * True when "word. next" continues one sentence: `word` is the text before the full stop (letters
 * and inner dots), `next` the text after the space(s).
 *
 * - titles and introducers ("Dr.", "e.g.", Swahili "Bw.") never end a sentence;
 * - "etc.", "Inc.", "et al." and dotted abbreviations ("a.m.", "U.S.") continue before a
 *   lower-case word or a number, and end the sentence before a capital;
 * - "No. 5", "Fig. 3": the abbreviation continues before a number;
 * - one capital letter is an initial before a capitalised word ("J. R. Tolkien"), so "grade A.
 *   The" is misread as one (initials are far more common); "plan b. then" ends a sentence.
 */
export function continuesAfterAbbreviation(word: string, next: string): boolean {
  if (!word) return false;
  const key = word.toLowerCase();
  if (NEVER_FINAL.has(key)) return true;
  const lowerOrNumber = LOWER.test(next) || DIGIT.test(next);
  if (ENDABLE.has(key) || DOTTED.test(word)) return lowerOrNumber;
  if (BEFORE_NUMBER.has(key) && DIGIT.test(next)) return true;
  return SINGLE_UPPER.test(word) && UPPER.test(next);
}
