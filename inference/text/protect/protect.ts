import { MASK, maskToken } from './mask.js';
import { findSpans, spanRules, type Rule, type Span } from './spans.js';

/**
 * `options.placeholders`: `auto` protects every span kind (see spans.ts); `none` protects nothing.
 * (The request schema belongs in shared/contract, which cannot import from here: keep the two in step.)
 */
export type PlaceholderMode = 'auto' | 'none';

/** A text with its protected spans replaced by masks; `spans[i]` is behind mask `[i]`. */
export interface ProtectedText {
  masked: string;
  spans: Span[];
}

/**
 * Plain text (no ICU handling: see icu.ts) with every protected span replaced by its mask; `terms`
 * adds protected terms and glossary entries (text/terms), also in mode `none`.
 * `restore(masked, spans)` gives `text` back exactly (glossary spans: with their target terms).
 */
export function protect(text: string, mode: PlaceholderMode = 'auto', terms: readonly Rule[] = []): ProtectedText {
  if (mode === 'none' && terms.length === 0) return { masked: text, spans: [] };
  const spans = findSpans(text, spanRules(mode, terms));
  let masked = '';
  let at = 0;
  spans.forEach((span, i) => {
    masked += text.slice(at, span.start) + maskToken(i);
    at = span.end;
  });
  return { masked: masked + text.slice(at), spans };
}

/**
 * Puts the spans back behind their masks. Only for an output that passed checkMasks against its
 * masked source (every mask there exactly as often as in the source): this does not check counts.
 */
export function restore(output: string, spans: readonly Span[]): string {
  return replaceMasks(output, (index) => {
    const span = spans[index];
    return span && (span.output ?? span.text);
  });
}

/** Replaces each exact mask by `lookup(index)`; an index without a span is a caller's bug. */
export function replaceMasks(output: string, lookup: (index: number) => string | undefined): string {
  return output.replace(MASK, (token, digits: string) => {
    const text = lookup(Number(digits));
    if (text === undefined) throw new RangeError(`mask ${token} has no span: restore only outputs that passed checkMasks`);
    return text;
  });
}
