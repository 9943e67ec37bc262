import { segmenterFor } from './locale.js';

/**
 * Where a text may be cut without splitting a grapheme cluster (what a reader sees as one
 * character: "é" written e + U+0301, 👩‍👩‍👧, 🇰🇪, क्षि, a space carrying a stray combining mark).
 * Cut points are proposed by cheap rules and checked here, so only the few that touch non-Latin
 * text pay for an ICU lookup; nothing ever iterates a whole text's graphemes.
 */
export class GraphemeBounds {
  readonly #text: string;
  #segments: Intl.Segments | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  isBoundary(index: number): boolean {
    const text = this.#text;
    if (index <= 0 || index >= text.length) return true;
    const before = text.charCodeAt(index - 1);
    const at = text.charCodeAt(index);
    if (before === 0x0d && at === 0x0a) return false;
    // Below U+0300 nothing joins a cluster (no combining marks, joiners, prepended or
    // pictographic-sequence characters); control characters never join (GB4, GB5).
    if ((before < 0x300 && at < 0x300) || isControl(before) || isControl(at)) return true;
    // A space is in no cluster rule but two: a mark or joiner may extend it (GB9, GB9a), and a
    // prepended sign may lead it (GB9b; the only basic-plane ones are format characters and U+0D4E).
    if (isSpace(before) && !isSurrogate(at)) return !joinsPrevious(at);
    if (isSpace(at) && !isSurrogate(before)) return !mayPrepend(before);
    return this.#containing(index).index === index;
  }

  /** The nearest boundary at or before `index`. */
  floor(index: number): number {
    return this.isBoundary(index) ? clamp(index, this.#text.length) : this.#containing(index).index;
  }

  /** The nearest boundary at or after `index`. */
  ceil(index: number): number {
    if (this.isBoundary(index)) return clamp(index, this.#text.length);
    const segment = this.#containing(index);
    return segment.index + segment.segment.length;
  }

  #containing(index: number): Intl.SegmentData {
    this.#segments ??= segmenterFor(undefined, 'grapheme').segment(this.#text);
    return this.#segments.containing(index)!;
  }
}

export function graphemeBounds(text: string): GraphemeBounds {
  return new GraphemeBounds(text);
}

const clamp = (index: number, length: number) => Math.min(Math.max(index, 0), length);
const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029;
const SPACE_SEPARATOR = /\p{Zs}/u;
const isSpace = (code: number) => code === 0x20 || (code >= 0xa0 && code <= 0x3000 && SPACE_SEPARATOR.test(String.fromCharCode(code)));

// A superset of what extends a cluster (Extend, ZWJ and SpacingMark of UAX #29).
const EXTENDER = /[\p{Grapheme_Extend}\p{Mc}\p{Emoji_Modifier}\u200d\u0e33\u0eb3]/u;
const FORMAT = /\p{Cf}/u;
// Basic-plane answers, remembered (0 unknown, 1 yes, 2 no): cut points are checked on hot paths.
const extenders = new Uint8Array(0x10000);
const prependers = new Uint8Array(0x10000);

function joinsPrevious(code: number): boolean {
  if (extenders[code] === 0) extenders[code] = EXTENDER.test(String.fromCharCode(code)) ? 1 : 2;
  return extenders[code] === 1;
}

function mayPrepend(code: number): boolean {
  if (prependers[code] === 0) prependers[code] = code === 0x0d4e || FORMAT.test(String.fromCharCode(code)) ? 1 : 2;
  return prependers[code] === 1;
}

const WHITESPACE = /\s/u;

/** End of the leading whitespace of `text`, widened to a grapheme boundary (" \u0301" goes with the space). */
export function leadingSpaceEnd(text: string, bounds: GraphemeBounds = graphemeBounds(text)): number {
  let at = 0;
  for (;;) {
    while (at < text.length && WHITESPACE.test(text[at]!)) at += 1;
    const boundary = bounds.ceil(at);
    if (boundary === at) return at;
    at = boundary;
  }
}

/**
 * Start of the trailing whitespace of `text` (at or after `from`), narrowed to a grapheme boundary:
 * a space that belongs to the cluster before it stays kept with the whitespace.
 */
export function trailingSpaceStart(text: string, from = 0, bounds: GraphemeBounds = graphemeBounds(text)): number {
  let at = text.length;
  for (;;) {
    while (at > from && WHITESPACE.test(text[at - 1]!)) at -= 1;
    const boundary = Math.max(from, bounds.floor(at));
    if (boundary === at) return at;
    at = boundary;
  }
}

/**
 * `text` without the whitespace around it, cut at grapheme boundaries: what the model is sent
 * of a piece. All JavaScript whitespace characters are basic-plane, so testing code units is exact.
 */
export function trimmed(text: string): string {
  const bounds = graphemeBounds(text);
  const start = leadingSpaceEnd(text, bounds);
  return text.slice(start, trailingSpaceStart(text, start, bounds));
}
