import { Unzip, UnzipInflate, unzipSync, zipSync, type UnzipFileInfo, type Zippable } from 'fflate';
import { concatBytes } from '../bytes.js';
import { AppError } from '../errors.js';
import { documentTooLarge, invalidDocument } from './errors.js';
import { centralDirectoryFlags } from './zip-flags.js';

/** One entry of a zip container: its name, its uncompressed bytes, and how it was stored (0 stored, 8 deflate). */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
  compression: number;
}

export interface ZipLimits {
  MAX_ZIP_ENTRIES: number;
  MAX_ZIP_ENTRY_BYTES: number;
  MAX_ZIP_TOTAL_BYTES: number;
}

/** Compressed bytes handed to the inflater at a time: what one step can expand is bounded by this × 1032. */
const PUSH_BYTES = 4 * 1024;

/** An entry name for a message: quoted, and short (a corrupt header can make a name of anything). */
function label(name: string): string {
  return JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name);
}

class Stop extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/**
 * The central directory as fflate reads it, nothing inflated yet: every entry's declared sizes are
 * checked against the limits before a single byte is expanded.
 */
function declaredEntries(bytes: Uint8Array, limits: ZipLimits): UnzipFileInfo[] {
  const entries: UnzipFileInfo[] = [];
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (info) => {
        entries.push(info);
        total += info.originalSize;
        if (entries.length > limits.MAX_ZIP_ENTRIES) {
          throw new Stop(documentTooLarge(`the archive has more than ${limits.MAX_ZIP_ENTRIES} entries`, { limit: limits.MAX_ZIP_ENTRIES }));
        }
        if (info.originalSize > limits.MAX_ZIP_ENTRY_BYTES) {
          throw new Stop(documentTooLarge(`the archive entry ${label(info.name)} expands to ${info.originalSize} bytes; the limit is ${limits.MAX_ZIP_ENTRY_BYTES}`, { limit: limits.MAX_ZIP_ENTRY_BYTES }));
        }
        if (total > limits.MAX_ZIP_TOTAL_BYTES) {
          throw new Stop(documentTooLarge(`the archive expands to more than ${limits.MAX_ZIP_TOTAL_BYTES} bytes`, { limit: limits.MAX_ZIP_TOTAL_BYTES }));
        }
        if (info.compression !== 0 && info.compression !== 8) {
          throw new Stop(invalidDocument(`the archive entry ${label(info.name)} uses compression method ${info.compression}; only stored and deflate are supported`));
        }
        return false;
      },
    });
  } catch (err) {
    if (err instanceof Stop) throw err.error;
    throw invalidDocument('the file is not a valid zip archive');
  }
  return entries;
}

/**
 * The entries of a zip container, in archive order, read by fflate with every bound enforced:
 * 1. the central directory (entry count, declared sizes, methods) before inflating anything;
 * 2. no encrypted entry (zip-flags.ts), no ZIP64, no duplicate name;
 * 3. inflation streamed in small steps, each entry stopped as soon as it grows past its declared size
 *    (a lying header cannot expand further than the limit allows), and required to match it exactly.
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits): ZipEntry[] {
  const declared = declaredEntries(bytes, limits);
  const flags = centralDirectoryFlags(bytes);
  if (!flags.ok) throw invalidDocument('the file is not a valid zip archive');
  if (flags.zip64) throw invalidDocument('ZIP64 archives are not supported');
  if (flags.encrypted > 0) throw invalidDocument('the archive is encrypted (password-protected); send the file without a password');
  if (declared.length === 0) throw invalidDocument('the archive is empty');
  const byName = new Map<string, UnzipFileInfo>();
  for (const info of declared) {
    if (byName.has(info.name)) throw invalidDocument(`the archive lists ${label(info.name)} twice`);
    byName.set(info.name, info);
  }

  const data = new Map<string, Uint8Array>();
  const unzip = new Unzip((file) => {
    const info = byName.get(file.name);
    if (info === undefined || data.has(file.name)) throw new Stop(invalidDocument(`the archive's entry ${label(file.name)} is not in its central directory`));
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, chunk, final) => {
      if (error) throw new Stop(invalidDocument(`the archive entry ${label(file.name)} is corrupt`));
      size += chunk.length;
      if (size > info.originalSize) throw new Stop(invalidDocument(`the archive entry ${label(file.name)} expands past its declared size`));
      chunks.push(chunk);
      if (final) data.set(file.name, concat(chunks, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length; at += PUSH_BYTES) unzip.push(bytes.subarray(at, at + PUSH_BYTES), at + PUSH_BYTES >= bytes.length);
  } catch (err) {
    if (err instanceof Stop) throw err.error;
    throw invalidDocument('the file is not a valid zip archive');
  }
  return declared.map((info) => {
    const entry = data.get(info.name);
    if (entry === undefined || entry.length !== info.originalSize) {
      throw invalidDocument(`the archive entry ${label(info.name)} is truncated or corrupt`);
    }
    return { name: info.name, data: entry, compression: info.compression };
  });
}

/** An entry inflated in one chunk is that chunk; more are copied together. */
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks, size);
}

/**
 * A zip container with the same entries in the same order, each stored the way it was (so an EPUB's
 * leading `mimetype` stays uncompressed and first).
 */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const entry of entries) files[entry.name] = [entry.data, { level: entry.compression === 0 ? 0 : 6 }];
  return zipSync(files);
}
