/**
 * The container process serves an int8 folder over HTTP with MODEL_QUANTIZATION=int8, and refuses
 * to start on a broken one with the folder message. The folder holds only the `_quantized` graphs
 * (as a default int8 download does), so nothing but int8 can be what answers.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TranslationResultSchema } from '../../../shared/contract/index.js';
import { emptyHfHome, freePort, runTs, waitForOk, type RunningProcess } from '../../support/process.js';
import { dropInitializer, initializers } from './int8-onnx-edit.js';

const FIXTURE = resolve(import.meta.dirname, '../../../models/tiny');
const FP32_GRAPHS = ['encoder_model', 'decoder_model', 'decoder_with_past_model', 'decoder_model_merged'].map((g) => `onnx/${g}.onnx`);

interface CorpusRow {
  kind: string;
  src_lang: string;
  tgt_lang: string;
  text: string;
  reference: string;
}
const corpus = (JSON.parse(readFileSync(join(FIXTURE, 'corpus_sample.json'), 'utf8')) as { rows: CorpusRow[] }).rows;

let proc: RunningProcess | undefined;
let dirs: string[] = [];
afterEach(() => {
  if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
  proc = undefined;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** models/tiny without its fp32 graphs. */
function int8OnlyFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sema-int8-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  for (const file of FP32_GRAPHS) rmSync(join(dir, file));
  return dir;
}

const env = (port: number, dir: string) => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  HF_HOME: emptyHfHome(),
  REVISION_CHECK_INTERVAL_MS: '0',
  ENGINE_WORKERS: '1',
  ENGINE_INTRA_OP_THREADS: '1',
  MODEL_DIR: dir,
  MODEL_QUANTIZATION: 'int8',
});

describe('the container on an int8 folder', () => {
  it('serves translations over HTTP from the _quantized graphs', async () => {
    const port = await freePort();
    proc = runTs('inference/server.ts', env(port, int8OnlyFolder()));
    await waitForOk(`http://127.0.0.1:${port}/health`, proc);
    // one sentence of each direction from the corpus sample: int8 keeps the fixture's translations
    const rows = [...new Map(corpus.filter((r) => r.kind === 'template').map((r) => [`${r.src_lang}>${r.tgt_lang}`, r])).values()];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/translate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: row.text, source_language: row.src_lang, target_language: row.tgt_lang }),
      });
      expect(res.status).toBe(200);
      const body = TranslationResultSchema.parse(await res.json());
      expect(body.translated_text).toBe(row.reference);
      expect(body.model).not.toMatch(/FIXTURE/); // MODEL_DIR, not the fallback fixture
    }
  });

  it('refuses to start on an int8 folder with a scale missing, with the folder message', async () => {
    const dir = int8OnlyFolder();
    const path = join(dir, 'onnx', 'decoder_model_quantized.onnx');
    const bytes = readFileSync(path);
    const scale = initializers(bytes).find((t) => t.name.endsWith('_scale'))!.name;
    writeFileSync(path, dropInitializer(bytes, scale));
    proc = runTs('inference/server.ts', env(await freePort(), dir));
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain(`model folder ${dir} is not usable: onnx/decoder_model_quantized.onnx cannot be loaded by onnxruntime`);
    expect(proc.output()).toContain(scale);
    expect(proc.output()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
