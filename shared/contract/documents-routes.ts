import { createRoute, z } from '@hono/zod-openapi';
import { DOCUMENT_LIMITS } from '../documents/limits.js';
import { SUPPORTED_EXTENSIONS } from '../documents/formats.js';
import { ErrorBodySchema } from './common.js';
import { LtErrorSchema } from './libretranslate.js';

/**
 * Document translation: POST /api/v1/translate-document (the file back, this API's error envelope) and
 * LibreTranslate's POST /translate_file + GET /download_file/{filename} (a download link, its
 * `{"error": …}`). The multipart bodies are documented as plain JSON Schema, not zod: a zod body schema
 * would make zod-openapi parse the form itself, before the routes' own bounded reading and checks.
 */
export const DOCUMENT_PATHS = { translate: '/api/v1/translate-document', ltTranslate: '/translate_file', ltDownload: '/download_file' } as const;

/** The upload routes, whose body bound is the document one (the app-wide MAX_BODY_BYTES does not apply). */
export const DOCUMENT_UPLOAD_PATHS: readonly string[] = [DOCUMENT_PATHS.translate, DOCUMENT_PATHS.ltTranslate];

const formats = SUPPORTED_EXTENSIONS.map((extension) => `.${extension}`).join(', ');
const limitsText =
  `At most ${DOCUMENT_LIMITS.MAX_FILE_BYTES} bytes, ${DOCUMENT_LIMITS.MAX_CHARACTERS} characters of text (charged to the cost budget before translation), ` +
  `and for zip containers ${DOCUMENT_LIMITS.MAX_ZIP_ENTRIES} entries, ${DOCUMENT_LIMITS.MAX_ZIP_ENTRY_BYTES} bytes per entry and ${DOCUMENT_LIMITS.MAX_ZIP_TOTAL_BYTES} in all once uncompressed.`;

const file = { type: 'string', format: 'binary', description: `The document: ${formats}. ${limitsText}` } as const;

function multipart(properties: Record<string, object>, required: string[], description: string) {
  return { description, required: true, content: { 'multipart/form-data': { schema: { type: 'object' as const, properties, required } } } };
}

const binary = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: { type: 'string' as const, format: 'binary' } } },
});

const envelope = (description: string) => ({ content: { 'application/json': { schema: ErrorBodySchema } }, description });
const ltError = (description: string) => ({
  content: { 'application/json': { schema: LtErrorSchema } },
  description: `${description}. The stable code is in the X-Error-Code header.`,
});

export const LtTranslateFileResponseSchema = z
  .object({ translatedFileUrl: z.string().url().openapi({ description: `Where to download the translated file; it expires after ${DOCUMENT_LIMITS.STORED_TTL_SECONDS} s` }) })
  .openapi('LtTranslateFileResponse');

export const translateDocumentRoute = createRoute({
  method: 'post',
  path: DOCUMENT_PATHS.translate,
  tags: ['Translation'],
  summary: 'Translate a document or subtitle file; the answer is the translated file',
  description:
    'Text (.txt) by paragraph; HTML through the HTML path; SubRip and WebVTT cue by cue (cue numbers, timings and line count kept); docx, pptx, odt and epub paragraph by paragraph with inline formatting kept and every other byte of the container unchanged.',
  request: {
    body: multipart(
      {
        file,
        target_language: { type: 'string', description: 'FLORES-200, ISO 639-1 or ISO 639-3', example: 'swh_Latn' },
        source_language: { type: 'string', description: 'Detected per paragraph when omitted' },
      },
      ['file', 'target_language'],
      'The file and the languages',
    ),
  },
  responses: {
    200: binary('The translated file, with the same name and media type (Content-Disposition: attachment)'),
    400: envelope('INVALID_DOCUMENT (empty, not what its extension says, malformed XML, corrupt or encrypted zip), VALIDATION_FAILED or UNSUPPORTED_LANGUAGE'),
    413: envelope('BODY_TOO_LARGE, DOCUMENT_TOO_LARGE (the file, or a zip entry or the zip expanded) or TEXT_TOO_LONG'),
    415: envelope('UNSUPPORTED_MEDIA_TYPE (not multipart/form-data) or UNSUPPORTED_DOCUMENT_FORMAT (the extension)'),
    429: envelope('RATE_LIMITED (with Retry-After): the document costs what its text costs'),
    502: envelope('UPSTREAM_UNAVAILABLE'),
    503: envelope('OVERLOADED or UPSTREAM_UNAVAILABLE (with Retry-After)'),
    504: envelope('UPSTREAM_TIMEOUT'),
  },
});

export const ltTranslateFileRoute = createRoute({
  method: 'post',
  path: DOCUMENT_PATHS.ltTranslate,
  tags: ['LibreTranslate compatibility'],
  summary: 'LibreTranslate-compatible file translation: a download link to the translated file',
  request: {
    body: multipart(
      {
        file,
        source: { type: 'string', description: "Source language, or 'auto'", example: 'en' },
        target: { type: 'string', description: 'Target language', example: 'sw' },
        api_key: { type: 'string', description: 'API key (optional)' },
      },
      ['file', 'source', 'target'],
      'LibreTranslate form',
    ),
  },
  responses: {
    200: { content: { 'application/json': { schema: LtTranslateFileResponseSchema } }, description: 'The translated file is stored for download' },
    400: ltError('Invalid request: missing file or language, an unsupported or bad file, too much text'),
    403: ltError('Invalid API key'),
    429: ltError('Slowdown (with Retry-After)'),
    500: ltError('Translation failed'),
  },
});

export const ltDownloadFileRoute = createRoute({
  method: 'get',
  path: `${DOCUMENT_PATHS.ltDownload}/{filename}`,
  tags: ['LibreTranslate compatibility'],
  summary: 'Download a file translated by POST /translate_file (until it expires)',
  request: { params: z.object({ filename: z.string().openapi({ description: '<id>.<original name>, as translatedFileUrl says' }) }) },
  responses: {
    200: binary('The translated file'),
    404: ltError('No such file, or it has expired'),
  },
});
