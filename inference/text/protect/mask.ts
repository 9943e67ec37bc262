/**
 * The mask a protected span is replaced by: `[` + its index + `]`, indices 0, 1, 2, … in order of
 * appearance within one protected text (so identical spans get distinct masks and counts can be
 * checked). Why this shape:
 * - ASCII brackets and digits are in NLLB's SentencePiece vocabulary, so the model never sees
 *   `<unk>` (exotic brackets such as ⟦ ⟧ risk that); digits are script-neutral, so there is no
 *   Latin word to transliterate for an Ethiopic or Arabic target; a bracketed number reads like
 *   a reference marker, which translations copy through. (How often NLLB-600M keeps them is not
 *   measured yet; whatever it does, checkMasks and the fallback keep the spans.)
 * - no whitespace and no sentence or clause punctuation inside, so neither the sentence
 *   segmenter nor the long-sentence splitter can cut a mask;
 * - short: 3–4 characters, 3 tokens.
 * User text can contain such strings ("[1]" citations, "items[0]"): every mask-like string in
 * the input is protected like any other span (see MASK_LIKE), so after masking the only
 * mask-like strings in a masked text are its own masks, each exactly once.
 */
export const MASK_OPEN = '[';
export const MASK_CLOSE = ']';

/** The mask of span `index`. */
export function maskToken(index: number): string {
  return `${MASK_OPEN}${index}${MASK_CLOSE}`;
}

/** A mask exactly as emitted: ASCII digits, no leading zero. Global: use with matchAll/replace. */
export const MASK = /\[(0|[1-9][0-9]*)\]/g;

// Brackets the model might turn ours into (full-width, CJK, mathematical).
const OPENERS = '\\[［【〔〖⟦';
const CLOSERS = '\\]］】〕〗⟧';

/**
 * Anything a mask may look like after a model has mangled it: a bracket (ours or a look-alike)
 * and digits of any script with an optional space ("[ 3 ]", "［3］", "[٣]", "[03]", "[3"), or
 * digits and a closing bracket ("3]"). Exact masks match it too. In user input every match is
 * protected; in model output every match that is not one of the source's masks is "mangled".
 */
// The second form starts only where a digit run starts, so a long run costs linear time.
export const MASK_LIKE = new RegExp(`[${OPENERS}]\\s?\\p{Nd}+\\s?[${CLOSERS}]?|(?<!\\p{Nd})\\p{Nd}+\\s?[${CLOSERS}]`, 'gu');

/** Every mask-like token has one of these brackets (a cheap test before MASK_LIKE). Global. */
export const MASK_BRACKET = new RegExp(`[${OPENERS}${CLOSERS}]`, 'gu');

const EXACT = /^\[(0|[1-9][0-9]*)\]$/;

/**
 * Brackets (ours or look-alikes) outside exact masks. A model output with more of them than its source
 * has broken a mask even when every mask is still there ("[ [0]" would restore as "[ 42").
 */
export function straySquareBrackets(text: string): number {
  return (text.replace(MASK, '').match(MASK_BRACKET) ?? []).length;
}

/** The span index of `token` when it is an exact mask, else undefined. */
export function maskIndex(token: string): number | undefined {
  const m = EXACT.exec(token);
  return m ? Number(m[1]) : undefined;
}

/** The exact masks in `text`, in order. */
export function masksIn(text: string): string[] {
  return Array.from(text.matchAll(MASK), (m) => m[0]);
}

/** The mask-like tokens in `text`, in order (exact masks included). */
export function maskLikeTokensIn(text: string): string[] {
  return Array.from(text.matchAll(MASK_LIKE), (m) => m[0]);
}
