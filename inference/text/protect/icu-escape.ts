/**
 * ICU MessageFormat quoting for text put back into a message (a translation and the literal
 * spans around it), with ICU 4.8+ "apostrophe only where needed" rules as
 * @formatjs/icu-messageformat-parser applies them:
 * - `{` and `}` (and `#` directly inside a plural or selectordinal) are syntax: quoted, from the
 *   first such character to the last one before the next whitespace, so "{name}" becomes
 *   "'{name}'" as a person would write it; apostrophes inside a quote are doubled;
 * - any other apostrophe is literal unless it precedes `'`, `{`, `}`, `<`, `>` or `#`, where it
 *   would start a quote or escape: there it is doubled. `next` is the character that follows the
 *   text in the message (the raw syntax after it, the `}` closing an option), or undefined at
 *   the end of the message.
 * An apostrophe that follows a quote is taken into it, so a closing quote is never followed by
 * an apostrophe (which the parser would read as an escaped apostrophe inside the quote).
 */
export function escapeIcuLiteral(text: string, context: { pound: boolean; next: string | undefined }): string {
  const isSyntax = (ch: string | undefined) => ch === '{' || ch === '}' || (context.pound && ch === '#');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (isSyntax(ch)) {
      let lastSyntax = i;
      let j = i;
      while (j < text.length && !/\s/u.test(text[j]!)) {
        if (isSyntax(text[j])) lastSyntax = j;
        j++;
      }
      let end = lastSyntax + 1;
      while (text[end] === "'") end++;
      out += `'${text.slice(i, end).replaceAll("'", "''")}'`;
      i = end;
    } else if (ch === "'") {
      const after = i + 1 < text.length ? text[i + 1] : context.next;
      out += after !== undefined && "'{}<>#".includes(after) ? "''" : "'";
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
