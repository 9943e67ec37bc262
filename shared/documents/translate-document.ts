import { characterCount } from '../contract/common.js';
import { AppError } from '../errors.js';
import { checkedHtmlPlan, htmlModelTexts } from '../html/index.js';
import { documentTooLarge, invalidDocument } from './errors.js';
import { formatOf } from './formats.js';
import type { DocumentFormat, ExtractedDocument } from './handler.js';
import type { DocumentLimits } from './limits.js';
import type { DocumentUnit } from './units.js';

/** Translates one batch of units of one format, in order (the edge: its cached translate flow). */
export type BatchTranslator = (texts: string[], format: DocumentUnit['format']) => Promise<string[]>;

/** The bounds of one translate request, which a batch of units must fit (shared/limits.ts). */
export interface RequestBounds {
  MAX_CHARACTERS: number;
  MAX_BATCH_ITEMS: number;
}

/** A document read and checked, not translated yet: what the cost budget is charged for. */
export interface PreparedDocument {
  name: string;
  format: DocumentFormat;
  document: ExtractedDocument;
  /** Characters of text the model reads (markup and run marks not counted): what MAX_CHARACTERS of DOCUMENT_LIMITS bounds. */
  characters: number;
  /** That text, unit by unit (HTML: its text runs and translated attributes): what the cost budget prices. */
  modelTexts: string[];
}

/** What the model reads of a unit: an HTML unit's text as the HTML path plans it, a tagged paragraph's words. */
function modelTextsOf(unit: DocumentUnit): string[] {
  if (unit.format === 'html') return htmlModelTexts(checkedHtmlPlan(unit.text, 'the document'));
  return [unit.modelText ?? unit.text];
}

/**
 * Reads an uploaded file into translatable units, refusing it (nothing translated, charged or stored)
 * when it is empty, too large, of an unsupported kind, not what its extension says, malformed, a zip
 * bomb, encrypted, or has more text than a document may.
 */
export function prepareDocument(name: string, bytes: Uint8Array, limits: DocumentLimits, request: RequestBounds): PreparedDocument {
  if (bytes.length === 0) throw invalidDocument('the file is empty');
  if (bytes.length > limits.MAX_FILE_BYTES) {
    throw documentTooLarge(`the file has ${bytes.length} bytes; the limit is ${limits.MAX_FILE_BYTES}`, { bytes: bytes.length, limit: limits.MAX_FILE_BYTES });
  }
  const format = formatOf(name);
  const document = format.extract(bytes, { maxUnitCharacters: request.MAX_CHARACTERS, zip: limits });
  const modelTexts = document.units.flatMap(modelTextsOf);
  const characters = modelTexts.reduce((sum, text) => sum + characterCount(text), 0);
  if (characters > limits.MAX_CHARACTERS) {
    throw new AppError('TEXT_TOO_LONG', `the document has ${characters} characters of text (markup not counted); the limit is ${limits.MAX_CHARACTERS}`, {
      details: { characters, limit: limits.MAX_CHARACTERS },
    });
  }
  return { name, format, document, characters, modelTexts };
}

/** Consecutive units of one format, each batch within one request's item and character bounds. */
export function batchUnits(units: readonly DocumentUnit[], request: RequestBounds): Array<{ start: number; units: DocumentUnit[] }> {
  const batches: Array<{ start: number; units: DocumentUnit[]; characters: number }> = [];
  units.forEach((unit, index) => {
    const characters = characterCount(unit.text);
    const last = batches.at(-1);
    if (last && last.units[0]!.format === unit.format && last.units.length < request.MAX_BATCH_ITEMS && last.characters + characters <= request.MAX_CHARACTERS) {
      last.units.push(unit);
      last.characters += characters;
    } else {
      batches.push({ start: index, units: [unit], characters });
    }
  });
  return batches;
}

/**
 * The translated file: every unit translated, batch after batch (one request's worth at a time, so a
 * large document never floods the origin), then the document rebuilt around the translations.
 */
export async function translateDocument(prepared: PreparedDocument, translate: BatchTranslator, request: RequestBounds): Promise<Uint8Array> {
  const { units } = prepared.document;
  const translations: string[] = new Array<string>(units.length);
  for (const batch of batchUnits(units, request)) {
    const out = await translate(batch.units.map((unit) => unit.text), batch.units[0]!.format);
    if (out.length !== batch.units.length) throw new AppError('UPSTREAM_UNAVAILABLE', `the translator returned ${out.length} translations for ${batch.units.length} texts`);
    out.forEach((text, k) => (translations[batch.start + k] = text));
  }
  return prepared.document.rebuild(translations);
}
