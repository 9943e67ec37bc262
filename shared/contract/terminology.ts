import { z } from '@hono/zod-openapi';

/**
 * Bounds of the terminology options (protected terms and glossaries), the same at the edge, in stored
 * glossaries and in the container. Fixed, not env-configurable: they bound per-request masking work and
 * the size of a stored glossary, not a deployment's capacity.
 */
export const TERMINOLOGY_LIMITS = {
  /** Characters of one term (a protected term, or a glossary's source or target term). */
  MAX_TERM_CHARACTERS: 100,
  /** Protected terms in one request. */
  MAX_PROTECTED_TERMS: 100,
  /** Entries of one glossary (inline in a request, or stored per API key). */
  MAX_GLOSSARY_ENTRIES: 1000,
  /** Stored glossaries per API key. */
  MAX_GLOSSARIES_PER_KEY: 20,
  /** Characters of a stored glossary's name. */
  MAX_GLOSSARY_NAME_CHARACTERS: 100,
} as const;

const Term = z.string().min(1).max(TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS);

export const ProtectedTermsSchema = z.array(Term).max(TERMINOLOGY_LIMITS.MAX_PROTECTED_TERMS).openapi({
  description: `Terms (brand and product names) kept verbatim, with the placeholders' guarantee: each occurrence (whole word, case-sensitive) is masked before translation and restored byte-identical after it. At most ${TERMINOLOGY_LIMITS.MAX_PROTECTED_TERMS} terms of at most ${TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS} characters.`,
  example: ['Sema Edge'],
});

export const GlossaryEntriesSchema = z
  .record(Term, z.string().max(TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS))
  .refine((entries) => Object.keys(entries).length <= TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES, {
    message: `at most ${TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES} glossary entries`,
  })
  .openapi({
    description: `Source term → target term. Matched whole-word and case-insensitively, longest first; the target term is placed where the model placed the source term, its case following the source occurrence's (all capitals, capitalised). At most ${TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES} entries.`,
    example: { 'sign in': 'ingia' },
  });

export type GlossaryEntries = z.infer<typeof GlossaryEntriesSchema>;

/**
 * Whether `entries` (a glossary as parsed from JSON, before its schema) holds a `__proto__` term:
 * JSON.parse keeps it as a key, but the schema's parse (and any object built from it) silently drops it,
 * so such a glossary is refused, never applied without that entry.
 */
export function hasReservedTerm(entries: unknown): boolean {
  return typeof entries === 'object' && entries !== null && Object.hasOwn(entries, '__proto__');
}

export const RESERVED_TERM_MESSAGE = "'__proto__' cannot be a glossary term";
