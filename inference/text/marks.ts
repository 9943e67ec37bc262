/**
 * The punctuation that ends sentences and clauses, as regular-expression character classes.
 *
 * Sentence marks are Unicode's Sentence_Terminal property (the STerm and ATerm sets of UAX #29,
 * the same set ICU's sentence rules use: . ! ? and ። ፧ ፨ । ॥ 。 ！ ？ ؟ ۔ ։ ။ ។ ៕ and the marks of
 * ~60 other scripts) plus the ellipsis, minus Myanmar's little section ၊, which is written as a
 * comma.
 */

/** One sentence mark (a regex fragment, for /u expressions). */
export const SENTENCE_MARK = '(?:(?!\\u104A)\\p{Sentence_Terminal}|[\\u2026\\u22EF])';

/**
 * Marks that end a sentence only when a space follows: ". ! ?" and their look-alikes are also
 * written inside tokens ("3.5", "e.g.", "a?b=1", "Yahoo!"). Every other sentence mark (。 ። । ؟ …)
 * ends a sentence with or without a space: CJK writes none, and "ነው።እንዴት" is two sentences.
 */
export const SPACED_MARK = /[.!?\u2024\u203C\u2047-\u2049\uFE52\uFE56\uFE57\u2026\u22EF]/u;

/** Full stops: one alone may end an abbreviation ("Dr."); two or more are an ellipsis. */
export const FULL_STOP = /[.\u2024\uFE52]/u;

/** Ellipsis characters (… and the midline ⋯ of Chinese text). */
export const ELLIPSIS = /[\u2026\u22EF]/u;

/**
 * What may follow a mark and still belong to its sentence: closing brackets and quotes, and
 * opening quotes written straight after the mark (German „geh.“ closes with U+201C, and a
 * straight " or ' is both opener and closer).
 */
export const CLOSER = '[\\p{Pe}\\p{Pf}\\p{Pi}"\']';

/**
 * Letters of scripts written without spaces between words: there a Latin full stop, "!" or "?"
 * followed directly by a letter still ends the sentence ("你好.世界").
 */
export const UNSPACED_LETTER =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;

/**
 * Where an over-long sentence may be cut between clauses (see split-long.ts): after Latin-style
 * clause punctuation and closers only when whitespace follows ("1,000", "a:b" and "e.g." stay
 * whole); after the clause and sentence marks of other scripts and the em dash always. Tibetan
 * shad and Myanmar's little section are clause marks here too.
 */
export const CLAUSE_END = new RegExp(
  `[,;:.!?\\u2024\\u203C\\u2047-\\u2049\\u2026\\u22EF\\u2013)\\]}»”’"']+(?=\\s)|(?:[—、，；：،؛፣፤፥፦၊།༎៖]|(?![.!?\\u2024\\u203C\\u2047-\\u2049\\uFE52\\uFE56\\uFE57])${SENTENCE_MARK})+`,
  'gu',
);
