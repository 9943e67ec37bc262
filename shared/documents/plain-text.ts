import { invalidDocument } from './errors.js';
import type { DocumentFormat } from './handler.js';
import { decodeUtf8, encodeUtf8 } from './text-codec.js';
import { UnitCollector } from './units.js';

/** A blank line (with whatever whitespace it has) ends a paragraph. */
const PARAGRAPH_BREAK = /(\r?\n[^\S\r\n]*(?:\r?\n\s*)+)/;

/**
 * .txt: UTF-8 text, translated paragraph by paragraph (blocks between blank lines; the container keeps
 * the line breaks inside one). The breaks between paragraphs, and each paragraph's leading and trailing
 * whitespace, are kept exactly.
 */
export const plainTextFormat: DocumentFormat = {
  extension: 'txt',
  mediaType: 'text/plain; charset=utf-8',
  extract(bytes, options) {
    const text = decodeUtf8(bytes, 'the file');
    const parts = text.split(PARAGRAPH_BREAK);
    const collector = new UnitCollector(options.maxUnitCharacters);
    // split() with a capture group: even indices are paragraphs, odd ones the breaks between them.
    const reads = parts.map((part, i) => (i % 2 === 0 ? collector.addText(part) : () => part));
    if (collector.units.length === 0) throw invalidDocument('the file has no text to translate');
    return {
      units: collector.units,
      rebuild: (translations) => encodeUtf8(reads.map((read) => read(translations)).join('')),
    };
  },
};
