import { AppError } from '../errors.js';
import { parseFormData, readBoundedBody } from '../http/json-body.js';

/**
 * A LibreTranslate request body read the way LibreTranslate (Flask) reads it, so its clients work
 * unchanged:
 * - `application/json` (or any `application/*+json`, Flask's `request.is_json`): the JSON object;
 * - `application/x-www-form-urlencoded` and `multipart/form-data` (libretranslatepy, Weblate, the web
 *   UI): `request.values`, i.e. the query string's fields, then the form's; for a repeated field the
 *   first value (LibreTranslate's `request.values.get`), so `q` from a form is always one string;
 * - anything else, or no body: the query string's fields only (LibreTranslate then answers "missing q").
 */
export interface LtBody {
  kind: 'json' | 'form' | 'none';
  /** A JSON body's members as sent; a form's and the query's fields as strings (multipart files as File). */
  fields: Record<string, unknown>;
}

/** Flask's `request.is_json`: the media type is application/json or application/<something>+json. */
function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** LibreTranslate's own message for a body that is not a JSON object. */
export const INVALID_JSON_MESSAGE = 'Invalid JSON format';

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new AppError('INVALID_JSON', INVALID_JSON_MESSAGE);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AppError('INVALID_JSON', INVALID_JSON_MESSAGE);
  return value as Record<string, unknown>;
}

/** Adds the fields of `entries` that `fields` does not have yet (the first value of a repeated field wins). */
function addFirst(fields: Record<string, unknown>, entries: Iterable<[string, unknown]>): void {
  for (const [name, value] of entries) {
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
}

async function parseMultipart(bytes: Uint8Array, contentType: string): Promise<Iterable<[string, unknown]>> {
  const form = await parseFormData(bytes, contentType);
  if (form === undefined) throw new AppError('VALIDATION_FAILED', 'Invalid request: the multipart/form-data body cannot be parsed (check its boundary)');
  const entries: [string, unknown][] = [];
  form.forEach((value, name) => entries.push([name, value]));
  return entries;
}

/**
 * Reads `request`'s body as LibreTranslate would, never more than `maxBytes` of it (413 BODY_TOO_LARGE,
 * multipart included, counted while streaming: a Content-Length is not trusted alone). Bad bodies are
 * AppErrors (INVALID_JSON, VALIDATION_FAILED), never anything else.
 */
export async function readLtBody(request: Request, maxBytes: number): Promise<LtBody> {
  const contentType = request.headers.get('content-type');
  const mediaType = mediaTypeOf(contentType);
  if (isJsonMediaType(mediaType)) {
    return { kind: 'json', fields: parseJsonObject(await readBoundedBody(request, maxBytes)) };
  }
  const fields: Record<string, unknown> = {};
  addFirst(fields, new URL(request.url).searchParams.entries());
  if (mediaType === 'application/x-www-form-urlencoded') {
    // Werkzeug decodes form fields as UTF-8, replacing what is not.
    const text = new TextDecoder('utf-8').decode(await readBoundedBody(request, maxBytes));
    addFirst(fields, new URLSearchParams(text).entries());
    return { kind: 'form', fields };
  }
  if (mediaType === 'multipart/form-data') {
    addFirst(fields, await parseMultipart(await readBoundedBody(request, maxBytes), contentType ?? ''));
    return { kind: 'form', fields };
  }
  return { kind: 'none', fields };
}

/**
 * Python's `"\n".join(text.splitlines())`, which LibreTranslate applies to a form's `q` on /translate
 * so that character limits count the same whatever the client's line endings: every line boundary
 * Python knows (CRLF, CR, LF, VT, FF, FS, GS, RS, NEL, LS, PS) becomes LF, and a boundary at the very
 * end is dropped.
 */
export function normalizeLineEndings(text: string): string {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}
