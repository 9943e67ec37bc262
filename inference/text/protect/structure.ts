import { maskIndex, masksIn } from './mask.js';

/**
 * What a tag mask stands for (HTML, text/html): an inline element's start or end tag (the two share
 * `pair`), or a whole element copied as it is (a void element, code, a comment). Masks without a role
 * (placeholders, terms) are text and may go anywhere.
 */
export type MaskRole = { kind: 'open' | 'close'; pair: number } | { kind: 'atomic' };

/** The roles of a unit's tag masks, by mask index. */
export type MaskRoles = ReadonlyMap<number, MaskRole>;

/**
 * Whether `output` keeps the element nesting of `maskedSource` (a sentence of a unit with `roles`):
 * every start tag before its end tag, pairs nested, not crossed, and every tag mask inside the same
 * element as in the source. Word order may change; which element a tag is a child of may not. A
 * sentence may hold one tag of a pair whose other tag is in another sentence: an unmatched start tag
 * encloses what follows it, an unmatched end tag closes an element opened before the sentence.
 * Counts are checkMasks' job: call this on outputs that have each mask as often as the source.
 */
export function keepsNesting(maskedSource: string, output: string, roles: MaskRoles): boolean {
  const expected = parentsOf(tagMasks(maskedSource, roles), roles);
  const actual = parentsOf(tagMasks(output, roles), roles);
  if (!expected || !actual || expected.size !== actual.size) return false;
  for (const [mask, parent] of expected) if (actual.get(mask) !== parent) return false;
  return true;
}

function tagMasks(text: string, roles: MaskRoles): number[] {
  const out: number[] = [];
  for (const token of masksIn(text)) {
    const index = maskIndex(token)!;
    if (roles.has(index)) out.push(index);
  }
  return out;
}

/** The element each tag mask sits in (a pair's label, or the context the sentence starts in); null when misnested. */
function parentsOf(sequence: readonly number[], roles: MaskRoles): Map<number, string> | null {
  const opensHere = new Set<number>();
  for (const index of sequence) {
    const role = roles.get(index)!;
    if (role.kind === 'open') opensHere.add(role.pair);
  }
  // Labels: `open:<pair>` for an element opened in this sentence, `context…` for where the sentence
  // started (after an unmatched end tag: the element that enclosed that one).
  const stack: string[] = ['context'];
  const parents = new Map<number, string>();
  for (const index of sequence) {
    const role = roles.get(index)!;
    const top = stack[stack.length - 1]!;
    parents.set(index, top);
    if (role.kind === 'open') stack.push(`open:${role.pair}`);
    else if (role.kind === 'close') {
      if (top === `open:${role.pair}`) stack.pop();
      else if (!opensHere.has(role.pair) && top.startsWith('context')) stack[stack.length - 1] = `context/${role.pair}`;
      else return null;
    }
  }
  return parents;
}
