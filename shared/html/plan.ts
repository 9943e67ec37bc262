import type { DefaultTreeAdapterTypes } from 'parse5';
import { INLINE_CONTAINERS, INLINE_NEVER_TRANSLATED, INLINE_VOIDS, NEVER_TRANSLATED, isTranslatedAttribute, optsOut } from './elements.js';
import { childrenOf, isElement, parseHtml, type HtmlElement, type HtmlNode, type HtmlParent, type ParsedHtml } from './parse.js';

/**
 * What of an HTML text the model sees, with the source offsets needed to put its translation back:
 * text runs (the inline content of one block) and translated attribute values. Offsets are UTF-16
 * indices into the original string. Only pieces with a letter are listed: the rest is kept as it is.
 */
export interface HtmlPlan {
  runs: TextRun[];
  attributes: AttributeValue[];
  document: boolean;
}

/**
 * One translation unit: `source.slice(start, end)` is replaced by the rendered translation. Parts tile
 * the range in order; a tag or atomic part is copied from the source (a mask for the model), a text
 * part is translated.
 */
export interface TextRun {
  start: number;
  end: number;
  parts: RunPart[];
}

export type RunPart =
  /** Decoded text, runs of HTML whitespace collapsed to one space. */
  | { kind: 'text'; text: string }
  /** The start tag of an inline element; its end tag is the close part with the same `pair`. */
  | { kind: 'open'; start: number; end: number; pair: number }
  /** An end tag (empty when the parser implied it). */
  | { kind: 'close'; start: number; end: number; pair: number }
  /** Copied whole: a void element, a never-translated element or a comment inside a sentence. */
  | { kind: 'atomic'; start: number; end: number };

/** A translated attribute's value: `source.slice(start, end)` (between its quotes) is replaced. */
export interface AttributeValue {
  /** Decoded. */
  text: string;
  start: number;
  end: number;
  quote: '"' | "'" | '';
}

type TextNode = DefaultTreeAdapterTypes.TextNode;

const LETTER = /\p{L}/u;
const HTML_SPACE = /[ \t\n\f\r]+/g;
const LEADING_SPACE = /^[ \t\n\f\r]+/;
const TRAILING_SPACE = /[ \t\n\f\r]+$/;

/** A pending run: parts with their nodes' ranges (null where the parser made a node the source lacks). */
interface Pending {
  parts: Array<{ part: RunPart; start: number; end: number } | null>;
  texts: TextNode[];
}

