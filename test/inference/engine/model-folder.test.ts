/**
 * Model folder validation: copies of the committed fixture, broken one way each, must fail to load
 * with ONE clear ModelFolderError message naming the problem; a folder with only the merged decoder
 * still works.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { ModelFolderError, TranslationEngine, inspectModelFolder } from '../../../inference/engine/index.js';

const FIXTURE = resolve(import.meta.dirname, '../../../models/tiny');
const tmpRoot = mkdtempSync(join(tmpdir(), 'sema-model-folder-'));
let n = 0;

function copyFixture(): string {
  const dir = join(tmpRoot, `m${n++}`);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

async function loadError(dir: string, options: Parameters<typeof TranslationEngine.load>[1] = {}): Promise<ModelFolderError> {
  let engine: TranslationEngine | undefined;
  try {
    engine = await TranslationEngine.load(dir, { workers: 1, intraOpThreads: 1, ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(ModelFolderError);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('MODEL_UNAVAILABLE');
    return err as ModelFolderError;
  }
  await engine.close();
  throw new Error(`loading ${dir} should have failed`);
}

afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe('model folder validation', () => {
  it('accepts the fixture and prefers the split decoder pair', () => {
    const folder = inspectModelFolder(FIXTURE);
    expect(folder.variant).toBe('split');
    expect(folder.config.modelType).toBe('m2m_100');
    expect(folder.config.decoderLayers).toBeGreaterThan(0);
    expect(Object.keys(folder.graphs).sort()).toEqual(['decoder', 'decoderWithPast', 'encoder']);
  });

  it('a missing folder', async () => {
    const err = await loadError(join(tmpRoot, 'does-not-exist'));
    expect(err.message).toBe(`model folder ${join(tmpRoot, 'does-not-exist')} is not usable: it does not exist or is not a directory`);
  });

  it('a missing encoder file', async () => {
    const dir = copyFixture();
    unlinkSync(join(dir, 'onnx/encoder_model.onnx'));
    const err = await loadError(dir);
    expect(err.message).toBe(`model folder ${dir} is not usable: onnx/encoder_model.onnx is missing`);
  });

  it('no usable decoder at all', async () => {
    const dir = copyFixture();
    unlinkSync(join(dir, 'onnx/decoder_with_past_model.onnx'));
    unlinkSync(join(dir, 'onnx/decoder_model_merged.onnx'));
    const err = await loadError(dir);
    expect(err.message).toContain('no usable decoder: needs onnx/decoder_model.onnx + onnx/decoder_with_past_model.onnx, or onnx/decoder_model_merged.onnx');
  });

  it('a missing tokenizer and a missing config.json are both reported in one message', async () => {
    const dir = copyFixture();
    unlinkSync(join(dir, 'sentencepiece.bpe.model'));
    unlinkSync(join(dir, 'config.json'));
    const err = await loadError(dir);
    expect(err.problems).toEqual(['config.json is missing', 'sentencepiece.bpe.model is missing']);
    expect(err.message).toBe(`model folder ${dir} is not usable: config.json is missing; sentencepiece.bpe.model is missing`);
  });

  it('a config.json that is not NLLB (model_type)', async () => {
    const dir = copyFixture();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'marian' }));
    const err = await loadError(dir);
    expect(err.message).toContain('config.json: model_type is "marian" but must be "m2m_100"');
  });

  it('an ONNX file with the wrong input names (another graph under the encoder\'s name)', async () => {
    const dir = copyFixture();
    copyFileSync(join(dir, 'onnx/decoder_model.onnx'), join(dir, 'onnx/encoder_model.onnx'));
    const err = await loadError(dir);
    expect(err.message).toBe(
      `model folder ${dir} is not usable: onnx/encoder_model.onnx has inputs [encoder_attention_mask, input_ids, encoder_hidden_states] but needs [input_ids, attention_mask]`,
    );
  });

  it('a decoder_with_past graph that is really the no-past decoder', async () => {
    const dir = copyFixture();
    copyFileSync(join(dir, 'onnx/decoder_model.onnx'), join(dir, 'onnx/decoder_with_past_model.onnx'));
    const err = await loadError(dir);
    expect(err.message).toMatch(/^model folder .* is not usable: onnx\/decoder_with_past_model\.onnx has inputs \[encoder_attention_mask, input_ids, encoder_hidden_states\] but needs \[encoder_attention_mask, input_ids, past_key_values\.0\.decoder\.key, /);
  });

  it('an ONNX file that is not a model', async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, 'onnx/decoder_model.onnx'), 'not a protobuf at all');
    const err = await loadError(dir);
    expect(err.message).toMatch(/is not usable: onnx\/decoder_model\.onnx cannot be loaded by onnxruntime \(/);
  });

  it('a corrupt tokenizer file', async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, 'sentencepiece.bpe.model'), Buffer.from('definitely not sentencepiece\n'));
    const err = await loadError(dir);
    expect(err.message).toMatch(new RegExp(`^model folder ${dir} is not usable: sentencepiece\\.bpe\\.model is not usable: not a SentencePiece model \\(`));
  });

  it('a tokenizer that does not match config.json\'s vocabulary', async () => {
    const dir = copyFixture();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, vocab_size: 1100 }));
    const err = await loadError(dir);
    expect(err.message).toContain('so the language tokens and <mask> need ids up to');
    expect(err.message).toContain("config.json says vocab_size 1100");
  });

  it('a folder with only the merged decoder loads and translates exactly like the split pair', async () => {
    const dir = copyFixture();
    unlinkSync(join(dir, 'onnx/decoder_model.onnx'));
    unlinkSync(join(dir, 'onnx/decoder_with_past_model.onnx'));
    expect(inspectModelFolder(dir).variant).toBe('merged');
    const merged = await TranslationEngine.load(dir, { workers: 1, intraOpThreads: 1 });
    const split = await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1 });
    try {
      const texts = ['the child drinks water.', 'the farmers eat rice in the morning.'];
      for (const beamSize of [1, 4]) {
        for (const useCache of [true, false]) {
          const a = await merged.translate(texts, 'eng_Latn', 'swh_Latn', { beamSize, useCache, repetitionGuard: null });
          const b = await split.translate(texts, 'eng_Latn', 'swh_Latn', { beamSize, useCache, repetitionGuard: null });
          expect(a.tokenIds).toEqual(b.tokenIds);
        }
      }
    } finally {
      await merged.close();
      await split.close();
    }
  });
});
