/**
 * Validation of an NLLB-200 model folder (optimum's ONNX export layout) before use.
 *
 * Checks, in order: the files (which decoder variant), config.json (model_type m2m_100 and the
 * dimensions), the tokenizer (load + round trip: tokenizer.ts), and, once the sessions exist (in a
 * worker), the ONNX graphs' input/output names and types. Every problem ends up in ONE error:
 * "model folder /x is not usable: onnx/encoder_model.onnx has inputs [ids] but needs [input_ids, attention_mask]".
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import { onnxFileName, type OnnxGraph, type OnnxSuffix } from '../modelstore/manifests.js';

/** Which decoder graphs the engine runs: the split pair (preferred) or optimum's merged graph. */
export type DecoderVariant = 'split' | 'merged';
export type DecoderChoice = 'auto' | DecoderVariant;
export type GraphName = OnnxGraph;

export interface ModelConfig {
  modelType: string;
  dModel: number;
  encoderLayers: number;
  decoderLayers: number;
  encoderAttentionHeads: number;
  decoderAttentionHeads: number;
  /** decoder head size = dModel / decoderAttentionHeads */
  headDim: number;
  vocabSize: number;
  maxPositionEmbeddings: number;
  decoderStartTokenId: number;
  eosTokenId: number;
  padTokenId: number;
}

export interface ModelFolder {
  dir: string;
  config: ModelConfig;
  /** The decoder graphs the engine will use. */
  variant: DecoderVariant;
  /** Absolute paths of the graphs the engine will load (the unused decoder variant is absent). */
  graphs: Partial<Record<GraphName, string>>;
  tokenizerFile: string;
  /** Longest source sequence ([src_lang] tokens </s>): max positions, or tokenizer_config's model_max_length if smaller. */
  maxSourceTokens: number;
  /** Whether the generation config asks for anything the engine ignores (informational). */
  generationConfig: Record<string, unknown> | null;
}

export interface InspectOptions {
  /** File-name suffix of the ONNX graphs ('_quantized' for Optimum's int8 export). Default '' (fp32). */
  onnxSuffix?: OnnxSuffix;
  /** Default 'auto': the split pair when both files exist, else the merged decoder. */
  decoder?: DecoderChoice;
}

/** A model folder that cannot be used; `problems` lists every reason, the message joins them. */
export class ModelFolderError extends AppError {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super('MODEL_UNAVAILABLE', `model folder ${dir} is not usable: ${problems.join('; ')}`);
    this.name = 'ModelFolderError';
  }
}

