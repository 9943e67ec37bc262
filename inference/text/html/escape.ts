/**
 * Translated text put back into HTML. Only what the parser would read as markup is escaped, plus
 * no-break spaces (written `&nbsp;`, as pages do, so they stay visible in the source).
 */
export function escapeText(text: string): string {
  return text.replace(/[&<>\u00A0]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&nbsp;'));
}

/**
 * A translated attribute value for the quoting the source used. An unquoted value that can no
 * longer stand unquoted (empty, or with spaces, quotes, `=`, `<`, `>` or a backtick) gets double quotes.
 */
export function escapeAttribute(value: string, quote: '"' | "'" | ''): string {
  const amp = value.replace(/[&\u00A0]/g, (ch) => (ch === '&' ? '&amp;' : '&nbsp;'));
  if (quote === '"') return amp.replaceAll('"', '&quot;');
  if (quote === "'") return amp.replaceAll("'", '&#39;');
  if (amp === '' || /[ \t\n\f\r"'=<>`]/.test(amp)) return `"${amp.replaceAll('"', '&quot;')}"`;
  return amp;
}
