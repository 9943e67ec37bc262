import { OUTPUT_POLICY_VERSION } from '../../shared/contract/policy.js';
import type { GlossaryEntries } from '../../shared/contract/terminology.js';
import type { TranslateOptions } from '../../shared/contract/translate.js';
import { canonicalGlossary, glossaryHash } from '../../shared/glossary/canonical.js';
import { sha256Hex } from '../../shared/bytes.js';

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
 * so equal options always serialise (and hash) equally. Terminology is keyed by content: protected
 * terms sorted and deduplicated, a glossary by the SHA-256 of its sorted entries (glossaryDigest),
 * so different terminology never shares an entry and an edited glossary never hits the old one.
 */
export function canonicalOptions(options: TranslateOptions): CanonicalOptions {
  return {
    alternatives: options.alternatives ?? 0,
    beam_size: options.beam_size ?? 1,
    format: options.format ?? 'text',
    glossary: options.glossary && Object.keys(options.glossary).length > 0 ? glossaryKeyPart(options.glossary) : null,
    glossary_id: options.glossary_id ?? null,
    max_new_tokens: options.max_new_tokens ?? null,
    placeholders: options.placeholders ?? 'auto',
    protected_terms: options.protected_terms && options.protected_terms.length > 0 ? [...new Set(options.protected_terms)].sort(byCodeUnits) : null,
  };
}

/** Every option that changes the output; a new option must be added here (the type makes that a compile error). */
type CanonicalOptions = { [K in Exclude<keyof Required<TranslateOptions>, 'glossary'>]: NonNullable<TranslateOptions[K]> | null } & {
  /** `sha256:<hex>` of the sorted entries, or (before glossaryDigest ran for this glossary) the sorted entries themselves. */
  glossary: string | Array<[string, string]> | null;
};

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Digests per glossary object: a request's options are one object, so its glossary is hashed once
// however many keys (items, model labels, flight keys) it takes part in.
const digests = new WeakMap<GlossaryEntries, string>();

/**
 * The SHA-256 (Web Crypto: the same in workerd and Node) of a glossary's sorted entries. The key
 * functions call it before building their material; the sync material builders use the digest once
 * known and the sorted entries before that (equally unique: the key is a hash of the material).
 */
export async function glossaryDigest(glossary: GlossaryEntries): Promise<string> {
  const known = digests.get(glossary);
  if (known !== undefined) return known;
  // The same hash as a stored glossary's content_hash (shared/glossary/canonical.ts).
  const digest = `sha256:${await glossaryHash(glossary)}`;
  digests.set(glossary, digest);
  return digest;
}

function glossaryKeyPart(glossary: GlossaryEntries): string | Array<[string, string]> {
  return digests.get(glossary) ?? canonicalGlossary(glossary);
}

async function withGlossaryDigest(options: TranslateOptions): Promise<void> {
  if (options.glossary && Object.keys(options.glossary).length > 0) await glossaryDigest(options.glossary);
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
  await withGlossaryDigest(parts.options);
  return CACHE_KEY_PREFIX + (await sha256Hex(resolvedKeyMaterial(parts)));
}

export async function autoKey(parts: AutoKeyParts): Promise<string> {
  await withGlossaryDigest(parts.options);
  return CACHE_KEY_PREFIX + (await sha256Hex(autoKeyMaterial(parts)));
}