const TOKENIZER_FILE = 'sentencepiece.bpe.model';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readJson(path: string, rel: string, problems: string[]): Record<string, unknown> | null {
  if (!existsSync(path)) {
    problems.push(`${rel} is missing`);
    return null;
  }
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${rel} is not a JSON object`);
      return null;
    }
    return value as Record<string, unknown>;
  } catch (err) {
    problems.push(`${rel} is not valid JSON (${(err as Error).message})`);
    return null;
  }
}

/** config.json → ModelConfig, or problems. */
export function parseModelConfig(raw: Record<string, unknown>, problems: string[]): ModelConfig | null {
  const before = problems.length;
  const int = (key: string, fallback?: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      problems.push(`config.json: ${key} must be a non-negative integer, got ${JSON.stringify(raw[key])}`);
      return 0;
    }
    return v;
  };
  if (raw.model_type !== 'm2m_100') {
    problems.push(`config.json: model_type is ${JSON.stringify(raw.model_type)} but must be "m2m_100" (NLLB-200)`);
  }
  const dModel = int('d_model');
  const encoderLayers = int('encoder_layers');
  const decoderLayers = int('decoder_layers');
  const encoderAttentionHeads = int('encoder_attention_heads');
  const decoderAttentionHeads = int('decoder_attention_heads');
  const vocabSize = int('vocab_size');
  const maxPositionEmbeddings = int('max_position_embeddings');
  const decoderStartTokenId = int('decoder_start_token_id', 2);
  const eosTokenId = int('eos_token_id', 2);
  const padTokenId = int('pad_token_id', 1);
  for (const [k, v] of Object.entries({ d_model: dModel, decoder_layers: decoderLayers, decoder_attention_heads: decoderAttentionHeads, vocab_size: vocabSize, max_position_embeddings: maxPositionEmbeddings })) {
    if (v === 0 && problems.length === before) problems.push(`config.json: ${k} must be positive`);
  }
  if (decoderAttentionHeads > 0 && dModel % decoderAttentionHeads !== 0) {
    problems.push(`config.json: d_model ${dModel} is not a multiple of decoder_attention_heads ${decoderAttentionHeads}`);
  }
  if (problems.length > before) return null;
  return {
    modelType: 'm2m_100',
    dModel,
    encoderLayers,
    decoderLayers,
    encoderAttentionHeads,
    decoderAttentionHeads,
    headDim: dModel / decoderAttentionHeads,
    vocabSize,
    maxPositionEmbeddings,
    decoderStartTokenId,
    eosTokenId,
    padTokenId,
  };
}

/**
 * The file-level checks: files present, the decoder variant, config.json. Throws ModelFolderError
 * listing every problem found.
 */
export function inspectModelFolder(dirInput: string, options: InspectOptions = {}): ModelFolder {
  const dir = resolve(dirInput);
  const suffix = options.onnxSuffix ?? '';
  const choice = options.decoder ?? 'auto';
  const problems: string[] = [];
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new ModelFolderError(dir, ['it does not exist or is not a directory']);

  const rawConfig = readJson(join(dir, 'config.json'), 'config.json', problems);
  const config = rawConfig ? parseModelConfig(rawConfig, problems) : null;
  const generationConfig = isFile(join(dir, 'generation_config.json'))
    ? readJson(join(dir, 'generation_config.json'), 'generation_config.json', problems)
    : null;
  const tokenizerConfig = isFile(join(dir, 'tokenizer_config.json'))
    ? readJson(join(dir, 'tokenizer_config.json'), 'tokenizer_config.json', problems)
    : null;

  if (!isFile(join(dir, TOKENIZER_FILE))) problems.push(`${TOKENIZER_FILE} is missing`);

  const present = (g: GraphName): boolean => isFile(join(dir, onnxFileName(g, suffix)));
  if (!present('encoder')) problems.push(`${onnxFileName('encoder', suffix)} is missing`);
  const hasSplit = present('decoder') && present('decoderWithPast');
  const hasMerged = present('decoderMerged');
  let variant: DecoderVariant = 'split';
  if (choice === 'split' || (choice === 'auto' && hasSplit)) {
    variant = 'split';
    if (!hasSplit) {
      const missing = (['decoder', 'decoderWithPast'] as const).filter((g) => !present(g)).map((g) => onnxFileName(g, suffix));
      problems.push(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing (the split decoder pair was requested)`);
    }
  } else if (choice === 'merged' || hasMerged) {
    variant = 'merged';
    if (!hasMerged) problems.push(`${onnxFileName('decoderMerged', suffix)} is missing (the merged decoder was requested)`);
  } else {
    problems.push(
      `no usable decoder: needs ${onnxFileName('decoder', suffix)} + ${onnxFileName('decoderWithPast', suffix)}, or ${onnxFileName('decoderMerged', suffix)}`,
    );
  }
  if (problems.length > 0 || !config) throw new ModelFolderError(dir, problems);

  const graphs: Partial<Record<GraphName, string>> = { encoder: join(dir, onnxFileName('encoder', suffix)) };
  if (variant === 'split') {
    graphs.decoder = join(dir, onnxFileName('decoder', suffix));
    graphs.decoderWithPast = join(dir, onnxFileName('decoderWithPast', suffix));
  } else {
    graphs.decoderMerged = join(dir, onnxFileName('decoderMerged', suffix));
  }
  const modelMax = tokenizerConfig?.model_max_length;
  const maxSourceTokens =
    typeof modelMax === 'number' && Number.isInteger(modelMax) && modelMax > 2
      ? Math.min(modelMax, config.maxPositionEmbeddings)
      : config.maxPositionEmbeddings;
  return { dir, config, variant, graphs, tokenizerFile: join(dir, TOKENIZER_FILE), maxSourceTokens, generationConfig };
}

