import { AppError } from '../../shared/errors.js';
import { parseFormData, readBoundedBody } from '../../shared/http/json-body.js';
import { readLtBody } from '../../shared/libretranslate/body.js';

/** An uploaded file as the multipart form carried it. */
export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** The fields of a document upload, whichever API it came by. */
export interface DocumentUpload {
  file: UploadedFile;
  target: string;
  /** Undefined: detect (per unit). */
  source: string | undefined;
  /** LibreTranslate's api_key form field, when sent. */
  apiKey: string | undefined;
}

interface BlobLike {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

function isFile(value: unknown): value is BlobLike {
  return typeof value === 'object' && value !== null && 'arrayBuffer' in value && 'name' in value && typeof value.name === 'string';
}

/** The file's name without any path a browser or client put before it. */
function baseName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.length > 200 ? base.slice(-200) : base;
}

async function fileOf(value: unknown, missing: string): Promise<UploadedFile> {
  if (!isFile(value)) throw new AppError('VALIDATION_FAILED', missing);
  return { name: baseName(value.name), bytes: new Uint8Array(await value.arrayBuffer()) };
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

/**
 * POST /api/v1/translate-document's form: multipart/form-data only (415 otherwise), at most `maxBytes`
 * (413 BODY_TOO_LARGE, counted while it streams), fields `file`, `target_language`, `source_language`.
 */
export async function readApiUpload(request: Request, maxBytes: number): Promise<DocumentUpload> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the document as multipart/form-data (fields file, target_language, source_language)');
  }
  const form = await parseFormData(await readBoundedBody(request, maxBytes), contentType);
  if (form === undefined) throw new AppError('VALIDATION_FAILED', 'the multipart/form-data body cannot be parsed (check its boundary)');
  const target = stringField(form.get('target_language'));
  if (target === undefined) throw new AppError('VALIDATION_FAILED', 'target_language is required');
  return {
    file: await fileOf(form.get('file'), 'file is required: the document as a multipart file field'),
    target,
    source: stringField(form.get('source_language')),
    apiKey: undefined,
  };
}

/**
 * LibreTranslate's POST /translate_file form (read as LibreTranslate reads forms, bounded the same
 * way): `file`, `source` ('auto' detects), `target`, `api_key`; its own messages for missing fields.
 */
export async function readLtUpload(request: Request, maxBytes: number): Promise<DocumentUpload> {
  const { fields } = await readLtBody(request, maxBytes);
  const source = stringField(fields.source);
  const target = stringField(fields.target);
  if (source === undefined) throw new AppError('VALIDATION_FAILED', 'Invalid request: missing source parameter');
  if (target === undefined) throw new AppError('VALIDATION_FAILED', 'Invalid request: missing target parameter');
  return {
    file: await fileOf(fields.file, 'Invalid request: missing file parameter'),
    target,
    source: source.toLowerCase() === 'auto' ? undefined : source,
    apiKey: stringField(fields.api_key),
  };
}
