/**
 * The committed int8 graphs (models/tiny/onnx/*_quantized.onnx) are what the real export has, and an
 * int8 folder broken the ways a bad export breaks (a scale missing, a weight left float) fails at
 * start with the folder message naming the folder, the file and the value.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelFolderError, TranslationEngine } from '../../../inference/engine/index.js';
import { dropInitializer, initializers, int8InitializerAsFloat, ONNX_FLOAT, ONNX_INT8 } from './int8-onnx-edit.js';

const FIXTURE = resolve(import.meta.dirname, '../../../models/tiny');
const GRAPHS = ['encoder_model', 'decoder_model', 'decoder_with_past_model', 'decoder_model_merged'];

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A copy of models/tiny whose `file` (under onnx/) is replaced by `edit` of its bytes. */
function brokenCopy(file: string, edit: (bytes: Buffer) => Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'sema-int8-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const path = join(dir, 'onnx', file);
  writeFileSync(path, edit(readFileSync(path)));
  return dir;
}

async function loadError(dir: string): Promise<ModelFolderError> {
  const err: unknown = await TranslationEngine.load(dir, { workers: 1, intraOpThreads: 1, onnxSuffix: '_quantized' }).then(
    async (engine) => {
      await engine.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelFolderError);
  return err as ModelFolderError;
}

describe('the committed int8 graphs', () => {
  it.each(GRAPHS)('%s_quantized.onnx: int8 weights with float scales and int8 zero points, no float weight matrix left', (graph) => {
    const inits = initializers(readFileSync(join(FIXTURE, 'onnx', `${graph}_quantized.onnx`)));
    const weights = inits.filter((t) => t.name.endsWith('_quantized'));
    expect(weights.length).toBeGreaterThan(0);
    for (const w of weights) {
      const base = w.name.slice(0, -'_quantized'.length);
      expect(w.dataType, w.name).toBe(ONNX_INT8);
      expect(inits.find((t) => t.name === `${base}_scale`)?.dataType, `${base}_scale`).toBe(ONNX_FLOAT);
      // (the embedding's row scales without a zero point where only its Gather reads it: the encoder)
      const zeroPoint = inits.find((t) => t.name === `${base}_zero_point`);
      if (zeroPoint || !base.endsWith('_per_row')) expect(zeroPoint?.dataType, `${base}_zero_point`).toBe(ONNX_INT8);
    }
    // the fp32 weights (onnx::MatMul_*, the embedding) are gone: only the int8 copies remain
    expect(inits.filter((t) => t.name.startsWith('onnx::MatMul_') && !t.name.endsWith('_quantized') && t.dataType === ONNX_FLOAT && !/_(scale|zero_point)$/.test(t.name))).toEqual([]);
    expect(inits.some((t) => t.name === 'm.shared.weight')).toBe(false);
  });
});

describe('a broken int8 folder fails at start with the folder message', () => {
  it('a missing scale initializer: names the folder, the file and the scale', async () => {
    const bytes = readFileSync(join(FIXTURE, 'onnx', 'encoder_model_quantized.onnx'));
    const scale = initializers(bytes).find((t) => t.name.endsWith('_scale'))!.name;
    const dir = brokenCopy('encoder_model_quantized.onnx', (b) => dropInitializer(b, scale));
    const err = await loadError(dir);
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toContain(`model folder ${dir} is not usable: onnx/encoder_model_quantized.onnx cannot be loaded by onnxruntime`);
    expect(err.message).toContain(scale);
  });

  it('a weight that is float where int8 is expected: names the file and the weight', async () => {
    const bytes = readFileSync(join(FIXTURE, 'onnx', 'decoder_with_past_model_quantized.onnx'));
    // a MatMul weight (per column), read by MatMulInteger, which takes no float
    const weight = initializers(bytes).find((t) => t.name.startsWith('onnx::MatMul_') && t.name.endsWith('_quantized'))!.name;
    const dir = brokenCopy('decoder_with_past_model_quantized.onnx', (b) => int8InitializerAsFloat(b, weight));
    const err = await loadError(dir);
    expect(err.message).toContain(`model folder ${dir} is not usable: onnx/decoder_with_past_model_quantized.onnx cannot be loaded by onnxruntime`);
    expect(err.message).toContain(weight);
    expect(err.message).toMatch(/tensor\(float\)/);
  });

  it('a missing int8 graph: names the file, and does not fall back to the fp32 one next to it', async () => {
    const dir = brokenCopy('decoder_with_past_model_quantized.onnx', (b) => b);
    rmSync(join(dir, 'onnx', 'decoder_with_past_model_quantized.onnx'));
    rmSync(join(dir, 'onnx', 'decoder_model_merged_quantized.onnx'));
    const err = await loadError(dir);
    expect(err.message).toContain(`model folder ${dir} is not usable`);
    expect(err.message).toContain('onnx/decoder_with_past_model_quantized.onnx');
  });
});
