import { MASK, maskLikeTokensIn, straySquareBrackets } from './mask.js';

export interface FallbackPlan {
  /**
   * The text between the masks, in order (one more than there are masks): translate each on its
   * own. They may be empty or have no letter (", ", " "): don't send those, pass them back as they are.
   */
  pieces: string[];
  /**
   * The masked output: `translated[i]` in place of `pieces[i]`, the masks between them in their
   * original order. A translated piece with anything mask-like in it (or a bracket its source piece
   * does not have) is replaced by its source
   * piece, so the result always passes checkMasks against the masked source.
   */
  join(translated: readonly string[]): string;
}

/**
 * The safe fallback for a masked text whose translation broke its masks: translating only the
 * text between masks cannot move, drop or repeat a span. Word order across spans is the source's.
 */
export function fallbackPlan(masked: string): FallbackPlan {
  const pieces: string[] = [];
  const masks: string[] = [];
  let at = 0;
  for (const m of masked.matchAll(MASK)) {
    pieces.push(masked.slice(at, m.index));
    masks.push(m[0]);
    at = m.index + m[0].length;
  }
  pieces.push(masked.slice(at));
  return {
    pieces,
    join(translated) {
      if (translated.length !== pieces.length) {
        throw new RangeError(`expected ${pieces.length} translated pieces, got ${translated.length}`);
      }
      let out = '';
      translated.forEach((piece, i) => {
        const unsafe = maskLikeTokensIn(piece).length > 0 || straySquareBrackets(piece) > straySquareBrackets(pieces[i]!);
        out += unsafe ? pieces[i]! : piece;
        if (i < masks.length) out += masks[i]!;
      });
      return out;
    },
  };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * A fallback piece cut into what the model translates (`core`: from its first letter or digit to its
 * last) and what stays byte-for-byte beside the masks (`lead`, `trail`: whitespace and punctuation).
 * Keeping the punctuation out of the model matters for the guarantee's spirit: a model that drops a
 * leading ": " or a trailing ", " would otherwise glue its words onto a span ("@aminaWakulima",
 * "team@example.orgmy"), changing what the span reads as. Linear in the piece's length.
 */
export function pieceEdges(piece: string): { lead: string; core: string; trail: string } {
  const chars = Array.from(piece);
  let start = 0;
  while (start < chars.length && !WORD_CHAR.test(chars[start]!)) start++;
  if (start === chars.length) return { lead: piece, core: '', trail: '' };
  let end = chars.length;
  while (end > start && !WORD_CHAR.test(chars[end - 1]!)) end--;
  return { lead: chars.slice(0, start).join(''), core: chars.slice(start, end).join(''), trail: chars.slice(end).join('') };
}
