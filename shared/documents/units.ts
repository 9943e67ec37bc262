import { characterCount } from '../contract/common.js';
import { isBlankText } from '../contract/validate.js';

/** One text for the model: plain text, or (for .html documents) an HTML fragment. */
export interface DocumentUnit {
  text: string;
  format: 'text' | 'html';
  /** What the model reads of a tagged paragraph (its words, not the run marks), when it differs from `text`. */
  modelText?: string;
}

/** A unit's translation, read once every unit is translated (in `units` order). */
export type Translated<T> = (translations: readonly string[]) => T;

/**
 * The numbered tags a paragraph's pieces travel in (`<0>Hello </0><1>world</1>`): the container's
 * placeholder masking protects exactly this form (i18next/React numbered tags, inference/text/protect/
 * spans.ts) and restores it byte-identical, falling back piecewise where the model breaks a mask, so the
 * run boundaries come back however the model reorders the words.
 */
const RUN_TAG = /<(\/?)(0|[1-9][0-9]*)>/g;
const RUN_TAG_LIKE = /<\/?[0-9]+\s*\/?>/;

/** `text` with the leading and trailing whitespace of `original` (the model trims; the layout should not change). */
export function withEdgesOf(original: string, text: string): string {
  const lead = original.slice(0, original.length - original.trimStart().length);
  const trail = original.slice(original.trimEnd().length);
  return lead + text.trim() + trail;
}

/**
 * `text` cut into pieces of at most `max` characters (code points), at whitespace where there is any
 * (else at a code point); joining them gives `text` back.
 */
export function splitLongText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (characterCount(rest) > max) {
    const points = Array.from(rest);
    const head = points.slice(0, max).join('');
    const space = head.search(/\s\S*$/u);
    const cut = space > 0 ? space + 1 : head.length;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  chunks.push(rest);
  return chunks;
}

/**
 * The translation of a tagged unit back into its pieces. Text inside `<i>…</i>` is piece i's; text
 * outside every tag belongs to the piece opened last (the first before any), except whitespace, which
 * is the separator this encoding put between pieces. A piece whose tags the model lost gets no text
 * (its words went to its neighbours), so nothing translated is ever lost and nothing is duplicated.
 */
export function decodeRuns(output: string, count: number): string[] {
  const pieces = Array.from({ length: count }, () => '');
  let current = -1;
  let last = 0;
  let at = 0;
  const take = (text: string) => {
    if (text.length === 0) return;
    if (current >= 0) pieces[current] += text;
    else if (text.trim().length > 0) pieces[last] += text;
  };
  for (const match of output.matchAll(RUN_TAG)) {
    const index = Number(match[2]);
    take(output.slice(at, match.index));
    at = match.index + match[0].length;
    if (index >= count) {
      take(match[0]);
      continue;
    }
    if (match[1] === '/') current = -1;
    else current = last = index;
  }
  take(output.slice(at));
  return pieces;
}

/** Collects a document's units; each add returns how to read its translation back. */
export class UnitCollector {
  readonly units: DocumentUnit[] = [];

  constructor(private readonly maxUnitCharacters: number) {}

  /** A text (split when longer than one request may be); blank text is kept as it is and never sent. */
  addText(text: string, format: DocumentUnit['format'] = 'text'): Translated<string> {
    if (isBlankText(text)) return () => text;
    // Leading and trailing whitespace stays outside the model (and the cache key), exactly as it is.
    const core = text.trim();
    const chunks = splitLongText(core, this.maxUnitCharacters);
    const first = this.units.length;
    for (const chunk of chunks) this.units.push({ text: chunk.trim(), format });
    return (translations) =>
      withEdgesOf(text, chunks.map((chunk, k) => (isBlankText(chunk) ? chunk : withEdgesOf(chunk, translations[first + k]!))).join(''));
  }

  /**
   * A paragraph of pieces (runs of one formatting each) as one unit, the piece boundaries as numbered
   * tags, so it is translated as one sentence and each piece keeps its formatting. When the text itself
   * has such tags, or the tagged paragraph is longer than one request may be, each piece is a unit of
   * its own instead (correct, if less fluent).
   */
  addParagraph(pieces: ReadonlyArray<{ text: string; separatedBefore: boolean }>): Translated<string[]> {
    if (pieces.length === 1) {
      const read = this.addText(pieces[0]!.text);
      return (translations) => [read(translations)];
    }
    const tagged = pieces.map((piece, i) => `${i > 0 && piece.separatedBefore ? ' ' : ''}<${i}>${piece.text}</${i}>`).join('');
    if (pieces.some((piece) => RUN_TAG_LIKE.test(piece.text)) || characterCount(tagged) > this.maxUnitCharacters) {
      const reads = pieces.map((piece) => this.addText(piece.text));
      return (translations) => reads.map((read) => read(translations));
    }
    const index = this.units.length;
    this.units.push({ text: tagged, format: 'text', modelText: pieces.map((piece) => piece.text).join(' ') });
    return (translations) => {
      const decoded = decodeRuns(translations[index]!, pieces.length);
      return pieces.map((piece, i) => (decoded[i]!.trim().length === 0 ? '' : withEdgesOf(piece.text, decoded[i]!)));
    };
  }
}
