/**
 * The model repositories the container knows how to run, and which files of each it needs.
 * Files follow Optimum's ONNX export layout (the same layout as the committed fixture in models/tiny).
 */
export type Quantization = 'int8' | 'fp32';
export const QUANTIZATIONS: readonly Quantization[] = ['int8', 'fp32'];

/** The ONNX graphs the engine loads, by role. */
export interface OnnxFiles {
  encoder: string;
  decoder: string;
  decoderWithPast: string;
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
const optimumOnnx = (suffix: string): OnnxFiles => ({
  encoder: `onnx/encoder_model${suffix}.onnx`,
  decoder: `onnx/decoder_model${suffix}.onnx`,
  decoderWithPast: `onnx/decoder_with_past_model${suffix}.onnx`,
});

export const DEFAULT_MODEL_REPO = 'Xenova/nllb-200-distilled-600M';

export const MODEL_MANIFESTS: Readonly<Record<string, ModelManifest>> = {
  [DEFAULT_MODEL_REPO]: {
    repo: DEFAULT_MODEL_REPO,
    defaultRevision: 'main',
    commonFiles: TOKENIZER_AND_CONFIG,
    onnx: { int8: optimumOnnx('_quantized'), fp32: optimumOnnx('') },
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
      onnx: { int8: optimumOnnx('_quantized'), fp32: optimumOnnx('') },
    }
  );
}

/** Every file to download for one quantization, in download order (small files first). */
export function filesFor(manifest: ModelManifest, quantization: Quantization): string[] {
  const onnx = manifest.onnx[quantization];
  return [...manifest.commonFiles, onnx.encoder, onnx.decoder, onnx.decoderWithPast];
}
