import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadPlan } from '../../../inference/cli/fetch-plan.js';
import { formatBytes } from '../../../inference/modelstore/progress.js';
import { startFakeHub, type FakeFile, type FakeHub } from '../../support/fake-hub.js';
import { COMMIT_A, REPO, repoFiles, tempHfHome } from '../modelstore/fixtures.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let hub: FakeHub;
let files: FakeFile[];
let hfHome: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  files = await repoFiles();
  hub = await startFakeHub([{ repo: REPO, commits: { [COMMIT_A]: files }, refs: { main: COMMIT_A } }]);
  ({ dir: hfHome, cleanup } = await tempHfHome());
});

afterEach(async () => {
  await hub.close();
  await cleanup();
});

describe('npm run models:fetch', () => {
  it("prints every file's size (from the Hub's HEAD metadata) before the first download starts", async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'inference/cli/fetch-model.ts', '--hub-url', hub.url, '--hf-home', hfHome], {
      cwd: ROOT,
      env: { ...process.env, MODEL_REPO: '', MODEL_REVISION: '', MODEL_QUANTIZATION: '', HF_ENDPOINT: '' },
      timeout: 60_000,
    });
    const lines = stdout.split('\n');
    const firstDownload = lines.findIndex((line) => line.startsWith('downloading '));
    expect(firstDownload).toBeGreaterThan(0);
    for (const file of files) {
      const listed = lines.findIndex((line) => line.trim() === `${formatBytes(file.content.length)}  ${file.path}`);
      expect(listed, file.path).toBeGreaterThanOrEqual(0);
      expect(listed).toBeLessThan(firstDownload);
    }
    const total = files.reduce((sum, file) => sum + file.content.length, 0);
    expect(lines.slice(0, firstDownload).some((line) => line.trim() === `${formatBytes(total)}  total (${files.length} files)`)).toBe(true);
    expect(stdout).toContain(`ready: ${REPO}@${COMMIT_A}`);
    // the sizes came from HEAD requests, before any byte was fetched from the CDN
    const firstCdnGet = hub.requests.findIndex((request) => request.method === 'GET' && request.path.startsWith('/cdn/'));
    const heads = hub.requests.map((request, index) => ({ request, index })).filter(({ request }) => request.method === 'HEAD');
    expect(heads).toHaveLength(files.length);
    expect(heads.every(({ index }) => index < firstCdnGet)).toBe(true);
  });
});

describe('downloadPlan', () => {
  it('lists the files largest first, aligned, with the total', () => {
    const plan = downloadPlan([
      { path: 'config.json', size: 1_200 },
      { path: 'onnx/encoder_model_quantized.onnx', size: 419_000_000 },
      { path: 'onnx/decoder_model_quantized.onnx', size: 471_000_000 },
    ]);
    expect(plan.split('\n')).toEqual([
      '  471.0 MB  onnx/decoder_model_quantized.onnx',
      '  419.0 MB  onnx/encoder_model_quantized.onnx',
      '    1.2 KB  config.json',
      '  --------',
      '  890.0 MB  total (3 files)',
      '',
    ]);
  });
});
