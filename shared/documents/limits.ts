/**
 * The bounds of document translation (POST /api/v1/translate-document, LibreTranslate's POST
 * /translate_file). Named constants, documented in the README; each one stops a kind of abuse before it
 * costs more than the bound above it.
 */
export const DOCUMENT_LIMITS = {
  /** Bytes of the uploaded file (the multipart body may be DOCUMENT_FORM_OVERHEAD_BYTES larger). */
  MAX_FILE_BYTES: 2 * 1024 * 1024,
  /**
   * Characters of extracted text per document (markup of .html documents and the run marks of
   * docx/pptx/odt/epub paragraphs included: that is what the model reads). The whole document is also
   * charged to the client's cost budget (shared/cost.ts) before anything is translated.
   */
  MAX_CHARACTERS: 50_000,
  /** Entries in a zip container (docx, pptx, odt, epub), as its central directory lists them. */
  MAX_ZIP_ENTRIES: 2_000,
  /** Uncompressed bytes of one zip entry, and of all entries together (zip bombs stop here). */
  MAX_ZIP_ENTRY_BYTES: 20 * 1024 * 1024,
  MAX_ZIP_TOTAL_BYTES: 50 * 1024 * 1024,
  /** Bytes of a translated file kept for download (KV's value limit is 25 MiB). */
  MAX_STORED_BYTES: 10 * 1024 * 1024,
  /** Seconds a translated file stays downloadable from GET /download_file/… (KV expirationTtl). */
  STORED_TTL_SECONDS: 3600,
} as const;

/** Room for the multipart framing and the other form fields beside the file. */
export const DOCUMENT_FORM_OVERHEAD_BYTES = 64 * 1024;

export type DocumentLimits = { -readonly [K in keyof typeof DOCUMENT_LIMITS]: number };
