import { invalidDocument } from './errors.js';
import type { XmlElement, XmlTextRules } from './xml-text.js';
import { entryText, requireEntries, xmlContainerFormat } from './xml-container.js';

const XHTML = 'http://www.w3.org/1999/xhtml';
const MIMETYPE = 'application/epub+zip';

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'caption', 'figcaption', 'blockquote', 'div', 'title', 'summary', 'legend', 'label', 'option', 'button']);
const KEPT = new Set(['script', 'style', 'code', 'pre', 'kbd', 'samp', 'var', 'svg', 'math']);

const isXhtml = (element: XmlElement, names: Set<string>) => element.uri === XHTML && names.has(element.local);

/**
 * XHTML chapters, read as the XML they are (so the result stays well-formed XHTML, byte-identical outside
 * the translated text): block elements are units, inline elements (em, strong, a, span…) split their
 * text into pieces kept through the run marks. Code, scripts, styles and anything marked
 * translate="no" or class "notranslate" are not translated.
 */
const XHTML_TEXT: XmlTextRules = {
  isParagraph: (element) => isXhtml(element, BLOCKS),
  isSkipped: (element) =>
    isXhtml(element, KEPT) || element.attribute('translate') === 'no' || /(?:^|\s)notranslate(?:\s|$)/.test(element.attribute('class') ?? ''),
  isSeparator: (element) => element.uri === XHTML && element.local === 'br',
};

const CHAPTER = /\.(?:xhtml|html|htm)$/i;

/** .epub: every XHTML document of the book (chapters, navigation); the package, styles and images are copied. */
export const epubFormat = xmlContainerFormat({
  extension: 'epub',
  mediaType: MIMETYPE,
  check(entries) {
    requireEntries(entries, 'an EPUB book', 'mimetype', 'META-INF/container.xml');
    if (entryText(entries, 'mimetype')?.trim() !== MIMETYPE) throw invalidDocument(`the archive is not an EPUB (its mimetype is not ${MIMETYPE})`);
  },
  rulesFor: (name) => (CHAPTER.test(name) ? XHTML_TEXT : undefined),
});
