import { segmenterFor } from './locale.js';
import type { CountTokens } from './tokens.js';

/**
 * Cuts a text that is over the model's input limit into consecutive pieces of at most
 * `maxTokens`, concatenating back to the original exactly. Boundaries in order of preference:
 * clauses, whitespace, dictionary words (scripts without spaces), grapheme clusters, code points.
 * The finest level used is the coarsest that fits, so a clause is only cut inside when it must be.
 */
export function splitLong(text: string, maxTokens: number, countTokens: CountTokens, locale?: string): string[] {
  return split(text, 0, Math.max(1, maxTokens), countTokens, locale);
}

// After Latin-style punctuation only when whitespace follows ("1,000", "a:b" and "e.g." stay
// whole); after CJK, Arabic and Ethiopic punctuation and the em dash always (no spaces there).
const CLAUSE = /[,;:.!?–)\]»”]+\s+|[—、，；：。！？،؛؟፣፤፥፦።፧…]+\s*/gu;
const SPACES = /\s+/gu;

type Cutter = (text: string, locale: string | undefined) => string[];

const LEVELS: Cutter[] = [
  (text) => cutAfter(text, CLAUSE),
  (text) => cutAfter(text, SPACES),
  (text, locale) => Array.from(segmenterFor(locale, 'word').segment(text), (s) => s.segment),
  (text, locale) => Array.from(segmenterFor(locale, 'grapheme').segment(text), (s) => s.segment),
  (text) => Array.from(text),
];

function cutAfter(text: string, boundary: RegExp): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    const end = m.index + m[0].length;
    if (end > start && end < text.length) {
      parts.push(text.slice(start, end));
      start = end;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function split(text: string, level: number, max: number, count: CountTokens, locale: string | undefined): string[] {
  if (count(text) <= max) return [text];
  const cutter = LEVELS[level];
  // Past code points nothing is left to cut: a single code point over the limit goes alone.
  if (!cutter) return [text];
  const parts = cutter(text, locale);
  if (parts.length <= 1) return split(text, level + 1, max, count, locale);
  return pack(text, parts, level, max, count, locale);
}

/**
 * Greedy packing: consecutive parts share a piece while they fit; a part too big alone is cut
 * finer. The end of each piece is found by galloping then binary search, so a 5,000-character
 * line costs O(n log n) characters counted rather than O(n²). Every emitted piece was counted,
 * so the bound holds even for a counter that is not monotonic (packing is then just less tight).
 */
function pack(text: string, parts: string[], level: number, max: number, count: CountTokens, locale: string | undefined): string[] {
  const offsets = [0];
  for (const part of parts) offsets.push(offsets[offsets.length - 1]! + part.length);
  const fits = (from: number, to: number) => count(text.slice(offsets[from], offsets[to])) <= max;
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    if (!fits(i, i + 1)) {
      out.push(...split(parts[i]!, level + 1, max, count, locale));
      i += 1;
      continue;
    }
    let lo = i + 1; // parts[i, lo) fit
    let hi = parts.length + 1; // parts[i, hi) do not (or hi is past the end)
    for (let step = 1; lo < parts.length; step *= 2) {
      const probe = Math.min(parts.length, lo + step);
      if (fits(i, probe)) lo = probe;
      else {
        hi = probe;
        break;
      }
    }
    while (hi - lo > 1 && lo < parts.length) {
      const mid = (lo + hi) >>> 1;
      if (mid > parts.length) break;
      if (fits(i, mid)) lo = mid;
      else hi = mid;
    }
    out.push(text.slice(offsets[i], offsets[lo]));
    i = lo;
  }
  return out;
}
