import { invalidDocument } from './errors.js';

const encoder = new TextEncoder();

/**
 * A file's bytes as text: UTF-8 only (a byte order mark is kept, so it is written back), invalid UTF-8
 * or a NUL byte (a binary file under a text name) is INVALID_DOCUMENT.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalidDocument(`${what} is not UTF-8 text`);
  }
  if (text.includes('\u0000')) throw invalidDocument(`${what} is not a text file (it has NUL bytes)`);
  return text;
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
