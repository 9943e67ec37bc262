import { GlossaryCreateRequestSchema, type GlossaryCreateRequest, type GlossaryInfo } from '../../shared/contract/glossaries.js';
import { hasReservedTerm, TERMINOLOGY_LIMITS, type GlossaryEntries } from '../../shared/contract/terminology.js';
import { resolveLanguageOrThrow, validationError, type NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import { AppError } from '../../shared/errors.js';
import { glossaryHash } from '../../shared/glossary/canonical.js';
import { toHex } from '../../shared/bytes.js';
import { normalizeEntries, reservedTerm } from './entries.js';
import type { GlossaryStore, StoredGlossary } from './store.js';

/** The API's view of a stored glossary. */
export function glossaryInfo(glossary: StoredGlossary): GlossaryInfo {
  return {
    glossary_id: glossary.id,
    name: glossary.name,
    source_language: glossary.sourceLanguage,
    target_language: glossary.targetLanguage,
    entry_count: glossary.entryCount,
    content_hash: glossary.contentHash,
    creation_time: new Date(glossary.createdAt).toISOString(),
  };
}

/** An unguessable id: 128 random bits, hex, with a prefix that says what it is. */
function newGlossaryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `gl_${toHex(bytes)}`;
}

/**
 * The create body's structure (before rate limiting, so a malformed body spends nothing). A JSON
 * `__proto__` term is refused here: JSON.parse keeps it as a key, but any object built from it would
 * silently drop it.
 */
export function parseGlossaryCreate(body: unknown): GlossaryCreateRequest {
  const entries: unknown = typeof body === 'object' && body !== null && 'entries' in body ? body.entries : undefined;
  if (hasReservedTerm(entries)) throw reservedTerm();
  const parsed = GlossaryCreateRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** The parsed create body → the stored record and entries (every check, each with its code). */
export async function prepareGlossary(body: GlossaryCreateRequest, now: number): Promise<{ glossary: StoredGlossary; entries: GlossaryEntries }> {
  const { name, target_language, source_language, entries: raw, entries_format } = body;
  const entries = normalizeEntries(raw, entries_format);
  const glossary: StoredGlossary = {
    id: newGlossaryId(),
    name: name.trim(),
    sourceLanguage: source_language === undefined ? null : resolveLanguageOrThrow(source_language, 'source_language'),
    targetLanguage: resolveLanguageOrThrow(target_language, 'target_language'),
    entryCount: Object.keys(entries).length,
    contentHash: await glossaryHash(entries),
    createdAt: now,
  };
  return { glossary, entries };
}

export function glossaryNotFound(id: string): AppError {
  return new AppError('GLOSSARY_NOT_FOUND', `no glossary '${id.slice(0, 64)}' for this API key`);
}

/** The caller's key hash from its rate-limit bucket (`key:<hash>`), or undefined for an anonymous caller. */
export function keyHashOf(bucket: string | undefined): string | undefined {
  return bucket?.startsWith('key:') ? bucket.slice(4) : undefined;
}

/**
 * A translate request with `options.glossary_id` resolved: the stored entries merged under the inline
 * `glossary` (an inline entry wins over a stored one for the same term, case-insensitively) and the id
 * removed, so the origin sees plain entries and the cache keys on their content (an edited glossary —
 * a new one — never hits translations made with the old). Refused: an anonymous caller (UNAUTHORIZED),
 * an id this key does not have (GLOSSARY_NOT_FOUND, another key's glossary included), a glossary made
 * for another target or explicit source (VALIDATION_FAILED), a merge over MAX_GLOSSARY_ENTRIES.
 */
export async function withStoredGlossary(
  request: NormalizedTranslateRequest,
  keyHash: string | undefined,
  store: GlossaryStore,
): Promise<NormalizedTranslateRequest> {
  const { glossary_id: id, ...options } = request.options;
  if (id === undefined) return request;
  if (keyHash === undefined) throw new AppError('UNAUTHORIZED', 'options.glossary_id needs an API key (Authorization: Bearer <key>): glossaries belong to a key');
  const stored = await store.get(keyHash, id);
  if (stored === null) throw glossaryNotFound(id);
  const { glossary, entries } = stored;
  if (glossary.targetLanguage !== request.target) {
    throw new AppError('VALIDATION_FAILED', `glossary '${id}' is for target ${glossary.targetLanguage}, not ${request.target}`);
  }
  if (glossary.sourceLanguage !== null && request.source !== undefined && glossary.sourceLanguage !== request.source) {
    throw new AppError('VALIDATION_FAILED', `glossary '${id}' is for source ${glossary.sourceLanguage}, not ${request.source}`);
  }
  const inline = options.glossary ?? {};
  const inlineTerms = new Set(Object.keys(inline).map((term) => term.toLowerCase()));
  const merged: GlossaryEntries = {};
  for (const [source, target] of Object.entries(entries)) if (!inlineTerms.has(source.toLowerCase())) merged[source] = target;
  Object.assign(merged, inline);
  const count = Object.keys(merged).length;
  if (count > TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES) {
    throw new AppError('GLOSSARY_TOO_LARGE', `glossary '${id}' and options.glossary together have ${count} entries; the limit is ${TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES}`, {
      details: { limit: TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES, entries: count },
    });
  }
  return { ...request, options: { ...options, glossary: merged } };
}
