/** Document and subtitle translation (txt, html, srt, vtt, docx, pptx, odt, epub): pure TS, runs in workerd and Node. */
export { DOCUMENT_FORM_OVERHEAD_BYTES, DOCUMENT_LIMITS, type DocumentLimits } from './limits.js';
export { SUPPORTED_EXTENSIONS, formatOf } from './formats.js';
export { prepareDocument, translateDocument, type BatchTranslator, type PreparedDocument, type RequestBounds } from './translate-document.js';
