import { invalidDocument } from './errors.js';
import type { DocumentFormat } from './handler.js';
import { decodeUtf8, encodeUtf8 } from './text-codec.js';
import { UnitCollector, type Translated } from './units.js';
import { readZip, writeZip, type ZipEntry } from './zip.js';
import { rebuildXml, xmlParagraphs, type XmlParagraph, type XmlTextRules } from './xml-text.js';

/** A zip container of XML parts (docx, pptx, odt, epub): which kind it must be, and which parts hold its text. */
export interface XmlContainerSpec {
  extension: string;
  mediaType: string;
  /** Refuses an archive that is not this kind (INVALID_DOCUMENT naming what is missing). */
  check(entries: ReadonlyMap<string, ZipEntry>): void;
  /** The text rules of a part, or undefined for a part that is copied as it is. */
  rulesFor(entryName: string): XmlTextRules | undefined;
}

interface TextPart {
  index: number;
  source: string;
  paragraphs: Array<{ paragraph: XmlParagraph; read: Translated<string[]> }>;
}

/** The text of an entry the container must have (a `mimetype` entry, say), or undefined. */
export function entryText(entries: ReadonlyMap<string, ZipEntry>, name: string): string | undefined {
  const entry = entries.get(name);
  return entry === undefined ? undefined : new TextDecoder().decode(entry.data);
}

/**
 * A zip container whose XML parts are translated paragraph by paragraph (xml-text.ts), each paragraph
 * one unit with its runs as numbered tags (units.ts). Every other entry, and every byte of a text part
 * outside the translated character data, is copied unchanged; entries keep their order and their
 * storage method.
 */
export function xmlContainerFormat(spec: XmlContainerSpec): DocumentFormat {
  return {
    extension: spec.extension,
    mediaType: spec.mediaType,
    extract(bytes, options) {
      const entries = readZip(bytes, options.zip);
      spec.check(new Map(entries.map((entry) => [entry.name, entry])));
      const collector = new UnitCollector(options.maxUnitCharacters);
      const parts: TextPart[] = [];
      entries.forEach((entry, index) => {
        const rules = spec.rulesFor(entry.name);
        if (!rules) return;
        const source = decodeUtf8(entry.data, entry.name);
        const paragraphs = xmlParagraphs(source, rules, entry.name).map((paragraph) => ({ paragraph, read: collector.addParagraph(paragraph.pieces) }));
        parts.push({ index, source, paragraphs });
      });
      if (collector.units.length === 0) throw invalidDocument('the document has no text to translate');
      return {
        units: collector.units,
        rebuild(translations) {
          const out = [...entries];
          for (const part of parts) {
            const replacements = part.paragraphs.flatMap(({ paragraph, read }) => {
              const texts = read(translations);
              return paragraph.pieces.map((piece, i) => ({ piece, text: texts[i]! }));
            });
            out[part.index] = { ...entries[part.index]!, data: encodeUtf8(rebuildXml(part.source, replacements)) };
          }
          return writeZip(out);
        },
      };
    },
  };
}

/** Refuses an archive without `names`: it is not `kind` ("a Word (docx) document"). */
export function requireEntries(entries: ReadonlyMap<string, ZipEntry>, kind: string, ...names: string[]): void {
  const missing = names.filter((name) => !entries.has(name));
  if (missing.length > 0) throw invalidDocument(`the archive is not ${kind} (${missing.join(', ')} missing)`);
}
