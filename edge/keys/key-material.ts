import { sha256Hex } from '../../shared/bytes.js';

/** Every key the admin API creates starts with this, so leaked keys are easy to recognise (and to scan for). */
export const KEY_PREFIX = 'sk_';
const KEY_BYTES = 32;

/** A key's public id: `key_` + the first 24 hex digits (96 bits) of the key's SHA-256. Never the key. */
export const KEY_ID_PATTERN = /^key_[0-9a-f]{24}$/;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new key: `sk_` + 32 random bytes as base64url (43 characters). */
export function generateApiKey(): string {
  return KEY_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

/**
 * The id of the key with this SHA-256 hex. Derived, not stored, so every record (hand-written ones of
 * earlier versions too) has one, and the hash prefix locates the record in API_KEYS.
 */
export function keyIdOf(hash: string): string {
  return `key_${hash.slice(0, 24)}`;
}

/** SHA-256 of the key's UTF-8, in lower-case hex: the API_KEYS name of its record (client-key.ts hashes the same way). */
export async function hashApiKey(key: string): Promise<string> {
  return await sha256Hex(key);
}
