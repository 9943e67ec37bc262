import { graphemeBounds } from './graphemes.js';

/** A stretch of a line, led by the list marker (kept verbatim) that numbers it, if any. */
export interface ListItem {
  marker: string;
  text: string;
}

// "2) ", "(2) " or "2. " after whitespace or at the start, with the whitespace after it.
const MARKER = /(?<=^|\s)(\(?)(\d{1,3})([.)])(\s+)/gu;
const LEADING_NUMBER = /^(\(?)(\d{1,4})([.)])/u;

/**
 * The items of a one-line numbered list, "1) do this 2) do that" or "1. mix 2. bake": each item is
 * translated alone and its marker kept, as for a list written one item a line. Only a run of
 * consecutive numbers in one style counts (from the line's own list marker `lineBullet`, else
 * from 1), with at least two markers in all, so "see note 3) below" and "in 2020) we" stay text.
 * "N." items must start at the line's marker or the start of the text: mid-sentence, "1. " is
 * far more often a number ending a sentence. Semicolon lists ("apples; pears; plums") are one
 * sentence, cut at the semicolons only when too long (split-long.ts).
 */
export function listItems(text: string, lineBullet = ''): ListItem[] {
  const lead = LEADING_NUMBER.exec(lineBullet);
  let style = lead ? styleOf(lead[1]!, lead[3]!) : undefined;
  let expected = lead ? Number(lead[2]) + 1 : 1;
  const bounds = graphemeBounds(text);
  const chain: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(MARKER)) {
    if (Number(m[2]) !== expected) continue;
    const markerStyle = styleOf(m[1]!, m[3]!);
    if (!markerStyle) continue;
    if (style === undefined && (markerStyle !== '.' || m.index === 0)) style = markerStyle;
    if (markerStyle !== style) continue;
    const end = bounds.ceil(m.index + m[0].length);
    if (!bounds.isBoundary(m.index)) continue;
    chain.push({ start: m.index, end });
    expected += 1;
  }
  if (chain.length + (lead ? 1 : 0) < 2) return [{ marker: '', text }];
  const items: ListItem[] = [{ marker: '', text: text.slice(0, chain[0]!.start) }];
  chain.forEach(({ start, end }, i) => items.push({ marker: text.slice(start, end), text: text.slice(end, chain[i + 1]?.start ?? text.length) }));
  return items.filter((item) => item.marker || item.text);
}

/** "N)", "(N)" or "N." — "(N." is no marker. */
function styleOf(open: string, close: string): string | undefined {
  if (open === '(') return close === ')' ? '()' : undefined;
  return close;
}