/** The plan of `html`. The caller bounds nesting first (maxDepth): the walk recurses once per level. */
export function planHtml(html: string, parsed: ParsedHtml = parseHtml(html)): HtmlPlan {
  const { root, document } = parsed;
  const runs: TextRun[] = [];
  const attributes: AttributeValue[] = [];
  const blockInside = new Map<HtmlElement, boolean>();
  let pairs = 0;

  walkBlock(root);
  runs.sort((a, b) => a.start - b.start);
  attributes.sort((a, b) => a.start - b.start);
  return { runs, attributes, document };

  function walkBlock(parent: HtmlParent | HtmlElement): void {
    let pending: Pending = { parts: [], texts: [] };
    for (const child of childrenOf(parent)) {
      if (isInline(child)) addInline(child, pending);
      else {
        flush(pending);
        pending = { parts: [], texts: [] };
        if (isElement(child) && !NEVER_TRANSLATED.has(child.tagName) && !optsOut(child.attrs)) {
          addAttributes(child);
          walkBlock(child);
        }
      }
    }
    flush(pending);
  }

  function isInline(node: HtmlNode): boolean {
    if (node.nodeName === '#text' || node.nodeName === '#comment') return true;
    if (!isElement(node)) return false;
    const tag = node.tagName;
    if (INLINE_VOIDS.has(tag) || INLINE_NEVER_TRANSLATED.has(tag)) return true;
    return INLINE_CONTAINERS.has(tag) && !hasBlockInside(node);
  }

  function hasBlockInside(el: HtmlElement): boolean {
    let known = blockInside.get(el);
    if (known === undefined) {
      known = childrenOf(el).some((child) => isElement(child) && (!isInline(child) || (INLINE_CONTAINERS.has(child.tagName) && hasBlockInside(child))));
      blockInside.set(el, known);
    }
    return known;
  }

  function addInline(node: HtmlNode, pending: Pending): void {
    const location = node.sourceCodeLocation;
    if (node.nodeName === '#text') {
      const text = node as TextNode;
      pending.texts.push(text);
      pending.parts.push(location ? { part: { kind: 'text', text: text.value }, start: location.startOffset, end: location.endOffset } : null);
      return;
    }
    const atomic = () => pending.parts.push(location ? { part: { kind: 'atomic', start: location.startOffset, end: location.endOffset }, start: location.startOffset, end: location.endOffset } : null);
    if (!isElement(node)) return void atomic();
    const el = node;
    if (INLINE_NEVER_TRANSLATED.has(el.tagName) || optsOut(el.attrs)) return void atomic();
    addAttributes(el);
    if (INLINE_VOIDS.has(el.tagName)) return void atomic();
    const startTag = el.sourceCodeLocation?.startTag;
    const pair = pairs++;
    pending.parts.push(startTag ? { part: { kind: 'open', start: startTag.startOffset, end: startTag.endOffset, pair }, start: startTag.startOffset, end: startTag.endOffset } : null);
    for (const child of childrenOf(el)) addInline(child, pending);
    // An end tag the parser implied has no location: an empty close right after the content.
    const previous = pending.parts[pending.parts.length - 1];
    const endTag = el.sourceCodeLocation?.endTag;
    const at = endTag ?? (previous ? { startOffset: previous.end, endOffset: previous.end } : null);
    pending.parts.push(startTag && at ? { part: { kind: 'close', start: at.startOffset, end: at.endOffset, pair }, start: at.startOffset, end: at.endOffset } : null);
  }

  function addAttributes(el: HtmlElement): void {
    const locations = el.sourceCodeLocation?.attrs;
    if (!locations || optsOut(el.attrs)) return;
    for (const attr of el.attrs) {
      if (!isTranslatedAttribute(el.tagName, attr.name, el.attrs) || !LETTER.test(attr.value)) continue;
      const location = locations[attr.name];
      if (!location) continue;
      const value = attributeValueRange(html, location.startOffset, location.endOffset);
      if (value) attributes.push({ text: attr.value, ...value });
    }
  }

  function flush(pending: Pending): void {
    const parts = pending.parts;
    // Whitespace before and after the sentence stays outside the model, byte for byte.
    while (parts.length > 0 && isBlankText(parts[0]!)) parts.shift();
    while (parts.length > 0 && isBlankText(parts[parts.length - 1]!)) parts.pop();
    if (parts.length === 0) return;
    if (!parts.every((p): p is NonNullable<typeof p> => p !== null) || !contiguous(parts)) {
      // The parser rebuilt this content (misnested tags, foster parenting, ignored tags): translate
      // each text node of it on its own, where it is, without masks across its tags.
      for (const text of pending.texts) addLoneText(text);
      return;
    }
    const run = toRun(parts);
    if (run) runs.push(run);
  }

  function addLoneText(text: TextNode): void {
    const location = text.sourceCodeLocation;
    if (!location || !LETTER.test(text.value)) return;
    const run = toRun([{ part: { kind: 'text', text: text.value }, start: location.startOffset, end: location.endOffset }]);
    if (run) runs.push(run);
  }

  function toRun(parts: Array<{ part: RunPart; start: number; end: number }>): TextRun | null {
    let start = parts[0]!.start;
    let end = parts[parts.length - 1]!.end;
    const out = parts.map(({ part }): RunPart => {
      if (part.kind === 'text') return { kind: 'text', text: part.text.replace(HTML_SPACE, ' ') };
      return part;
    });
    const first = out[0]!;
    if (first.kind === 'text') {
      const lead = LEADING_SPACE.exec(html.slice(start, parts[0]!.end))?.[0].length ?? 0;
      start += lead;
      out[0] = { kind: 'text', text: first.text.replace(LEADING_SPACE, '') };
    }
    const last = out[out.length - 1]!;
    if (last.kind === 'text') {
      const trail = TRAILING_SPACE.exec(html.slice(parts[parts.length - 1]!.start, end))?.[0].length ?? 0;
      end -= trail;
      out[out.length - 1] = { kind: 'text', text: last.text.replace(TRAILING_SPACE, '') };
    }
    if (!out.some((p) => p.kind === 'text' && LETTER.test(p.text))) return null;
    return { start, end, parts: out };
  }
}

function isBlankText(entry: { part: RunPart } | null): boolean {
  return entry !== null && entry.part.kind === 'text' && entry.part.text.replace(HTML_SPACE, '') === '';
}

/** Every part starts where the one before ended: nothing of the source between them would be lost. */
function contiguous(parts: ReadonlyArray<{ start: number; end: number }>): boolean {
  for (let i = 1; i < parts.length; i++) if (parts[i]!.start !== parts[i - 1]!.end) return false;
  return true;
}

/** The value range of an attribute whose whole `name=value` is `html.slice(start, end)`; null without a value. */
export function attributeValueRange(html: string, start: number, end: number): Omit<AttributeValue, 'text'> | null {
  const raw = html.slice(start, end);
  const eq = raw.indexOf('=');
  if (eq < 0) return null;
  let i = eq + 1;
  while (i < raw.length && /[ \t\n\f\r]/.test(raw[i]!)) i++;
  const q = raw[i];
  if (q === '"' || q === "'") {
    const close = raw.endsWith(q) && raw.length - 1 > i ? raw.length - 1 : raw.length;
    return { start: start + i + 1, end: start + close, quote: q };
  }
  return { start: start + i, end, quote: '' };
}
