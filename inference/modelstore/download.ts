import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ModelStoreError } from './errors.js';
import type { RemoteFile } from './hub.js';
import { digestFile, etagKind } from './verify.js';

export type DownloadEvent =
  | { type: 'start'; path: string; size: number; resumeFrom: number }
  | { type: 'progress'; path: string; downloaded: number; size: number }
  | { type: 'retry'; path: string; attempt: number; downloaded: number; reason: string }
  | { type: 'verify'; path: string }
  | { type: 'done'; path: string; size: number; cached: boolean };

export interface DownloadOptions {
  fetch?: typeof fetch | undefined;
  onEvent?: ((event: DownloadEvent) => void) | undefined;
  /** Transfers attempted per file before giving up (the partial file stays for the next run). */
  maxAttempts?: number | undefined;
  /** A transfer that receives no byte for this long is aborted and resumed. */
  stallTimeoutMs?: number | undefined;
  /** Pause before a retry, doubled each time. */
  retryDelayMs?: number | undefined;
}

/**
 * Downloads one file into `blob`, resuming from `${blob}.incomplete` with an HTTP Range request, and
 * renames it into place only after its size and digest match the Hub's: a blob in the cache is always a
 * verified one. A digest mismatch deletes the partial file (resuming from bad bytes would never heal).
 */
export async function downloadVerifiedBlob(file: RemoteFile, blob: string, options: DownloadOptions = {}): Promise<void> {
  const emit = options.onEvent ?? (() => {});
  if (await exists(blob)) {
    emit({ type: 'done', path: file.path, size: file.size, cached: true });
    return;
  }
  const kind = etagKind(file.etag);
  if (!kind) throw new ModelStoreError('unverifiable', `cannot verify ${file.path}: unknown checksum format '${file.etag}'`);

  const incomplete = `${blob}.incomplete`;
  await mkdir(dirname(blob), { recursive: true });
  const maxAttempts = options.maxAttempts ?? 5;
  let lastReason = '';
  let started = false;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let have = await sizeOf(incomplete);
    if (have > file.size) {
      await rm(incomplete, { force: true });
      have = 0;
    }
    if (!started) {
      emit({ type: 'start', path: file.path, size: file.size, resumeFrom: have });
      started = true;
    }
    if (have < file.size) {
      try {
        await transfer(file, incomplete, have, options, emit);
      } catch (err) {
        if (err instanceof ModelStoreError) throw err;
        lastReason = describe(err);
      }
      have = await sizeOf(incomplete);
    }
    if (have === file.size) {
      emit({ type: 'verify', path: file.path });
      const digest = await digestFile(incomplete, kind, file.size);
      if (digest !== file.etag) {
        await rm(incomplete, { force: true });
        throw new ModelStoreError(
          'checksum',
          `${file.path}: ${kind} ${digest} does not match the Hub's ${file.etag}; the download was deleted`,
        );
      }
      await rename(incomplete, blob);
      emit({ type: 'done', path: file.path, size: file.size, cached: false });
      return;
    }
    if (have > file.size) {
      await rm(incomplete, { force: true });
      throw new ModelStoreError('size', `${file.path}: received ${have} bytes, the Hub announced ${file.size}; the download was deleted`);
    }
    lastReason ||= `transfer ended at ${have} of ${file.size} bytes`;
    if (attempt < maxAttempts) {
      emit({ type: 'retry', path: file.path, attempt, downloaded: have, reason: lastReason });
      await sleep((options.retryDelayMs ?? 500) * 2 ** (attempt - 1));
      lastReason = '';
    }
  }
  throw new ModelStoreError(
    'interrupted',
    `${file.path}: download failed ${maxAttempts} times (${lastReason}); run again to resume from ${incomplete}`,
  );
}

/** One GET from byte `from`, appended to the partial file. Network failures throw plain errors (retried). */
async function transfer(
  file: RemoteFile,
  incomplete: string,
  from: number,
  options: DownloadOptions,
  emit: (event: DownloadEvent) => void,
): Promise<void> {
  const abort = new AbortController();
  const stallMs = options.stallTimeoutMs ?? 60_000;
  let stall = setTimeout(() => abort.abort(new Error(`no data for ${stallMs} ms`)), stallMs);
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (from > 0) headers.range = `bytes=${from}-`;
  try {
    const res = await (options.fetch ?? fetch)(file.url, { headers, signal: abort.signal });
    let offset = from;
    if (res.status === 416) {
      // the partial file is not a prefix the server recognises: start over
      await res.body?.cancel();
      await rm(incomplete, { force: true });
      return;
    }
    if (res.status === 200) offset = 0; // the server ignored the Range header: rewrite from the start
    else if (res.status === 206) {
      const start = Number(/^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1]);
      if (start !== from) throw new Error(`asked for bytes from ${from}, got a range starting at ${start}`);
    } else if (res.status >= 500 || res.status === 429) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status}`);
    } else {
      await res.body?.cancel();
      throw new ModelStoreError(res.status === 404 ? 'not_found' : 'http', `GET ${file.path} answered ${res.status}`);
    }
    if (!res.body) throw new Error('empty response body');

    const handle = await open(incomplete, offset === 0 ? 'w' : 'a');
    try {
      for await (const chunk of res.body) {
        clearTimeout(stall);
        stall = setTimeout(() => abort.abort(new Error(`no data for ${stallMs} ms`)), stallMs);
        await handle.write(chunk);
        offset += chunk.byteLength;
        emit({ type: 'progress', path: file.path, downloaded: offset, size: file.size });
        if (offset > file.size) break; // more bytes than announced: let the caller refuse the file
      }
    } finally {
      await handle.close();
    }
  } finally {
    clearTimeout(stall);
  }
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? 0;
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
