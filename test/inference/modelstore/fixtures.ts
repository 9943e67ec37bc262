import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../../inference/config.js';
import { DEFAULT_MODEL_REPO, filesFor, manifestFor } from '../../../inference/modelstore/index.js';
import { fakeCommit, type FakeFile } from '../../support/fake-hub.js';

export const REPO = DEFAULT_MODEL_REPO;
export const TINY = fileURLToPath(new URL('../../../models/tiny/', import.meta.url));
export const COMMIT_A = fakeCommit('a');
export const COMMIT_B = fakeCommit('b');
export const ENCODER = manifestFor(REPO).onnx.int8.encoder;
export const DECODER = manifestFor(REPO).onnx.int8.decoder;

/**
 * The int8 file list of the real repo, filled with the committed fixture's bytes (its own int8
 * `_quantized` graphs): real files of realistic shape, small enough for a test.
 * `variant` changes the ONNX bytes so two commits differ.
 */
export async function repoFiles(variant = ''): Promise<FakeFile[]> {
  const files: FakeFile[] = [];
  for (const path of filesFor(manifestFor(REPO), 'int8')) {
    let content = await readFile(join(TINY, path));
    if (variant && path.startsWith('onnx/')) content = Buffer.concat([content, Buffer.from(variant)]);
    // as on the Hub: ONNX graphs and the SentencePiece model are LFS files, the JSON files are in git
    files.push({ path, content, lfs: path.endsWith('.onnx') || path.endsWith('.model') });
  }
  return files;
}

export async function tempHfHome(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sema-hf-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function modelConfig(hfHome: string, hubUrl: string, overrides: Partial<Config['model']> = {}): Pick<Config, 'model'> {
  return {
    model: {
      dir: undefined,
      repo: REPO,
      revision: 'main',
      quantization: 'int8',
      autoDownload: false,
      hfHome,
      hubUrl,
      revisionCheckIntervalMs: 0,
      ...overrides,
    },
  };
}
