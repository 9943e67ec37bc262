import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { invalidDocument } from './errors.js';
import type { DocumentFormat } from './handler.js';
import { decodeUtf8, encodeUtf8 } from './text-codec.js';
import { UnitCollector, type Translated } from './units.js';

type Node = DefaultTreeAdapterMap['node'];

interface Span {
  start: number;
  end: number;
}

function childrenOf(node: Node): Node[] {
  return 'childNodes' in node ? node.childNodes : [];
}

/**
 * Source spans of the body's content, each at most `max` characters: consecutive nodes are grouped,
 * and a node longer than `max` is split into its children (its own tags stay as they are). A text node
 * longer than `max` is one span; the collector splits it at whitespace.
 */
function bodySpans(source: string, nodes: readonly Node[], max: number, out: Span[]): void {
  let group: Span | undefined;
  const flush = () => {
    if (group) out.push(group);
    group = undefined;
  };
  for (const node of nodes) {
    const location = node.sourceCodeLocation;
    if (!location) {
      // An element the parser implied (no source of its own): its children have locations.
      flush();
      bodySpans(source, childrenOf(node), max, out);
      continue;
    }
    const { startOffset: start, endOffset: end } = location;
    // Whitespace between elements stays where it is (parse5 may even merge it across </body>).
    if (node.nodeName === '#text' && 'value' in node && node.value.trim().length === 0) continue;
    if (end - start > max) {
      flush();
      const children = childrenOf(node);
      if (children.length > 0 && node.nodeName !== '#text') bodySpans(source, children, max, out);
      else out.push({ start, end });
    } else if (group && source.slice(group.end, start).trim().length === 0 && end - group.start <= max) {
      // Only siblings with nothing but whitespace between them in the source: the parser moves some nodes.
      group.end = end;
    } else {
      flush();
      group = { start, end };
    }
  }
  flush();
}

function findBody(node: Node): Node | undefined {
  if (node.nodeName === 'body') return node;
  for (const child of childrenOf(node)) {
    const body = findBody(child);
    if (body) return body;
  }
  return undefined;
}

/**
 * .html: the body's content, in pieces of at most one request's characters, each translated by the
 * container's HTML path (options.format 'html': block elements one by one, inline markup kept). parse5
 * only says where the pieces are; everything outside them (the head, the doctype, tags around a split
 * element) is copied as it is.
 */
export const htmlFormat: DocumentFormat = {
  extension: 'html',
  mediaType: 'text/html; charset=utf-8',
  extract(bytes, options) {
    const source = decodeUtf8(bytes, 'the file');
    const body = findBody(parse(source, { sourceCodeLocationInfo: true }));
    const spans: Span[] = [];
    if (body) bodySpans(source, childrenOf(body), options.maxUnitCharacters, spans);
    // Whitespace at a span's edges stays outside the model, as it is.
    for (const span of spans) {
      const slice = source.slice(span.start, span.end);
      span.end = span.start + slice.trimEnd().length;
      span.start += slice.length - slice.trimStart().length;
    }
    const collector = new UnitCollector(options.maxUnitCharacters);
    const reads: Array<{ span: Span; read: Translated<string> }> = spans.map((span) => ({ span, read: collector.addText(source.slice(span.start, span.end), 'html') }));
    if (collector.units.length === 0) throw invalidDocument('the document has no text to translate');
    return {
      units: collector.units,
      rebuild(translations) {
        let out = '';
        let at = 0;
        for (const { span, read } of reads) {
          out += source.slice(at, span.start) + read(translations);
          at = span.end;
        }
        return encodeUtf8(out + source.slice(at));
      },
    };
  },
};
