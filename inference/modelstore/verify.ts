import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * The Hub names a file's content by its etag: the sha256 for LFS files (X-Linked-Etag), the git blob
 * oid (sha1 of "blob <size>\0" + bytes) for small files stored in git. Both can be checked locally.
 */
export type EtagKind = 'sha256' | 'git-sha1';

export function etagKind(etag: string): EtagKind | undefined {
  if (/^[0-9a-f]{64}$/.test(etag)) return 'sha256';
  if (/^[0-9a-f]{40}$/.test(etag)) return 'git-sha1';
  return undefined;
}

/** `W/"abc"` or `"abc"` → `abc`, lower-cased. */
export function normalizeEtag(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1').toLowerCase();
  return value === '' ? undefined : value;
}

/** The digest of a file in the etag's scheme, streamed so a 500 MB file is never held in memory. */
export async function digestFile(file: string, kind: EtagKind, size: number): Promise<string> {
  const hash = createHash(kind === 'sha256' ? 'sha256' : 'sha1');
  if (kind === 'git-sha1') hash.update(`blob ${size}\0`);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
