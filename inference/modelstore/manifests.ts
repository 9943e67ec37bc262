/**
 * The model repositories the container knows how to run, and which files of each it needs.
 * Files follow Optimum's ONNX export layout (the same layout as the committed fixture in models/tiny).
 */
export type Quantization = 'int8' | 'fp32';
export const QUANTIZATIONS: readonly Quantization[] = ['int8', 'fp32'];

/** File-name suffix of Optimum's ONNX graphs per quantization: `encoder_model_quantized.onnx` is int8. */
export const ONNX_SUFFIXES = { int8: '_quantized', fp32: '' } as const satisfies Record<Quantization, string>;
export type OnnxSuffix = (typeof ONNX_SUFFIXES)[Quantization];

/** Base names of Optimum's NLLB graphs, by role (the engine may load the merged decoder instead of the pair). */
export const ONNX_GRAPHS = {
  encoder: 'encoder_model',
  decoder: 'decoder_model',
  decoderWithPast: 'decoder_with_past_model',
  decoderMerged: 'decoder_model_merged',
} as const;
export type OnnxGraph = keyof typeof ONNX_GRAPHS;

/** The one place ONNX files are named: `onnx/<base><suffix>.onnx`, relative to the model folder. */
export function onnxFileName(graph: OnnxGraph, suffix: OnnxSuffix): string {
  return `onnx/${ONNX_GRAPHS[graph]}${suffix}.onnx`;
}

/** The ONNX graphs the engine loads, by role, and the suffix their names carry. */
export interface OnnxFiles {
  encoder: string;
  decoder: string;
  decoderWithPast: string;
  suffix: OnnxSuffix;
}

export interface ModelManifest {
  repo: string;
  /**
   * The revision downloaded when MODEL_REVISION is unset. A branch name until a commit hash has been
   * checked against the Hub (this repository was written offline); the cache records the commit that
   * the branch resolved to, and that commit is what the server reports.
   */
  defaultRevision: string;
  /** Tokenizer and configuration files, needed whatever the quantization. */
  commonFiles: readonly string[];
  onnx: Readonly<Record<Quantization, OnnxFiles>>;
}

const TOKENIZER_AND_CONFIG = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'sentencepiece.bpe.model',
] as const;

/**
 * The split decoder pair (no past / with past) rather than decoder_model_merged: the merged graph's If
 * node costs time at every step, and downloading both would add ~476 MB (int8) for nothing.
 */
function optimumOnnx(quantization: Quantization): OnnxFiles {
  const suffix = ONNX_SUFFIXES[quantization];
  return {
    encoder: onnxFileName('encoder', suffix),
    decoder: onnxFileName('decoder', suffix),
    decoderWithPast: onnxFileName('decoderWithPast', suffix),
    suffix,
  };
}

const OPTIMUM_ONNX: Readonly<Record<Quantization, OnnxFiles>> = { int8: optimumOnnx('int8'), fp32: optimumOnnx('fp32') };

export const DEFAULT_MODEL_REPO = 'Xenova/nllb-200-distilled-600M';

export const MODEL_MANIFESTS: Readonly<Record<string, ModelManifest>> = {
  [DEFAULT_MODEL_REPO]: {
    repo: DEFAULT_MODEL_REPO,
    defaultRevision: 'main',
    commonFiles: TOKENIZER_AND_CONFIG,
    onnx: OPTIMUM_ONNX,
  },
};

/**
 * The manifest of a repo. Unknown repos are assumed to be Optimum exports of another NLLB-200 size
 * (e.g. Xenova/nllb-200-distilled-1.3B) with the same file names, so larger models need no code change.
 */
export function manifestFor(repo: string): ModelManifest {
  return (
    MODEL_MANIFESTS[repo] ?? {
      repo,
      defaultRevision: 'main',
      commonFiles: TOKENIZER_AND_CONFIG,
      onnx: OPTIMUM_ONNX,
    }
  );
}

/** Every file to download for one quantization, in download order (small files first). */
export function filesFor(manifest: ModelManifest, quantization: Quantization): string[] {
  const onnx = manifest.onnx[quantization];
  return [...manifest.commonFiles, onnx.encoder, onnx.decoder, onnx.decoderWithPast];
}
