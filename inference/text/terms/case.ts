const LETTERS = /\p{L}/gu;

/**
 * A glossary's target term in the case of the source occurrence it replaces, where that says
 * something: an occurrence in capitals ("SIGN IN", two letters or more) gives the target in
 * capitals; a capitalised occurrence of a term written lower-case in the glossary ("Sign in" at a
 * sentence start for "sign in") gives the target capitalised. Otherwise the target as written.
 */
export function followCase(occurrence: string, sourceTerm: string, target: string): string {
  const letters = occurrence.match(LETTERS) ?? [];
  const upper = (ch: string) => ch !== ch.toLowerCase() && ch === ch.toUpperCase();
  if (letters.length >= 2 && letters.every(upper) && !(sourceTerm.match(LETTERS) ?? []).every(upper)) return target.toUpperCase();
  const first = letters[0];
  const written = (sourceTerm.match(LETTERS) ?? [])[0];
  if (first !== undefined && written !== undefined && upper(first) && !upper(written)) return capitalise(target);
  return target;
}

function capitalise(text: string): string {
  const match = /\p{L}/u.exec(text);
  if (!match) return text;
  return text.slice(0, match.index) + match[0].toUpperCase() + text.slice(match.index + match[0].length);
}
