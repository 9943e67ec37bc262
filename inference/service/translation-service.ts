import type { NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import { AppError } from '../../shared/errors.js';
import type { LanguageDetector } from '../lid/index.js';
import type { SubmitOptions } from '../scheduler/index.js';
import { reassemble, segmentText } from '../text/index.js';
import type { BatchedEngine } from './batched-engine.js';

/** Per item: what the route needs to build a TranslationResult. */
export interface TranslatedItem {
  translatedText: string;
  source: string;
  detected: boolean;
  confidence: number | null;
}

export interface TranslationOutcome {
  items: TranslatedItem[];
  /** Worker time of the model runs this request took part in, ms. */
  inferenceMs: number;
  generatedTokens: number;
}

/** Longest sentence sent to the model, in source tokens; NLLB's quality drops on very long inputs. */
const SENTENCE_TOKEN_LIMIT = 200;

/** Per-item source detection for requests without source_language; the answer carries the confidence. */
export class SourceDetection {
  constructor(private readonly detector: LanguageDetector) {}

  /** The FLORES source of a text, or UNSUPPORTED_LANGUAGE when the detector names nothing NLLB knows. */
  async detect(text: string, index: number, batch: boolean): Promise<{ source: string; confidence: number }> {
    const { candidates } = await this.detector.detect(text, 3);
    const best = candidates.find((c) => c.language !== null);
    if (!best || best.language === null) {
      const where = batch ? `text[${index}]` : 'text';
      const guess = candidates[0] ? `; the detector's best guess '${candidates[0].label}' is not an NLLB-200 language` : '';
      throw new AppError('UNSUPPORTED_LANGUAGE', `could not detect the source language of ${where}${guess}: set source_language`, {
        details: { field: 'source_language', item: index },
      });
    }
    return { source: best.language, confidence: best.confidence };
  }
}

/**
 * A translate request end to end: per-item source detection, sentence segmentation, one batched model
 * call for every sentence of every item, and reassembly with the original layout.
 */
export async function translateRequest(
  request: NormalizedTranslateRequest,
  engine: BatchedEngine,
  detection: SourceDetection,
  submit: SubmitOptions,
): Promise<TranslationOutcome> {
  const sources = await Promise.all(
    request.texts.map(async (text, index) =>
      request.source !== undefined
        ? { source: request.source, confidence: null, detected: false }
        : { ...(await detection.detect(text, index, request.batch)), detected: true },
    ),
  );

  // Items already in the target language are returned as they are: NLLB would only paraphrase them.
  const toModel = request.texts.map((_, i) => sources[i]!.source !== request.target);
  const limit = Math.min(SENTENCE_TOKEN_LIMIT, engine.maxSourceTokens - 2);
  const plans = request.texts.map((text, i) =>
    toModel[i]
      ? segmentText(text, { lang: sources[i]!.source, maxTokens: limit, countTokens: (t: string) => engine.tokenCount(t) })
      : undefined,
  );
  const sentences = plans.flatMap((plan, i) => (plan ? plan.sources.map((text) => ({ text, src: sources[i]!.source })) : []));
  const result = await engine.translate(
    sentences,
    request.target,
    { beamSize: request.options.beam_size, ...(request.options.max_new_tokens ? { maxNewTokens: request.options.max_new_tokens } : {}) },
    submit,
  );

  let next = 0;
  const items = request.texts.map((text, i): TranslatedItem => {
    const plan = plans[i];
    const { source, confidence, detected } = sources[i]!;
    if (!plan) return { translatedText: text, source, detected, confidence };
    const translations = result.translations.slice(next, next + plan.sources.length);
    next += plan.sources.length;
    return { translatedText: reassemble(plan, translations), source, detected, confidence };
  });
  return { items, inferenceMs: result.inferenceMs, generatedTokens: result.generatedTokens };
}
