import { DEFAULT_MAX_TOKENS, reassemble, segmentText, type SegmentOptions, type SegmentPlan } from './segmenter.js';
import type { CountTokens } from './tokens.js';

/**
 * The pieces of all items of one request, flattened, so the caller sends every sentence to the
 * model in one go (sentences of all items then share batches) and puts each item back together.
 */
export interface BatchPlan {
  /** Per item, in order; an item kept verbatim has a plan with no sources. */
  plans: SegmentPlan[];
  /** Every item's sources, item after item. */
  sources: string[];
  /** The item each source belongs to (same length as `sources`). */
  itemOfSource: number[];
}

/** What the sentence bound needs to know of the model: its token counter and its longest input. */
export interface SentenceModel {
  /** Source length of a text as the model sees it ([src_lang] tokens </s>). */
  tokenCount: CountTokens;
  maxSourceTokens: number;
}

/**
 * Segment options for sentences sent to `model`: the one sentence bound (DEFAULT_MAX_TOKENS, and
 * never more than the model's input), counted with the model's own tokenizer.
 */
export function modelSegmentOptions(model: SentenceModel, lang: string | undefined): SegmentOptions {
  return { lang, maxTokens: Math.min(DEFAULT_MAX_TOKENS, model.maxSourceTokens), countTokens: (text) => model.tokenCount(text) };
}

/**
 * Segments every item: `options` applies to all of them, or is chosen per item; `null` keeps the item
 * as it is (e.g. already in the target language), so it has no sources and reassembles to itself.
 */
export function segmentBatch(texts: readonly string[], options: SegmentOptions | ((index: number) => SegmentOptions | null) = {}): BatchPlan {
  const plans = texts.map((text, i): SegmentPlan => {
    const itemOptions = typeof options === 'function' ? options(i) : options;
    return itemOptions === null ? { pieces: text ? [{ kind: 'keep', text }] : [], sources: [] } : segmentText(text, itemOptions);
  });
  return {
    plans,
    sources: plans.flatMap((p) => p.sources),
    itemOfSource: plans.flatMap((p, i) => p.sources.map(() => i)),
  };
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
