import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_DIR, FIXTURE_MODEL_ID, resolveModel } from '../../../inference/modelstore/index.js';
import { startFakeHub, type FakeHub } from '../../support/fake-hub.js';
import { COMMIT_A, REPO, TINY, modelConfig, repoFiles, tempHfHome } from './fixtures.js';

let hub: FakeHub;
let hfHome: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  hub = await startFakeHub([{ repo: REPO, commits: { [COMMIT_A]: await repoFiles() }, refs: { main: COMMIT_A } }]);
  ({ dir: hfHome, cleanup } = await tempHfHome());
});

afterEach(async () => {
  await hub.close();
  await cleanup();
});

describe('resolveModel', () => {
  it('serves the committed fixture, with the reason, when nothing is cached and never touches the network', async () => {
    const model = await resolveModel(modelConfig(hfHome, hub.url));
    expect(model).toMatchObject({ source: 'fixture', fixture: true, id: FIXTURE_MODEL_ID, dir: FIXTURE_DIR });
    expect(model.revision).toMatch(/^fixture-[0-9a-f]{12}$/);
    expect(model.onnx.encoder).toBe('onnx/encoder_model.onnx');
    expect(model.reason).toMatch(/not in the model cache.*models:fetch/);
    expect(hub.requests).toEqual([]);
  });

  it('downloads at start-up only with MODEL_AUTO_DOWNLOAD=true, then finds the cache', async () => {
    const downloaded = await resolveModel(modelConfig(hfHome, hub.url, { autoDownload: true }));
    expect(downloaded).toMatchObject({ source: 'download', fixture: false, id: REPO, revision: COMMIT_A });
    expect(downloaded.onnx.encoder).toBe('onnx/encoder_model_quantized.onnx');
    expect(downloaded.onnx.suffix).toBe('_quantized');
    const requests = hub.requests.length;
    expect(await resolveModel(modelConfig(hfHome, hub.url))).toMatchObject({ source: 'cache', revision: COMMIT_A, dir: downloaded.dir });
    expect(hub.requests.length).toBe(requests);
  });

  it('falls back to the fixture when the Hub is unreachable', async () => {
    await hub.close();
    const model = await resolveModel(modelConfig(hfHome, hub.url, { autoDownload: true }));
    expect(model.source).toBe('fixture');
    expect(model.reason).toMatch(/cannot reach the Hub/);
  });

  it('uses MODEL_DIR as it is, and refuses a folder that is not a model', async () => {
    expect(await resolveModel(modelConfig(hfHome, hub.url, { dir: TINY }))).toMatchObject({
      source: 'MODEL_DIR',
      fixture: false,
      revision: 'local',
      onnx: { encoder: 'onnx/encoder_model_quantized.onnx', suffix: '_quantized' },
    });
    expect(await resolveModel(modelConfig(hfHome, hub.url, { dir: TINY, quantization: 'fp32' }))).toMatchObject({
      onnx: { encoder: 'onnx/encoder_model.onnx', suffix: '' },
    });
    const empty = join(hfHome, 'not-a-model');
    await mkdir(empty);
    await writeFile(join(empty, 'config.json'), '{}');
    await expect(resolveModel(modelConfig(hfHome, hub.url, { dir: empty }))).rejects.toMatchObject({
      kind: 'invalid_model',
      message: expect.stringMatching(/missing tokenizer\.json, sentencepiece\.bpe\.model, onnx\/encoder_model_quantized\.onnx/),
    });
  });

  describe('MODEL_DIR with MODEL_QUANTIZATION=int8', () => {
    const copyOfTiny = async (without: string[]) => {
      const dir = join(hfHome, 'model');
      await cp(TINY, dir, { recursive: true });
      for (const file of without) await rm(join(dir, file));
      return dir;
    };
    const INT8_GRAPHS = ['encoder_model', 'decoder_model', 'decoder_with_past_model', 'decoder_model_merged'].map((g) => `onnx/${g}_quantized.onnx`);

    it('an fp32-only folder (no _quantized graph at all) serves its fp32 graphs', async () => {
      const dir = await copyOfTiny(INT8_GRAPHS);
      expect((await resolveModel(modelConfig(hfHome, hub.url, { dir }))).onnx).toMatchObject({ encoder: 'onnx/encoder_model.onnx', suffix: '' });
    });

    it('a folder with part of the int8 set is refused, naming the missing int8 graph, not served in fp32', async () => {
      const dir = await copyOfTiny(['onnx/decoder_with_past_model_quantized.onnx']);
      await expect(resolveModel(modelConfig(hfHome, hub.url, { dir }))).rejects.toMatchObject({
        kind: 'invalid_model',
        message: `${dir} is not an NLLB ONNX model folder for MODEL_QUANTIZATION=int8: missing onnx/decoder_with_past_model_quantized.onnx`,
      });
    });
  });
});
