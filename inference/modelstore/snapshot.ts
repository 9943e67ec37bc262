import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { blobPath, linkSnapshotFile, markerPath, readRef, snapshotDir, writeFileAtomic, writeRef } from './cache-layout.js';
import { downloadVerifiedBlob, type DownloadEvent, type DownloadOptions } from './download.js';
import { ModelStoreError } from './errors.js';
import { headFile, resolveRevision, type HubOptions } from './hub.js';
import { filesFor, manifestFor, type Quantization } from './manifests.js';

export interface SnapshotRequest {
  repo: string;
  revision: string;
  quantization: Quantization;
  hfHome: string;
}

export interface CompleteSnapshot {
  repo: string;
  revision: string;
  commit: string;
  quantization: Quantization;
  /** snapshots/{commit}: the folder the engine loads. */
  dir: string;
  files: { path: string; etag: string; size: number }[];
}

export type SnapshotEvent =
  | DownloadEvent
  /** Before any transfer: the commit and (`sizes`, always sent by fetchSnapshot) every file with its size, from the Hub's HEAD metadata. */
  | { type: 'resolved'; commit: string; files: number; bytes: number; sizes?: { path: string; size: number }[] };

export interface FetchSnapshotOptions extends HubOptions, Omit<DownloadOptions, 'onEvent' | 'fetch'> {
  onEvent?: ((event: SnapshotEvent) => void) | undefined;
}

/**
 * Downloads the manifest's files of one revision into the HF cache. The revision is resolved to a
 * commit first and every file is requested at that commit, so a branch that moves mid-download cannot
 * mix two versions. The completeness marker is written last: a snapshot without it is never served.
 */
export async function fetchSnapshot(request: SnapshotRequest, options: FetchSnapshotOptions = {}): Promise<CompleteSnapshot> {
  const { repo, revision, quantization, hfHome } = request;
  const wanted = filesFor(manifestFor(repo), quantization);
  const { commit, files: available } = await resolveRevision(repo, revision, options);

  const cached = await readCompleteSnapshot(hfHome, repo, commit, quantization);
  if (cached) {
    await writeRef(hfHome, repo, revision, commit);
    return { ...cached, revision };
  }

  const missing = available.length > 0 ? wanted.filter((path) => !available.includes(path)) : [];
  if (missing.length > 0) {
    throw new ModelStoreError('not_found', `${repo}@${commit} lacks ${missing.join(', ')} (quantization ${quantization})`);
  }

  const remote = [];
  for (const path of wanted) remote.push(await headFile(repo, commit, path, options));
  const mismatched = remote.find((file) => file.commit !== undefined && file.commit !== commit);
  if (mismatched) {
    throw new ModelStoreError('http', `the Hub served ${mismatched.path} from commit ${mismatched.commit}, not ${commit}`);
  }
  options.onEvent?.({
    type: 'resolved',
    commit,
    files: remote.length,
    bytes: remote.reduce((sum, f) => sum + f.size, 0),
    sizes: remote.map(({ path, size }) => ({ path, size })),
  });

  for (const file of remote) {
    await downloadVerifiedBlob(file, blobPath(hfHome, repo, file.etag), { ...options, onEvent: options.onEvent });
    await linkSnapshotFile(hfHome, repo, commit, file.path, file.etag);
  }

  const snapshot: CompleteSnapshot = {
    repo,
    revision,
    commit,
    quantization,
    dir: snapshotDir(hfHome, repo, commit),
    files: remote.map(({ path, etag, size }) => ({ path, etag, size })),
  };
  await writeRef(hfHome, repo, revision, commit);
  await writeFileAtomic(
    markerPath(hfHome, repo, commit, quantization),
    `${JSON.stringify({ ...snapshot, completed_at: new Date().toISOString() }, null, 2)}\n`,
  );
  return snapshot;
}

/**
 * The cached snapshot of a revision, or undefined unless it was completed and every file is still
 * there with its recorded size. Reads only the local disk: safe at serve time.
 */
export async function findCachedSnapshot(
  hfHome: string,
  repo: string,
  revision: string,
  quantization: Quantization,
): Promise<CompleteSnapshot | undefined> {
  const commit = await readRef(hfHome, repo, revision);
  if (!commit) return undefined;
  const snapshot = await readCompleteSnapshot(hfHome, repo, commit, quantization);
  return snapshot && { ...snapshot, revision };
}

async function readCompleteSnapshot(
  hfHome: string,
  repo: string,
  commit: string,
  quantization: Quantization,
): Promise<CompleteSnapshot | undefined> {
  let marker: CompleteSnapshot;
  try {
    marker = JSON.parse(await readFile(markerPath(hfHome, repo, commit, quantization), 'utf8')) as CompleteSnapshot;
  } catch {
    return undefined;
  }
  if (marker.commit !== commit || !Array.isArray(marker.files)) return undefined;
  const recorded = new Set(marker.files.map((file) => file.path));
  if (!filesFor(manifestFor(repo), quantization).every((path) => recorded.has(path))) return undefined;
  const dir = snapshotDir(hfHome, repo, commit);
  for (const file of marker.files) {
    // stat follows the symlink: a missing or truncated blob fails here
    const info = await stat(join(dir, file.path)).catch(() => undefined);
    if (!info || info.size !== file.size) return undefined;
  }
  return { repo, revision: marker.revision, commit, quantization, dir, files: marker.files };
}
