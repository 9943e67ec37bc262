import type { XmlElement, XmlTextRules } from './xml-text.js';
import { requireEntries, xmlContainerFormat } from './xml-container.js';

// Transitional and Strict (ISO/IEC 29500) namespaces of WordprocessingML and DrawingML.
const WORD = new Set(['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main']);
const DRAWING = new Set(['http://schemas.openxmlformats.org/drawingml/2006/main', 'http://purl.oclc.org/ooxml/drawingml/main']);

const isWord = (element: XmlElement, ...names: string[]) => WORD.has(element.uri) && names.includes(element.local);
const isDrawing = (element: XmlElement, ...names: string[]) => DRAWING.has(element.uri) && names.includes(element.local);

/**
 * OOXML text: a paragraph (w:p in Word, a:p in DrawingML: slides, shapes, text boxes) is one unit;
 * only the character data of its text elements (w:t, a:t) is text, each one a piece of the run that
 * holds it, so the run's formatting (w:rPr / a:rPr) stays on its words. Field codes (w:instrText),
 * deleted text (w:delText) and everything else is not text and is copied as it is.
 */
const OOXML_TEXT: XmlTextRules = {
  isParagraph: (element) => isWord(element, 'p') || isDrawing(element, 'p'),
  isTextContainer: (element) => isWord(element, 't') || isDrawing(element, 't'),
  isSkipped: () => false,
  isSeparator: (element) => isWord(element, 'tab', 'br', 'cr') || isDrawing(element, 'br'),
};

const DOCX_PARTS = /^word\/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml$/;
const PPTX_PARTS = /^ppt\/(?:slides\/slide\d+|notesSlides\/notesSlide\d+)\.xml$/;

/** .docx: the body, headers, footers, footnotes and endnotes. */
export const docxFormat = xmlContainerFormat({
  extension: 'docx',
  mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  check: (entries) => requireEntries(entries, 'a Word (docx) document', '[Content_Types].xml', 'word/document.xml'),
  rulesFor: (name) => (DOCX_PARTS.test(name) ? OOXML_TEXT : undefined),
});

/** .pptx: every slide and its speaker notes. */
export const pptxFormat = xmlContainerFormat({
  extension: 'pptx',
  mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  check: (entries) => requireEntries(entries, 'a PowerPoint (pptx) presentation', '[Content_Types].xml', 'ppt/presentation.xml'),
  rulesFor: (name) => (PPTX_PARTS.test(name) ? OOXML_TEXT : undefined),
});
