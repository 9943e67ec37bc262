import type { Context } from 'hono';
import { concatBytes } from '../bytes.js';
import { AppError } from '../errors.js';

/**
 * `application/json`, in any case, with optional `; name=value` parameters (charset). The grammar is the
 * one @hono/zod-openapi checks on routes registered with a JSON body, so the two checks always agree and
 * a refusal is always this reader's 415 in the shared envelope.
 */
const JSON_CONTENT_TYPE = /^application\/json(;\s*[a-zA-Z0-9-]+=[^;]+)*$/i;

/**
 * Reads a JSON request body in the documented layers: media type (415) → bytes (413, counted while
 * streaming, so a chunked body without Content-Length cannot slip past) → UTF-8 → JSON (400).
 * Nothing is buffered beyond `maxBytes`. The decoded text is left in Hono's body cache, so a later
 * reader of the same request (zod-openapi's body validator, `c.req.json()`) sees the same bytes
 * instead of a consumed stream.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const contentType = c.req.header('content-type') ?? '';
  if (!JSON_CONTENT_TYPE.test(contentType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `expected Content-Type application/json, got '${contentType || 'none'}'`);
  }
  const bytes = await readBoundedBody(c.req.raw, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('INVALID_JSON', 'request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new AppError('INVALID_JSON', 'request body is empty');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('INVALID_JSON', `request body is not valid JSON: ${(err as Error).message}`);
  }
  // Hono's body cache holds promises (c.req.json() chains .then on it), though its type says string.
  Object.assign(c.req.bodyCache, { text: Promise.resolve(text) });
  return body;
}

/** The 413 both apps answer for a body over the limit, however it was detected. */
export function bodyTooLarge(maxBytes: number): AppError {
  return new AppError('BODY_TOO_LARGE', `request body is larger than ${maxBytes} bytes`, { details: { limit: maxBytes } });
}

/**
 * A request's body bytes, refused with 413 before any parsing: a declared Content-Length over the limit
 * first, then bytes counted as they stream (a chunked body, or a lying Content-Length, cannot slip past).
 */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
  return await readLimited(request.body, maxBytes);
}

/**
 * The platform's multipart/form-data parser (workerd and Node's undici both implement Body.formData) on
 * bytes already bounded by a body limit; undefined when they do not parse (a bad boundary, a truncated
 * part). Copied into a fresh ArrayBuffer: a view over a larger buffer is not a BodyInit everywhere.
 */
export async function parseFormData(bytes: Uint8Array, contentType: string): Promise<FormData | undefined> {
  try {
    return await new Response(bytes.slice().buffer, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
}

/**
 * The bytes of a body, stopping at the first byte over `maxBytes` (413 BODY_TOO_LARGE). The cancel
 * of the rest is not awaited: on one branch of a cloned (tee'd) body it settles only once the other
 * branch is read too.
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}
