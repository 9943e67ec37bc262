/** The engine's public surface: the translation engine, its job format and the model folder checks. */
export {
  DEFAULT_GENERATION,
  DEFAULT_REPETITION_GUARD,
  TranslationEngine,
  loadFolderTokenizer,
  type DecodedRow,
  type EncodedRow,
  type EngineOptions,
  type RunOptions,
  type RunResult,
  type TranslateOptions,
  type TranslateResult,
} from './translation-engine.js';
export type { AlternativeOutput, EarlyStopping, GenerationSettings, RepetitionGuard, RowOutput, SearchOptions } from './generation/types.js';
export { packIds, packOutput, packRows, unpackRows, type JobRow, type UnpackedRow } from './job.js';
export type { GenerateJob, GenerateOutput, GenerateTimings, IdleTestCrash, TestCrash } from './protocol.js';
export type { ModelFolder, ModelConfig, DecoderVariant, DecoderChoice } from './model-folder.js';
export { ModelFolderError, inspectModelFolder } from './model-folder.js';
export { NllbTokenizer, TokenizerLoadError, BOS_ID, PAD_ID, EOS_ID, UNK_ID } from './tokenizer.js';
export { RESTART_REASONS, type PoolStats, type RestartReason } from './pool.js';
