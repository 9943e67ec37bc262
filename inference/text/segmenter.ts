import { bulletPrefix, isTranslatable, splitTrailingAddress } from './classify.js';
import { listItems } from './enumeration.js';
import { graphemeBounds, leadingSpaceEnd, trailingSpaceStart } from './graphemes.js';
import { segmenterLocale } from './locale.js';
import { sentences } from './sentences.js';
import { splitLong } from './split-long.js';
import { estimateTokens, type CountTokens } from './tokens.js';

/** A piece of the original text: sent to the model, or kept verbatim. */
export type Piece = { kind: 'translate'; text: string } | { kind: 'keep'; text: string };

/**
 * How a text is cut. Invariant: the pieces' texts concatenate to the original exactly.
 * 'translate' pieces have no leading or trailing whitespace, no line break, a letter, fit
 * `maxTokens` and start and end at grapheme cluster boundaries (except a single cluster over
 * the limit, cut at code points); `sources` lists their texts in order (what to send to the model).
 */
export interface SegmentPlan {
  pieces: Piece[];
  sources: string[];
}

export interface SegmentOptions {
  /**
   * Source language (FLORES-200, ISO 639-1/3 or BCP-47); omit when unknown. It picks the word
   * boundaries used to cut over-long text of scripts without spaces; the sentence rules are the
   * same for every language (sentences.ts).
   */
  lang?: string | undefined;
  /** Model input limit per piece, in tokens of `countTokens`. Default 200 (also for values below 1). */
  maxTokens?: number | undefined;
  /** Default: a character-based estimate (see tokens.ts). */
  countTokens?: CountTokens | undefined;
}

/**
 * NLLB was trained on single sentences; past a couple of hundred tokens it starts dropping or
 * repeating content, and decoding cost grows with length. Longer sentences are cut at clauses.
 */
export const DEFAULT_MAX_TOKENS = 200;

// Lines are the unit of layout: every line break is kept exactly where it was, so lists,
// headings, addresses and poems keep their shape (a hard-wrapped sentence is translated in parts).
const LINE = /(\r\n|[\n\r\u0085\u2028\u2029])/u;
const WHITESPACE = /\s/u;

class PieceList {
  readonly pieces: Piece[] = [];
  readonly sources: string[] = [];

  keep(text: string): void {
    if (!text) return;
    const last = this.pieces[this.pieces.length - 1];
    if (last?.kind === 'keep') last.text += text;
    else this.pieces.push({ kind: 'keep', text });
  }

  translate(text: string): void {
    if (!text) return;
    this.pieces.push({ kind: 'translate', text });
    this.sources.push(text);
  }
}

/** Splits `text` into pieces to translate and pieces to keep; see SegmentPlan. */
export function segmentText(text: string, options: SegmentOptions = {}): SegmentPlan {
  const locale = segmenterLocale(options.lang);
  const limit = options.maxTokens;
  const maxTokens = limit !== undefined && limit >= 1 ? Math.floor(limit) : DEFAULT_MAX_TOKENS;
  const count = options.countTokens ?? estimateTokens;
  const out = new PieceList();

  // Splitting with a capture group yields line, break, line, break, …, line.
  text.split(LINE).forEach((part, i) => {
    if (i % 2 === 1) out.keep(part);
    else addLine(part);
  });
  return { pieces: out.pieces, sources: out.sources };

  function addLine(line: string): void {
    const bounds = graphemeBounds(line);
    const indent = leadingSpaceEnd(line, bounds);
    const bulletEnd = bounds.ceil(indent + bulletPrefix(line.slice(indent)).length);
    out.keep(line.slice(0, bulletEnd));
    const bullet = line.slice(indent, bulletEnd);
    // Tabs separate cells of pasted tables; the cells are translated apart. A gap is the tab with
    // the whitespace around it, ending where its cluster does (a stray mark after it stays kept).
    let cellStart = bulletEnd;
    for (let tab = line.indexOf('\t', cellStart); tab !== -1; tab = line.indexOf('\t', cellStart)) {
      let gapStart = tab;
      while (gapStart > cellStart && WHITESPACE.test(line[gapStart - 1]!)) gapStart -= 1;
      let gapEnd = tab + 1;
      while (gapEnd < line.length && WHITESPACE.test(line[gapEnd]!)) gapEnd += 1;
      gapStart = Math.min(bounds.ceil(gapStart), tab);
      gapEnd = bounds.ceil(gapEnd);
      addCell(line.slice(cellStart, gapStart), cellStart === bulletEnd ? bullet : '');
      out.keep(line.slice(gapStart, gapEnd));
      cellStart = gapEnd;
    }
    addCell(line.slice(cellStart), cellStart === bulletEnd ? bullet : '');
  }

  function addCell(cell: string, bullet: string): void {
    for (const item of listItems(cell, bullet)) {
      out.keep(item.marker);
      for (const sentence of sentences(item.text)) addSentence(sentence);
    }
  }

  function addSentence(sentence: string): void {
    const bounds = graphemeBounds(sentence);
    const start = leadingSpaceEnd(sentence, bounds);
    const end = trailingSpaceStart(sentence, start, bounds);
    const core = sentence.slice(start, end);
    out.keep(sentence.slice(0, start));
    const address = splitTrailingAddress(core);
    if (address && bounds.isBoundary(start + address.head.length) && bounds.isBoundary(start + address.head.length + address.gap.length)) {
      addCore(address.head);
      out.keep(address.gap + address.address);
    } else {
      addCore(core);
    }
    out.keep(sentence.slice(end));
  }

  function addCore(core: string): void {
    if (!isTranslatable(core)) return out.keep(core);
    for (const chunk of splitLong(core, maxTokens, count, locale)) {
      // Cut points fall in or next to whitespace: trim it off into the layout again.
      const bounds = graphemeBounds(chunk);
      const start = leadingSpaceEnd(chunk, bounds);
      const end = trailingSpaceStart(chunk, start, bounds);
      const body = chunk.slice(start, end);
      out.keep(chunk.slice(0, start));
      if (isTranslatable(body)) out.translate(body);
      else out.keep(body);
      out.keep(chunk.slice(end));
    }
  }
}

/**
 * The translated text: kept pieces verbatim, each 'translate' piece replaced by its translation
 * (in `plan.sources` order). Translations are trimmed and their line breaks turned into spaces,
 * so the model cannot change the layout; an identity translation gives the original back exactly.
 */
export function reassemble(plan: SegmentPlan, translations: readonly string[]): string {
  if (translations.length !== plan.sources.length) {
    throw new RangeError(`expected ${plan.sources.length} translations, got ${translations.length}`);
  }
  let next = 0;
  let result = '';
  for (const piece of plan.pieces) {
    if (piece.kind === 'keep') result += piece.text;
    else result += normalise(translations[next++]!);
  }
  return result;
}

function normalise(translation: string): string {
  return translation.replace(/\s*(?:\r\n|[\n\r\u0085\u2028\u2029])\s*/gu, ' ').trim();
}
