import type { Context } from 'hono';
import { AppError } from '../errors.js';

/**
 * Reads a JSON request body in the documented layers: media type (415) → bytes (413, counted while
 * streaming, so a chunked body without Content-Length cannot slip past) → UTF-8 → JSON (400).
 * Nothing is buffered beyond `maxBytes`.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const contentType = c.req.header('content-type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `expected Content-Type application/json, got '${contentType || 'none'}'`);
  }
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);

  const bytes = await readLimited(c.req.raw.body, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('INVALID_JSON', 'request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new AppError('INVALID_JSON', 'request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('INVALID_JSON', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** The 413 both apps answer for a body over the limit, however it was detected. */
export function bodyTooLarge(maxBytes: number): AppError {
  return new AppError('BODY_TOO_LARGE', `request body is larger than ${maxBytes} bytes`, { details: { limit: maxBytes } });
}

async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
