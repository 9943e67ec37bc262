/**
 * fastText classifies only the text before the first newline, and control characters are noise to it:
 * turn every control, line and paragraph separator into a space, then collapse runs of whitespace.
 */
export function prepareTextForLid(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
}

/** Whether there is anything to identify: a text of digits, punctuation or emoji has no language. */
export function hasLetters(text: string): boolean {
  return /\p{L}/u.test(text);
}
