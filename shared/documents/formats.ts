import { srtFormat, vttFormat } from './cues.js';
import { epubFormat } from './epub.js';
import { unsupportedDocument } from './errors.js';
import type { DocumentFormat } from './handler.js';
import { htmlFormat } from './html.js';
import { odtFormat } from './odt.js';
import { docxFormat, pptxFormat } from './ooxml.js';
import { plainTextFormat } from './plain-text.js';

const FORMATS: readonly DocumentFormat[] = [plainTextFormat, htmlFormat, srtFormat, vttFormat, docxFormat, pptxFormat, odtFormat, epubFormat];
const ALIASES: Readonly<Record<string, string>> = { htm: 'html' };

/** The extensions served, as GET /frontend/settings' supportedFilesFormat lists them. */
export const SUPPORTED_EXTENSIONS: readonly string[] = [...FORMATS.map((format) => format.extension), ...Object.keys(ALIASES)];

/** The format of a file by its name's extension; any other is UNSUPPORTED_DOCUMENT_FORMAT. */
export function formatOf(fileName: string): DocumentFormat {
  const dot = fileName.lastIndexOf('.');
  const raw = dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
  const extension = ALIASES[raw] ?? raw;
  const format = FORMATS.find((candidate) => candidate.extension === extension);
  if (!format) throw unsupportedDocument(fileName, SUPPORTED_EXTENSIONS);
  return format;
}
