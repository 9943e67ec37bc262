import { MASK, maskLikeTokensIn } from './mask.js';

export interface FallbackPlan {
  /**
   * The text between the masks, in order (one more than there are masks): translate each on its
   * own. They may be empty or have no letter (", ", " "): don't send those, pass them back as they are.
   */
  pieces: string[];
  /**
   * The masked output: `translated[i]` in place of `pieces[i]`, the masks between them in their
   * original order. A translated piece with anything mask-like in it is replaced by its source
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
        out += maskLikeTokensIn(piece).length > 0 ? pieces[i]! : piece;
        if (i < masks.length) out += masks[i]!;
      });
      return out;
    },
  };
}
