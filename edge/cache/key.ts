import { OUTPUT_POLICY_VERSION } from '../../shared/contract/policy.js';
import type { TranslateOptions } from '../../shared/contract/translate.js';

/**
 * Cache keys. A key is the SHA-256 (Web Crypto) of a canonical JSON array under a versioned prefix.
 * Every part is JSON-encoded as its own array element, never joined into one string, so
 * `["a","b"]` and `"a|b"` (or any other split of the same characters) can never share a key.
 *
 *   resolved: ["translation", policy, model, source, target, options, text]  → a translation
 *   auto:     ["auto", policy, model, detector, target, options, text]       → the detected source (+ confidence)
 *
 * `policy` is OUTPUT_POLICY_VERSION (segmentation, masking, guard and detection rules), `options` every
 * option that changes the output (canonicalOptions).
 *
 * A request with an explicit source only ever reads resolved keys; a request without one reads the
 * auto key first and then the resolved key of the source recorded there, so a translation is never
 * returned for a source other than the one it was translated from.
 */
export const CACHE_KEY_PREFIX = 'tx:v2:';

/**
 * Options with defaults applied, every known option present (absent = null) and keys in sorted order,
 * so equal options always serialise (and hash) equally.
 */
export function canonicalOptions(options: TranslateOptions): CanonicalOptions {
  return {
    alternatives: options.alternatives ?? 0,
    beam_size: options.beam_size ?? 1,
    max_new_tokens: options.max_new_tokens ?? null,
    placeholders: options.placeholders ?? 'auto',
  };
}

/** Every option that changes the output; a new option must be added here (the type makes that a compile error). */
type CanonicalOptions = { [K in keyof Required<TranslateOptions>]: NonNullable<TranslateOptions[K]> | null };

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const bytes = new Uint8Array(digest);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export interface ResolvedKeyParts {
  model: string;
  source: string;
  target: string;
  options: TranslateOptions;
  text: string;
}

export interface AutoKeyParts {
  model: string;
  detector: string;
  target: string;
  options: TranslateOptions;
  text: string;
}

export function resolvedKeyMaterial(parts: ResolvedKeyParts): string {
  return JSON.stringify(['translation', OUTPUT_POLICY_VERSION, parts.model, parts.source, parts.target, canonicalOptions(parts.options), parts.text]);
}

export function autoKeyMaterial(parts: AutoKeyParts): string {
  return JSON.stringify(['auto', OUTPUT_POLICY_VERSION, parts.model, parts.detector, parts.target, canonicalOptions(parts.options), parts.text]);
}

export async function resolvedKey(parts: ResolvedKeyParts): Promise<string> {
  return CACHE_KEY_PREFIX + (await sha256Hex(resolvedKeyMaterial(parts)));
}

export async function autoKey(parts: AutoKeyParts): Promise<string> {
  return CACHE_KEY_PREFIX + (await sha256Hex(autoKeyMaterial(parts)));
}

export { sha256Hex };
