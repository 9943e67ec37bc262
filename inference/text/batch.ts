import { reassemble, segmentText, type SegmentOptions, type SegmentPlan } from './segmenter.js';

/**
 * The pieces of all items of one request, flattened, so the service sends them to the batcher
 * in one submit (sentences of all items then share batches).
 */
export interface BatchPlan {
  plans: SegmentPlan[];
  /** Every item's sources, item after item. */
  sources: string[];
}

export function segmentBatch(texts: readonly string[], options: SegmentOptions = {}): BatchPlan {
  const plans = texts.map((text) => segmentText(text, options));
  return { plans, sources: plans.flatMap((p) => p.sources) };
}

/** One translated text per item, from translations of `batch.sources` in order. */
export function reassembleBatch(batch: BatchPlan, translations: readonly string[]): string[] {
  if (translations.length !== batch.sources.length) {
    throw new RangeError(`expected ${batch.sources.length} translations, got ${translations.length}`);
  }
  let offset = 0;
  return batch.plans.map((plan) => {
    const mine = translations.slice(offset, offset + plan.sources.length);
    offset += plan.sources.length;
    return reassemble(plan, mine);
  });
}
