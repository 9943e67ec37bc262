/**
 * What is sent to the model and what is kept verbatim. The model only ever sees text with
 * letters in it: punctuation, numbers, emoji, URLs and e-mail addresses come back unchanged
 * (NLLB tends to "translate" or drop them, and they cost tokens for nothing).
 */

const LETTER = /\p{L}/u;
const OPEN = `[("'\\[<«“‘]*`;
const URL = new RegExp(`^${OPEN}(?:[a-z][a-z0-9+.-]*://|www\\.|mailto:)\\S+$`, 'iu');
const EMAIL = new RegExp(`^${OPEN}[^\\s@()<>]+@[^\\s@()<>]+\\.[^\\s@()<>]+$`, 'u');

/** A URL or e-mail address alone, possibly bracketed or followed by punctuation. */
export function isAddress(text: string): boolean {
  return URL.test(text) || EMAIL.test(text);
}

/** True for text worth translating: it has a letter and is not an address. */
export function isTranslatable(text: string): boolean {
  return LETTER.test(text) && !isAddress(text);
}

/**
 * A list or heading marker at the start of a line (after its indentation), with the spaces that
 * follow it: "- ", "* ", "• ", "1. ", "2) ", "(3) ", "a) ", "# ", "> ". Kept as-is so the model
 * sees only the item's text and the list survives translation.
 */
const BULLET = /^(?:[-*+•‣◦▪▫·–—>]|\d{1,4}(?:\.\d{1,4})*[.)]|\(\d{1,4}\)|[a-z][.)]|\([a-z]\)|#{1,6})(?:\s+|$)/iu;

export function bulletPrefix(line: string): string {
  return BULLET.exec(line)?.[0] ?? '';
}

/**
 * "Label: address" → the label to translate and the address to keep (the common "Docs:
 * https://…" and "Email: a@b.org" lines). Only after a colon: elsewhere moving the address out
 * of the sentence would break word order in the translation.
 */
export function splitTrailingAddress(text: string): { head: string; gap: string; address: string } | undefined {
  const m = /^(.*[:：])(\s+)(\S+)$/su.exec(text);
  if (!m || !isAddress(m[3]!)) return undefined;
  return { head: m[1]!, gap: m[2]!, address: m[3]! };
}
