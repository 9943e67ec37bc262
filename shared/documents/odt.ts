import { invalidDocument } from './errors.js';
import type { XmlElement, XmlTextRules } from './xml-text.js';
import { entryText, requireEntries, xmlContainerFormat } from './xml-container.js';

const TEXT = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const MIMETYPE = 'application/vnd.oasis.opendocument.text';

const isText = (element: XmlElement, ...names: string[]) => element.uri === TEXT && names.includes(element.local);

/**
 * ODF text: text:p and text:h are units; all their character data is text, pieces split by inline
 * elements (text:span, text:a…), whose formatting is kept through the run marks. text:s, text:tab and
 * text:line-break separate words. A paragraph inside a note or an annotation is a unit of its own.
 */
const ODF_TEXT: XmlTextRules = {
  isParagraph: (element) => isText(element, 'p', 'h'),
  isSkipped: (element) => isText(element, 'note-citation', 'tracked-changes'),
  isSeparator: (element) => isText(element, 's', 'tab', 'line-break'),
};

/** .odt: content.xml (the body) and styles.xml (headers and footers). */
export const odtFormat = xmlContainerFormat({
  extension: 'odt',
  mediaType: MIMETYPE,
  check(entries) {
    requireEntries(entries, 'an OpenDocument text (odt) document', 'mimetype', 'content.xml');
    if (entryText(entries, 'mimetype')?.trim() !== MIMETYPE) throw invalidDocument(`the archive is not an OpenDocument text document (its mimetype is not ${MIMETYPE})`);
  },
  rulesFor: (name) => (name === 'content.xml' || name === 'styles.xml' ? ODF_TEXT : undefined),
});
