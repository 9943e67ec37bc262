export { modelSegmentOptions, reassembleBatch, segmentBatch, type BatchPlan, type SentenceModel } from './batch.js';
export { bulletPrefix, isAddress, isTranslatable } from './classify.js';
export { segmenterLocale } from './locale.js';
export {
  DEFAULT_MAX_TOKENS,
  reassemble,
  segmentText,
  type Piece,
  type SegmentOptions,
  type SegmentPlan,
} from './segmenter.js';
export { splitLong } from './split-long.js';
export { estimateTokens, type CountTokens } from './tokens.js';