// --- ONNX signatures ---------------------------------------------------------------------------

export interface ValueSpec {
  name: string;
  type: string;
}

/** What the sessions report: names and, when known, tensor types (onnxruntime's inputMetadata). */
export interface GraphSignature {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputTypes?: Readonly<Record<string, string>>;
}

function kvNames(prefix: string, layers: number, withEncoder: boolean): string[] {
  const names: string[] = [];
  for (let i = 0; i < layers; i++) {
    names.push(`${prefix}.${i}.decoder.key`, `${prefix}.${i}.decoder.value`);
    if (withEncoder) names.push(`${prefix}.${i}.encoder.key`, `${prefix}.${i}.encoder.value`);
  }
  return names;
}

/** The inputs (with types) and outputs a graph of optimum's NLLB export must have. */
export function expectedSignature(graph: GraphName, config: ModelConfig): { inputs: ValueSpec[]; outputs: string[] } {
  const n = config.decoderLayers;
  const i64 = (name: string): ValueSpec => ({ name, type: 'int64' });
  const f32 = (name: string): ValueSpec => ({ name, type: 'float32' });
  switch (graph) {
    case 'encoder':
      return { inputs: [i64('input_ids'), i64('attention_mask')], outputs: ['last_hidden_state'] };
    case 'decoder':
      return {
        inputs: [i64('encoder_attention_mask'), i64('input_ids'), f32('encoder_hidden_states')],
        outputs: ['logits', ...kvNames('present', n, true)],
      };
    case 'decoderWithPast':
      return {
        inputs: [i64('encoder_attention_mask'), i64('input_ids'), ...kvNames('past_key_values', n, true).map(f32)],
        outputs: ['logits', ...kvNames('present', n, false)],
      };
    case 'decoderMerged':
      return {
        inputs: [
          i64('encoder_attention_mask'),
          i64('input_ids'),
          f32('encoder_hidden_states'),
          ...kvNames('past_key_values', n, true).map(f32),
          { name: 'use_cache_branch', type: 'bool' },
        ],
        outputs: ['logits', ...kvNames('present', n, true)],
      };
  }
}

function list(names: readonly string[], max = 6): string {
  return names.length <= max ? `[${names.join(', ')}]` : `[${names.slice(0, max).join(', ')}, … ${names.length - max} more]`;
}

/** Problems of one graph's signature (empty when it is usable). `rel` names the file in messages. */
export function signatureProblems(rel: string, graph: GraphName, actual: GraphSignature, config: ModelConfig): string[] {
  const expected = expectedSignature(graph, config);
  const problems: string[] = [];
  const expectedInputs = expected.inputs.map((v) => v.name);
  const actualInputs = new Set(actual.inputNames);
  const sameInputs = expectedInputs.length === actualInputs.size && expectedInputs.every((n) => actualInputs.has(n));
  if (!sameInputs) {
    problems.push(`${rel} has inputs ${list(actual.inputNames)} but needs ${list(expectedInputs)}`);
  } else if (actual.inputTypes) {
    for (const spec of expected.inputs) {
      const type = actual.inputTypes[spec.name];
      if (type !== undefined && type !== spec.type) problems.push(`${rel}: input ${spec.name} is ${type} but must be ${spec.type}`);
    }
  }
  // With the wrong inputs the file is evidently another graph: its outputs add nothing to the message.
  if (!sameInputs) return problems;
  const actualOutputs = new Set(actual.outputNames);
  const missing = expected.outputs.filter((n) => !actualOutputs.has(n));
  if (missing.length > 0) {
    problems.push(`${rel} has outputs ${list(actual.outputNames)} but needs ${list(expected.outputs)} (missing ${list(missing)})`);
  }
  return problems;
}
