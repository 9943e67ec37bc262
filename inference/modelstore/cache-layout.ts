import { mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Quantization } from './manifests.js';

/**
 * The Hugging Face hub cache layout, so `huggingface-cli`, transformers.js and Python's huggingface_hub
 * all see the same files:
 *   $HF_HOME/hub/models--{org}--{name}/blobs/{etag}           the verified bytes (etag = sha256 or git oid)
 *   $HF_HOME/hub/models--{org}--{name}/snapshots/{commit}/{path} → relative symlink to the blob
 *   $HF_HOME/hub/models--{org}--{name}/refs/{branch}          the commit the branch resolved to
 * plus our own completeness marker, outside `snapshots/` so the other tools do not list it as a file:
 *   $HF_HOME/hub/models--{org}--{name}/.sema/{commit}.{quantization}.complete.json
 */
export const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function hubCacheDir(hfHome: string): string {
  return join(hfHome, 'hub');
}

export function repoCacheDir(hfHome: string, repo: string): string {
  return join(hubCacheDir(hfHome), `models--${repo.split('/').join('--')}`);
}

export function blobPath(hfHome: string, repo: string, etag: string): string {
  return join(repoCacheDir(hfHome, repo), 'blobs', etag);
}

export function snapshotDir(hfHome: string, repo: string, commit: string): string {
  return join(repoCacheDir(hfHome, repo), 'snapshots', commit);
}

function refPath(hfHome: string, repo: string, ref: string): string {
  return join(repoCacheDir(hfHome, repo), 'refs', ref);
}

export function markerPath(hfHome: string, repo: string, commit: string, quantization: Quantization): string {
  return join(repoCacheDir(hfHome, repo), '.sema', `${commit}.${quantization}.complete.json`);
}

/** The commit a revision names in the cache: itself when it is a commit hash, else what refs/ recorded. */
export async function readRef(hfHome: string, repo: string, revision: string): Promise<string | undefined> {
  if (COMMIT_HASH.test(revision)) return revision;
  try {
    const commit = (await readFile(refPath(hfHome, repo, revision), 'utf8')).trim();
    return COMMIT_HASH.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRef(hfHome: string, repo: string, revision: string, commit: string): Promise<void> {
  if (COMMIT_HASH.test(revision)) return; // a commit is its own ref
  await writeFileAtomic(refPath(hfHome, repo, revision), commit);
}

/** Points snapshots/{commit}/{path} at the blob with a relative symlink, replacing any older link atomically. */
export async function linkSnapshotFile(hfHome: string, repo: string, commit: string, path: string, etag: string): Promise<string> {
  const link = join(snapshotDir(hfHome, repo, commit), path);
  const target = relative(dirname(link), blobPath(hfHome, repo, etag));
  await mkdir(dirname(link), { recursive: true });
  const current = await readlink(link).catch(() => undefined);
  if (current === target) return link;
  const temp = `${link}.${process.pid}.tmp`;
  await rm(temp, { force: true });
  await symlink(target, temp);
  await rename(temp, link);
  return link;
}

/** Write-then-rename: a reader sees the old file or the new one, never half of one. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}
