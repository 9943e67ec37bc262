import { SaxesParser, type SaxesTagNS } from 'saxes';
import { invalidDocument } from './errors.js';

/** An element as the rules see it: namespace URI, local name, and its attributes by qualified name. */
export interface XmlElement {
  uri: string;
  local: string;
  attribute(qname: string): string | undefined;
}

/** What a format's translatable text is, element by element. */
export interface XmlTextRules {
  /** An element whose text is one unit (w:p, a:p, text:p, <p>…); one nested in another is a unit of its own. */
  isParagraph(element: XmlElement): boolean;
  /** When given, only text inside such an element counts (OOXML's w:t, a:t); else all text of the paragraph. */
  isTextContainer?(element: XmlElement): boolean;
  /** Nothing inside is translated (script, code, translate="no"…). */
  isSkipped(element: XmlElement): boolean;
  /** An element that separates words (a tab, a line break, ODF's <text:s/>): the pieces around it are apart. */
  isSeparator(element: XmlElement): boolean;
}

/** A run of character data inside a paragraph: `source.slice(start, end)` is its raw XML, `text` its decoded value. */
export interface XmlPiece {
  start: number;
  end: number;
  text: string;
  /** Whether a separator (or a whitespace-only run) stands between this piece and the one before it. */
  separatedBefore: boolean;
}

export interface XmlParagraph {
  pieces: XmlPiece[];
}

/**
 * The paragraphs of an XML part, each with its pieces of character data, with source positions from a
 * strict parser (saxes, namespaces checked): malformed XML is INVALID_DOCUMENT. Whitespace-only pieces
 * are not translated (they stay where they are) but separate their neighbours. Everything else of the
 * part (markup, attributes, comments, text outside paragraphs) is never touched by rebuildXml.
 */
export function xmlParagraphs(source: string, rules: XmlTextRules, partName: string): XmlParagraph[] {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const done: XmlParagraph[] = [];
  const open: Array<{ paragraph: XmlParagraph; separated: boolean }> = [];
  const frames: Array<{ paragraph: boolean; container: boolean; skipped: boolean }> = [];
  let containerDepth = 0;
  let skipDepth = 0;
  let markupEnd = 0;

  const finish = (paragraph: XmlParagraph) => {
    if (paragraph.pieces.length > 0) done.push(paragraph);
  };
  const fail = (message: string): never => {
    throw invalidDocument(`${partName} is not well-formed XML: ${message}`);
  };
  const afterMarkup = () => {
    const close = source.indexOf('>', Math.max(0, parser.position - 1));
    markupEnd = close < 0 ? source.length : close + 1;
  };

  parser.on('error', (error) => fail(error.message));
  parser.on('opentag', (tag: SaxesTagNS) => {
    markupEnd = parser.position;
    const element = asElement(tag);
    const frame = { paragraph: rules.isParagraph(element), container: rules.isTextContainer?.(element) ?? false, skipped: rules.isSkipped(element) };
    frames.push(frame);
    if (frame.container) containerDepth++;
    if (frame.skipped) skipDepth++;
    const current = open.at(-1);
    if (frame.paragraph) {
      if (current) {
        // The outer paragraph's text after the nested one is a unit of its own.
        finish(current.paragraph);
        current.paragraph = { pieces: [] };
        current.separated = false;
      }
      open.push({ paragraph: { pieces: [] }, separated: false });
    } else if (current && rules.isSeparator(element)) {
      current.separated = true;
    }
  });
  parser.on('closetag', () => {
    markupEnd = parser.position;
    const frame = frames.pop();
    if (frame?.container) containerDepth--;
    if (frame?.skipped) skipDepth--;
    if (frame?.paragraph) finish(open.pop()!.paragraph);
  });
  parser.on('text', (text) => {
    const current = open.at(-1);
    if (!current || skipDepth > 0 || (rules.isTextContainer && containerDepth === 0)) return;
    const start = markupEnd;
    const end = parser.position - 1;
    // Character data inside an element always ends where the next markup starts.
    if (source[end] !== '<' || source.slice(start, end).includes('<')) fail('unexpected text position');
    if (text.trim().length === 0) {
      current.separated = true;
      return;
    }
    current.paragraph.pieces.push({ start, end, text, separatedBefore: current.separated });
    current.separated = false;
  });
  for (const event of ['comment', 'cdata', 'processinginstruction', 'doctype', 'xmldecl'] as const) parser.on(event, afterMarkup);
  parser.write(source).close();
  return done;
}

function asElement(tag: SaxesTagNS): XmlElement {
  return {
    uri: tag.uri,
    local: tag.local,
    attribute: (qname) => tag.attributes[qname]?.value,
  };
}

/** XML character data for `text` (what needs escaping in element content). */
export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The part with each replaced piece's raw XML swapped for its new text, escaped; a piece whose text did
 * not change keeps its raw bytes (entities and all), and so does everything between pieces.
 */
export function rebuildXml(source: string, replacements: ReadonlyArray<{ piece: XmlPiece; text: string }>): string {
  const sorted = [...replacements].sort((a, b) => a.piece.start - b.piece.start);
  let out = '';
  let at = 0;
  for (const { piece, text } of sorted) {
    out += source.slice(at, piece.start);
    out += text === piece.text ? source.slice(piece.start, piece.end) : escapeXmlText(text);
    at = piece.end;
  }
  return out + source.slice(at);
}
