/**
 * npm run models:fetch -- [--repo org/name] [--revision rev] [--quantization int8|fp32] [--hf-home dir] [--hub-url url]
 *
 * Downloads a pinned NLLB-200 ONNX export into the Hugging Face cache the server reads (HF_HOME), with
 * a progress bar, resume of interrupted files and sha256 verification; every file's size is printed
 * before the download starts. Flags override the same
 * settings from the environment (MODEL_REPO, MODEL_REVISION, MODEL_QUANTIZATION, HF_HOME, HF_ENDPOINT).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { ModelStoreError } from '../modelstore/errors.js';
import { createProgressReporter, formatBytes } from '../modelstore/progress.js';
import { fetchSnapshot } from '../modelstore/snapshot.js';
import { downloadPlan } from './fetch-plan.js';

const USAGE = `usage: npm run models:fetch -- [options]

  --repo <org/name>          Hugging Face repo (MODEL_REPO; default Xenova/nllb-200-distilled-600M)
  --revision <rev>           branch, tag or commit (MODEL_REVISION; default main)
  --quantization <q>         int8 or fp32 (MODEL_QUANTIZATION; default int8)
  --hf-home <dir>            cache root (HF_HOME; default /data/.huggingface or ~/.cache/huggingface)
  --hub-url <url>            Hub endpoint (HF_ENDPOINT; default https://huggingface.co)
  -h, --help                 this text
`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        repo: { type: 'string' },
        revision: { type: 'string' },
        quantization: { type: 'string' },
        'hf-home': { type: 'string' },
        'hub-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  // flags go through the same validation as the environment, so both fail with the same messages
  const env = { ...process.env };
  const flags: Record<string, string | undefined> = {
    MODEL_REPO: args.repo,
    MODEL_REVISION: args.revision,
    MODEL_QUANTIZATION: args.quantization,
    HF_HOME: args['hf-home'],
    HF_ENDPOINT: args['hub-url'],
  };
  for (const [name, value] of Object.entries(flags)) if (value !== undefined) env[name] = value;

  let model;
  try {
    model = loadConfig(env).model;
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    return 2;
  }

  const out = process.stdout;
  out.write(`fetching ${model.repo}@${model.revision} (${model.quantization}) into ${model.hfHome}\n`);
  const started = performance.now();
  const progress = createProgressReporter({ write: (text) => out.write(text), isTTY: out.isTTY === true, columns: out.columns });
  try {
    const snapshot = await fetchSnapshot(
      { repo: model.repo, revision: model.revision, quantization: model.quantization, hfHome: model.hfHome },
      {
        hubUrl: model.hubUrl,
        onEvent: (event) => {
          progress(event);
          if (event.type === 'resolved' && event.sizes) out.write(downloadPlan(event.sizes));
        },
      },
    );
    const bytes = snapshot.files.reduce((sum, file) => sum + file.size, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    out.write(
      `${out.isTTY ? '\n' : ''}ready: ${snapshot.repo}@${snapshot.commit} (${snapshot.files.length} files, ${formatBytes(bytes)}, ${seconds} s)\n` +
        `  ${snapshot.dir}\n` +
        `the server finds it with HF_HOME=${model.hfHome} MODEL_REPO=${model.repo} MODEL_REVISION=${snapshot.commit}\n`,
    );
    return 0;
  } catch (err) {
    const message = err instanceof ModelStoreError ? `${err.kind}: ${err.message}` : String(err);
    process.stderr.write(`${out.isTTY ? '\n' : ''}models:fetch failed: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main();
