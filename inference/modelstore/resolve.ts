import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { ModelStoreError } from './errors.js';
import { manifestFor, onnxFileName, type OnnxFiles, type Quantization } from './manifests.js';
import { fetchSnapshot, findCachedSnapshot, type FetchSnapshotOptions } from './snapshot.js';

export type ModelSource = 'MODEL_DIR' | 'cache' | 'download' | 'fixture';

export interface ResolvedModel {
  /** Folder in Optimum's ONNX layout. */
  dir: string;
  /** What responses report as `model`: the repo id, the folder name for MODEL_DIR, or FIXTURE_MODEL_ID. */
  id: string;
  /** A commit hash for Hub models; 'local' for MODEL_DIR; `fixture-<hash>` for the fixture. */
  revision: string;
  fixture: boolean;
  source: ModelSource;
  /** The ONNX files the engine loads, relative to `dir`. */
  onnx: OnnxFiles;
  /** Why the fixture is served (set when `fixture` is true); say it loudly. */
  reason?: string;
}

export const FIXTURE_MODEL_ID = 'sema-tiny-fixture';
/** The committed fixture (models/tiny), located from this file so any working directory works. */
export const FIXTURE_DIR = fileURLToPath(new URL('../../models/tiny/', import.meta.url));

const FP32_ONNX = manifestFor('').onnx.fp32;
const TOKENIZER_FILES = ['config.json', 'tokenizer.json', 'sentencepiece.bpe.model'];

export interface ResolveModelOptions extends Pick<FetchSnapshotOptions, 'fetch' | 'onEvent' | 'maxAttempts' | 'stallTimeoutMs' | 'retryDelayMs'> {
  /** Overrides FIXTURE_DIR (tests). */
  fixtureDir?: string;
}

/**
 * Which model to serve, in order: MODEL_DIR (an operator's folder; an invalid one is an error, not a
 * silent fallback) → a complete snapshot in the HF cache → a download, only when MODEL_AUTO_DOWNLOAD=true
 * → the committed fixture, with the reason. Without MODEL_AUTO_DOWNLOAD it never touches the network.
 */
export async function resolveModel(config: Pick<Config, 'model'>, options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  const { dir, repo, revision, quantization, hfHome, autoDownload, hubUrl } = config.model;
  if (dir !== undefined) return localModel(dir, quantization);

  const cached = await findCachedSnapshot(hfHome, repo, revision, quantization);
  if (cached) return hubModel(cached.dir, repo, cached.commit, quantization, 'cache');

  let reason = `${repo}@${revision} (${quantization}) is not in the model cache ${hfHome}; run \`npm run models:fetch\` or set MODEL_AUTO_DOWNLOAD=true`;
  if (autoDownload) {
    try {
      const snapshot = await fetchSnapshot({ repo, revision, quantization, hfHome }, { ...options, hubUrl });
      return hubModel(snapshot.dir, repo, snapshot.commit, quantization, 'download');
    } catch (err) {
      reason = `downloading ${repo}@${revision} failed: ${(err as Error).message}`;
    }
  }
  return fixtureModel(options.fixtureDir ?? FIXTURE_DIR, reason);
}

function hubModel(dir: string, repo: string, commit: string, quantization: Quantization, source: ModelSource): ResolvedModel {
  const onnx = manifestFor(repo).onnx[quantization];
  return { dir, id: repo, revision: commit, fixture: false, source, onnx };
}

/** MODEL_DIR: the configured quantization's files (findOnnxFiles says when fp32 stands in for int8). */
async function localModel(dir: string, quantization: Quantization): Promise<ResolvedModel> {
  const onnx = await findOnnxFiles(dir, quantization);
  return { dir, id: basename(dir), revision: 'local', fixture: false, source: 'MODEL_DIR', onnx };
}

async function fixtureModel(dir: string, reason: string): Promise<ResolvedModel> {
  const onnx = await findOnnxFiles(dir, 'fp32').catch((err: Error) => {
    throw new ModelStoreError('invalid_model', `no model to serve: ${reason}; and the fixture is unusable: ${err.message}`, { cause: err });
  });
  const revision = await fixtureRevision(dir, onnx);
  return { dir, id: FIXTURE_MODEL_ID, revision, fixture: true, source: 'fixture', onnx, reason };
}

/**
 * The graphs of a local folder for the configured quantization. int8 reads the `_quantized` files;
 * a folder with no `_quantized` graph at all (an fp32-only export) serves its fp32 files instead, but
 * a folder with some of them must have the whole int8 set: a missing int8 graph is an error naming
 * it, never a silent mix or switch to fp32.
 */
async function findOnnxFiles(dir: string, quantization: Quantization): Promise<OnnxFiles> {
  if (quantization === 'fp32') return requireOnnxFiles(dir, FP32_ONNX, quantization);
  const int8 = manifestFor('').onnx[quantization];
  const int8Graphs = [int8.encoder, int8.decoder, int8.decoderWithPast, onnxFileName('decoderMerged', int8.suffix)];
  const anyInt8 = (await Promise.all(int8Graphs.map((file) => isFile(join(dir, file))))).some(Boolean);
  return anyInt8 ? requireOnnxFiles(dir, int8, quantization) : requireOnnxFiles(dir, FP32_ONNX, quantization, int8);
}

async function requireOnnxFiles(dir: string, onnx: OnnxFiles, quantization: Quantization, preferred?: OnnxFiles): Promise<OnnxFiles> {
  const needed = [...TOKENIZER_FILES, onnx.encoder, onnx.decoder, onnx.decoderWithPast];
  const present = await Promise.all(needed.map((file) => isFile(join(dir, file))));
  const missing = needed.filter((_, i) => !present[i]);
  if (missing.length === 0) return onnx;
  // Name the files of the quantization that was asked for, not those of the fallback.
  const missingGraph = missing.some((f) => f.startsWith('onnx/'));
  const reported =
    preferred && missingGraph ? [...missing.filter((f) => !f.startsWith('onnx/')), preferred.encoder, preferred.decoder, preferred.decoderWithPast] : missing;
  throw new ModelStoreError('invalid_model', `${dir} is not an NLLB ONNX model folder for MODEL_QUANTIZATION=${quantization}: missing ${reported.join(', ')}`);
}

/** A content hash, so translations cached by the edge under the fixture are dropped when it is rebuilt. */
async function fixtureRevision(dir: string, onnx: OnnxFiles): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [onnx.encoder, onnx.decoder, onnx.decoderWithPast, 'sentencepiece.bpe.model']) {
    hash.update(await readFile(join(dir, file)));
  }
  return `fixture-${hash.digest('hex').slice(0, 12)}`;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
