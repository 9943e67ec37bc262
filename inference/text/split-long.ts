import { graphemeBounds, trimmed, type GraphemeBounds } from './graphemes.js';
import { segmenterFor } from './locale.js';
import { CLAUSE_END } from './marks.js';
import type { CountTokens } from './tokens.js';

/**
 * Cuts a text that is over the model's input limit into consecutive pieces that concatenate
 * back to it exactly; each piece, without the whitespace around it (which the segmenter keeps
 * out of the model's input), counts at most `maxTokens`.
 *
 * Each piece is made as long as the limit allows, then ended at the best boundary before that
 * point, in order of preference: after clause punctuation (marks.ts), at whitespace or a
 * zero-width space, at a dictionary word boundary (Intl.Segmenter for `locale`: Thai, Lao,
 * Khmer, Myanmar, CJK), at a grapheme cluster boundary; a single cluster over the limit alone
 * is cut at code points (never inside a surrogate pair), because the model would truncate it
 * otherwise.
 *
 * Cost: the reach of each piece is found by galloping from a guess then binary search, so a line
 * costs O(n log n) characters counted, and each boundary lookup scans only the piece it ends.
 * Every emitted piece was counted, so the bound holds for any counter (but for a single code
 * point over the limit); with one that is not monotonic (a longer text may count fewer) pieces
 * are just less tight.
 */
export function splitLong(text: string, maxTokens: number, countTokens: CountTokens, locale?: string): string[] {
  const max = Math.max(1, maxTokens);
  const measure = (start: number, end: number) => countTokens(trimmed(text.slice(start, end)));
  const total = measure(0, text.length);
  if (total <= max) return [text];
  const fits = (start: number, end: number) => measure(start, end) <= max;
  const cutter = new Cutter(text, locale);
  const pieces: string[] = [];
  // Where the next piece probably ends, from the characters per token seen so far: the search
  // then costs a few counts near the piece's end (a real tokenizer encodes every probe).
  let guess = Math.max(1, Math.floor((text.length * max) / total));
  let start = 0;
  while (start < text.length) {
    const reach = furthestFit(text, start, guess, fits);
    if (reach === text.length) {
      pieces.push(text.slice(start));
      break;
    }
    guess = reach - start;
    let end = cutter.bestCut(start, reach);
    // Only a non-monotonic counter can reject a shorter piece than one it accepted; a single code
    // point over the limit goes alone.
    while (!fits(start, end)) {
      const shorter = alignToCodePoint(text, end - 1);
      if (shorter <= start) {
        end = nextCodePoint(text, start);
        break;
      }
      end = cutter.bestCut(start, shorter);
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * The largest end (a code point boundary) such that text[start, end) fits, the text's length when
 * the rest fits, or one code point past start when not even that fits. Galloping from the guess
 * `start + guess` (up while it fits, down while it does not), then binary search.
 */
function furthestFit(text: string, start: number, guess: number, fits: (start: number, end: number) => boolean): number {
  const length = text.length;
  const firstStep = Math.max(8, guess >> 4);
  let lo = start; // fits (empty)
  let hi = length + 1; // does not fit (past the end: none found yet)
  let probe = Math.min(length, Math.max(nextCodePoint(text, start), alignToCodePoint(text, start + guess)));
  if (fits(start, probe)) {
    lo = probe;
    for (let step = firstStep; lo < length; step *= 2) {
      probe = alignToCodePoint(text, Math.min(length, lo + step));
      if (!fits(start, probe)) {
        hi = probe;
        break;
      }
      lo = probe;
    }
    if (lo === length) return length;
  } else {
    hi = probe;
    for (let step = firstStep; ; step *= 2) {
      probe = alignToCodePoint(text, hi - step);
      if (probe <= start) break;
      if (fits(start, probe)) {
        lo = probe;
        break;
      }
      hi = probe;
    }
  }
  while (hi - lo > 1) {
    let mid = alignToCodePoint(text, (lo + hi) >>> 1);
    if (mid <= lo) mid = nextCodePoint(text, lo);
    if (mid >= hi) break;
    if (fits(start, mid)) lo = mid;
    else hi = mid;
  }
  return lo > start ? lo : nextCodePoint(text, start);
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** `index`, moved back one code unit when it falls between the halves of a surrogate pair. */
function alignToCodePoint(text: string, index: number): number {
  if (index <= 0 || index >= text.length) return Math.min(Math.max(index, 0), text.length);
  return isLow(text.charCodeAt(index)) && isHigh(text.charCodeAt(index - 1)) ? index - 1 : index;
}

function nextCodePoint(text: string, index: number): number {
  return index + (isHigh(text.charCodeAt(index)) && isLow(text.charCodeAt(index + 1)) ? 2 : 1);
}

// Whitespace, and the zero-width space that Khmer, Thai and Myanmar writers put between words.
const WORD_GAP = /[\s\u200b]/u;
const TRAILING_SPACES = /\s*/uy;

/** Finds the best boundary to end a piece at; built once per over-long text. */
class Cutter {
  readonly #text: string;
  readonly #locale: string | undefined;
  readonly #bounds: GraphemeBounds;
  #words: Intl.Segments | undefined;

  constructor(text: string, locale: string | undefined) {
    this.#text = text;
    this.#locale = locale;
    this.#bounds = graphemeBounds(text);
  }

  /** A cut in (start, reach], preferring clauses, then whitespace, words, graphemes; reach itself last. */
  bestCut(start: number, reach: number): number {
    return this.#afterClause(start, reach) ?? this.#atSpace(start, reach) ?? this.#atWord(start, reach) ?? this.#atGrapheme(start, reach) ?? reach;
  }

  /**
   * After the last clause punctuation ending in (start, reach], with the whitespace after it that
   * fits. Searched in the piece plus one character (for the whitespace lookahead), never beyond,
   * so a text without clause punctuation is not scanned to its end for every piece.
   */
  #afterClause(start: number, reach: number): number | undefined {
    const window = this.#text.slice(start, reach + 1);
    let best: number | undefined;
    for (const m of window.matchAll(CLAUSE_END)) {
      const punctuationEnd = start + m.index + m[0].length;
      if (punctuationEnd > reach) break;
      TRAILING_SPACES.lastIndex = punctuationEnd;
      const cut = Math.min(reach, punctuationEnd + TRAILING_SPACES.exec(this.#text)![0].length);
      if (cut > start && this.#bounds.isBoundary(cut)) best = cut;
    }
    return best;
  }

  /** After the last whitespace or zero-width space in (start, reach]. */
  #atSpace(start: number, reach: number): number | undefined {
    for (let cut = reach; cut > start; cut -= 1) {
      if (WORD_GAP.test(this.#text[cut - 1]!) && this.#bounds.isBoundary(cut)) return cut;
    }
    return undefined;
  }

  /** At the last word boundary in (start, reach] that is also a grapheme boundary. */
  #atWord(start: number, reach: number): number | undefined {
    this.#words ??= segmenterFor(this.#locale, 'word').segment(this.#text);
    for (let cut = reach; cut > start; ) {
      const boundary = cut >= this.#text.length ? cut : this.#words.containing(cut)!.index;
      if (boundary <= start) return undefined;
      if (this.#bounds.isBoundary(boundary)) return boundary;
      cut = boundary - 1;
    }
    return undefined;
  }

  #atGrapheme(start: number, reach: number): number | undefined {
    const cut = this.#bounds.floor(reach);
    return cut > start ? cut : undefined;
  }
}
