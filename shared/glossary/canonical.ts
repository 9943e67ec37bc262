import type { GlossaryEntries } from '../contract/terminology.js';
import { sha256Hex } from '../bytes.js';

/**
 * A glossary's canonical form: entries sorted by source term (code-unit order), so the same entries
 * always give the same text, whatever order they were written in. Its SHA-256 is the glossary's
 * content hash, part of the cache key of every translation that used it (an edited glossary can never
 * be served a translation made with its old entries).
 */
export function canonicalGlossary(entries: GlossaryEntries): [string, string][] {
  return Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Hex SHA-256 of the canonical entries. */
export async function glossaryHash(entries: GlossaryEntries): Promise<string> {
  return await sha256Hex(JSON.stringify(canonicalGlossary(entries)));
}
