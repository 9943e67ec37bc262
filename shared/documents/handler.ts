import type { DocumentUnit } from './units.js';

/** A document read for translation: its units, and how to build the translated file from their translations. */
export interface ExtractedDocument {
  units: DocumentUnit[];
  rebuild(translations: readonly string[]): Uint8Array;
}

export interface ExtractOptions {
  /** Characters one unit may have at most (one translate request's MAX_CHARACTERS). */
  maxUnitCharacters: number;
  zip: { MAX_ZIP_ENTRIES: number; MAX_ZIP_ENTRY_BYTES: number; MAX_ZIP_TOTAL_BYTES: number };
}

/** One document format: reads a file into units (or refuses it with INVALID_DOCUMENT / DOCUMENT_TOO_LARGE). */
export interface DocumentFormat {
  /** The file name extension, lower case, without the dot. */
  extension: string;
  mediaType: string;
  extract(bytes: Uint8Array, options: ExtractOptions): ExtractedDocument;
}
