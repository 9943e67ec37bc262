/**
 * Text folding and distance for language look-ups. Plain string code, so it runs in workerd and Node.
 */

const COMBINING_MARKS = /\p{M}+/gu;

/**
 * Case- and diacritics-insensitive form: NFD, combining marks removed, lower case, whitespace collapsed.
 * "Èdè Yorùbá" → "ede yoruba", "Norsk bokmål" → "norsk bokmal". Letters that are not decomposable
 * (ɔ, ŋ, ø) stay as they are, which is what users type anyway.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * Levenshtein distance with an early exit: returns `max + 1` as soon as the distance must exceed `max`,
 * so ranking 200 candidates stays cheap whatever the input. Works on UTF-16 units, which is fine for
 * ranking suggestions.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}
