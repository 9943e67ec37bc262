import { continuesAfterAbbreviation } from './abbreviations.js';
import { graphemeBounds } from './graphemes.js';
import { CLOSER, ELLIPSIS, FULL_STOP, SENTENCE_MARK, SPACED_MARK, UNSPACED_LETTER } from './marks.js';

/*
 * Sentence boundaries as people write them, in one linear pass over one line.
 *
 * Not Intl.Segmenter: ICU follows UAX #29, whose rule SB8 never breaks before a lower-case word
 * ("bread. the teacher …" is one sentence, and a lower-case text of fifty sentences reached the
 * model as one), breaks after "Mr." and inside "a?b=1", and keeps `"go." then` whole. Those are
 * most of the decisions, so the boundaries are found here instead, over the same set of marks
 * (Unicode's Sentence_Terminal, see marks.ts):
 *
 * - a run of marks, with the closing quotes and brackets written right after it (`"go."`, `(yes!)`,
 *   「はい。」) or after a space (« oui. »), ends a sentence when whitespace follows, whatever the
 *   next word's case;
 * - marks of scripts other than Latin (。 ። । ؟ ។ …) end it with no whitespace too; ". ! ?"
 *   without whitespace do only before a letter of a script written without spaces ("你好.世界"),
 *   never inside a token ("3.5", "e.g.", "a?b=1", "Yahoo!Inc");
 * - a single full stop after an abbreviation or an initial continues the sentence (abbreviations.ts);
 * - an ellipsis ("…", "...") followed by a lower-case word continues it ("I think… maybe not"):
 *   trailing off mid-sentence is the common use; before a capital or a caseless script it ends one;
 * - nothing ends a sentence before a comma, semicolon or colon, or inside a URL or e-mail address;
 * - the last sentence needs no mark, and the whitespace after a boundary stays with the sentence before;
 * - Thai and Lao writers end sentences with a space, but separate clauses and phrases with one too
 *   (and NLLB's training sentences contain them), so a space there is only a place to cut text
 *   that is over the limit (split-long.ts), as are word boundaries in runs without any mark.
 */

const CANDIDATE = new RegExp(`${SENTENCE_MARK}(?:${SENTENCE_MARK}|${CLOSER})*`, 'gu');
const SPACE_RUN = /\s*/uy;
// A closing bracket or quote after the space (French « oui. » puis): one followed by whitespace
// or the end closes, as an opening one is followed by its text (German »Ja.« »Nein.«).
const SPACED_CLOSERS = /[\p{Pe}\p{Pf}]+(?=\s|$)\s*/uy;
const MARK = new RegExp(SENTENCE_MARK, 'u');
const STRONG_MARK = new RegExp(`(?!${FULL_STOP.source}|${ELLIPSIS.source})${SENTENCE_MARK}`, 'u');
const UNSPACED_MARK = new RegExp(`(?!${SPACED_MARK.source})${SENTENCE_MARK}`, 'u');
const CLAUSE_PUNCTUATION = /^[,;:،؛、，；：]/u;
const LOWER = /^\p{Ll}/u;
const STARTS_UNSPACED = new RegExp(`^${UNSPACED_LETTER.source}`, 'u');
// The word before a full stop: letters, marks, digits and inner dots, looked for in a short window
// (abbreviations are short; a bounded window keeps the pass linear).
const WORD_BEFORE = /[\p{L}\p{M}\p{Nd}.]+$/u;
const WORD_WINDOW = 24;

// URLs and e-mail addresses inside running text: no boundary inside them. Whole space-delimited
// words are tested (an unanchored address regex backtracks quadratically on long words).
const WORD = /\S+/gu;
const ADDRESS_START = /^[("'\[<«“‘]*(?:www\.|mailto:)/iu;
const EMAIL_LIKE = /[^@]@[^@]*[^.@]\.[^.@]/u;
const isAddressLike = (word: string) => word.includes('://') || ADDRESS_START.test(word) || EMAIL_LIKE.test(word);

/** The sentences of one line (no line breaks inside); they concatenate to the input exactly. */
export function sentences(text: string): string[] {
  const ends = sentenceEnds(text);
  const out: string[] = [];
  let start = 0;
  for (const end of ends) {
    out.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length || out.length === 0) out.push(text.slice(start));
  return out;
}

/** Offsets where a new sentence starts, ascending, each strictly inside the text at a grapheme boundary. */
function sentenceEnds(text: string): number[] {
  const bounds = graphemeBounds(text);
  const addresses = addressSpans(text);
  let nextAddress = 0;
  const ends: number[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const runEnd = match.index + match[0].length;
    SPACE_RUN.lastIndex = runEnd;
    let end = runEnd + SPACE_RUN.exec(text)![0].length;
    if (end > runEnd) {
      SPACED_CLOSERS.lastIndex = end;
      end += SPACED_CLOSERS.exec(text)?.[0].length ?? 0;
    }
    if (end >= text.length) continue;
    if (!endsSentence(text, match.index, match[0], end > runEnd, text.slice(end, end + 2))) continue;
    const boundary = bounds.ceil(end);
    if (boundary >= text.length || boundary <= (ends[ends.length - 1] ?? 0)) continue;
    while (nextAddress < addresses.length && addresses[nextAddress]![1] <= boundary) nextAddress += 1;
    const address = addresses[nextAddress];
    if (address && address[0] < boundary) continue;
    ends.push(boundary);
  }
  return ends;
}

function endsSentence(text: string, at: number, run: string, spaced: boolean, next: string): boolean {
  const marks = Array.from(run).filter((ch) => MARK.test(ch));
  if (!spaced) return marks.some((ch) => UNSPACED_MARK.test(ch)) || (!isEllipsis(marks) && STARTS_UNSPACED.test(next));
  if (CLAUSE_PUNCTUATION.test(next)) return false;
  if (marks.some((ch) => UNSPACED_MARK.test(ch) || STRONG_MARK.test(ch))) return true;
  if (isEllipsis(marks)) return !LOWER.test(next);
  const word = WORD_BEFORE.exec(text.slice(Math.max(0, at - WORD_WINDOW), at))?.[0] ?? '';
  return !continuesAfterAbbreviation(word, next);
}

/** "…", "⋯" or two or more full stops ("..."), with nothing stronger. */
const isEllipsis = (marks: string[]) => marks.some((ch) => ELLIPSIS.test(ch)) || (marks.length > 1 && marks.every((ch) => FULL_STOP.test(ch)));

function addressSpans(text: string): Array<readonly [number, number]> {
  const spans: Array<readonly [number, number]> = [];
  for (const m of text.matchAll(WORD)) if (isAddressLike(m[0])) spans.push([m.index, m.index + m[0].length]);
  return spans;
}
