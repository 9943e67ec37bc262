import type { TranslateOptions } from '../../shared/contract/translate.js';
import type { NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import { AppError } from '../../shared/errors.js';
import { judgeDetection, type DetectionPolicy, type LanguageDetector } from '../lid/index.js';
import type { SubmitOptions } from '../scheduler/index.js';
import { modelSegmentOptions, reassemble, segmentBatch, type BatchPlan } from '../text/index.js';
import { prepareText, type PreparedText } from '../text/protect/index.js';
import type { BatchedEngine, GenerationRequest } from './batched-engine.js';
import { translateGuarded } from './guarded-translate.js';
import { itemAlternatives } from './item-alternatives.js';
import { repairMasks, type MaskedSentence } from './mask-repair.js';
import { resultScore } from './quality/score.js';
import { mergeWarnings, type Warning } from './quality/warnings.js';

/** Per item: what the route needs to build a TranslationResult. */
export interface TranslatedItem {
  translatedText: string;
  source: string;
  detected: boolean;
  confidence: number | null;
  /** judgeDetection's verdict on a detected source; null when the source was given. */
  reliable: boolean | null;
  warnings: Warning[];
  alternatives: string[];
  /** quality/score.ts; null when nothing was translated. */
  score: number | null;
}

export interface TranslationOutcome {
  items: TranslatedItem[];
  /** Worker time attributed to this request, ms (BatchedTranslation.inferenceMs: its share of each batch it ran in). */
  inferenceMs: number;
  generatedTokens: number;
}

/** An item's source language: given, or detected with the detection policy's verdict. */
export interface ItemSource {
  source: string;
  confidence: number | null;
  detected: boolean;
  reliable: boolean | null;
}

/** Per-item source detection for requests without source_language. */
export class SourceDetection {
  constructor(private readonly detector: LanguageDetector) {}

  /**
   * The FLORES source of a text and whether the detection is reliable (lid/reliability.ts, the rule
   * of the detect route). An unreliable detection still names the best guess NLLB-200 can translate
   * from; UNSUPPORTED_LANGUAGE only when the detector names nothing NLLB-200 knows.
   */
  async detect(text: string, index: number, batch: boolean, policy: DetectionPolicy): Promise<ItemSource> {
    const { candidates } = await this.detector.detect(text, 3);
    const { guess, reliable } = judgeDetection(candidates, policy);
    if (guess === undefined) {
      const where = batch ? `text[${index}]` : 'text';
      const label = candidates[0] ? `; the detector's best guess '${candidates[0].label}' is not an NLLB-200 language` : '';
      throw new AppError('UNSUPPORTED_LANGUAGE', `could not detect the source language of ${where}${label}: set source_language`, {
        details: { field: 'source_language', item: index },
      });
    }
    return { source: guess.language, confidence: guess.confidence, detected: true, reliable };
  }
}

export interface TranslateRequestOptions {
  submit: SubmitOptions;
  /** How detections are judged (LID_MIN_CONFIDENCE): the detect route's policy. */
  detectionPolicy: DetectionPolicy;
}

/**
 * The generation settings a request asks for: n alternatives need n + 1 beams, so the search runs
 * max(beam_size, alternatives + 1) beams (validateTranslateRequest keeps that within MAX_BEAMS).
 */
export function generationRequest(options: TranslateOptions): GenerationRequest {
  return {
    beamSize: Math.max(options.beam_size, options.alternatives + 1),
    alternatives: options.alternatives,
    ...(options.max_new_tokens ? { maxNewTokens: options.max_new_tokens } : {}),
  };
}

/** An item on its way through the model: protected, its units segmented into sentences. */
interface PreparedItem {
  prepared: PreparedText;
  /** Indices into the request's units (and so into the unit batch's plans). */
  units: number[];
  /** Indices into the request's sentences, in order. */
  sentences: number[];
}

/**
 * A translate request end to end. Per item: source detection, then protect (placeholders: spans
 * masked) → segment every unit into sentences → translate every sentence of every item in one
 * batched, guarded call (translateGuarded: suspicious outputs retried finer) → check each sentence's
 * masks, translating broken ones piecewise (repairMasks) → reassemble the layout → restore the spans.
 * An item already in the target language (given, or detected reliably) is returned as it is.
 */
export async function translateRequest(
  request: NormalizedTranslateRequest,
  engine: BatchedEngine,
  detection: SourceDetection,
  options: TranslateRequestOptions,
): Promise<TranslationOutcome> {
  const sources = await Promise.all(
    request.texts.map((text, index): Promise<ItemSource> | ItemSource =>
      request.source !== undefined
        ? { source: request.source, confidence: null, detected: false, reliable: null }
        : detection.detect(text, index, request.batch, options.detectionPolicy),
    ),
  );
  // NLLB would only paraphrase a text already in the target language; an unreliable guess may be wrong.
  const keepAsIs = (i: number) => sources[i]!.source === request.target && sources[i]!.reliable !== false;

  const unitTexts: string[] = [];
  const unitItem: number[] = [];
  const items = request.texts.map((text, i): PreparedItem | null => {
    if (keepAsIs(i)) return null;
    const prepared = prepareText(text, request.options.placeholders);
    const units = prepared.units.map((unit) => {
      unitItem.push(i);
      return unitTexts.push(unit) - 1;
    });
    return { prepared, units, sentences: [] };
  });
  const batch = segmentBatch(unitTexts, (u) => modelSegmentOptions(engine, sources[unitItem[u]!]!.source));
  const sentences = batch.sources.map((text, k): MaskedSentence => {
    const i = unitItem[batch.itemOfSource[k]!]!;
    items[i]!.sentences.push(k);
    return { text, src: sources[i]!.source, checked: items[i]!.prepared.checked };
  });

  const generation = generationRequest(request.options);
  const first = await translateGuarded(engine, sentences, request.target, generation, options.submit);
  const done = await repairMasks(engine, sentences, first, request.target, generation, options.submit);

  const results = request.texts.map((text, i): TranslatedItem => {
    const { source, confidence, detected, reliable } = sources[i]!;
    const base = { source, detected, confidence, reliable };
    const item = items[i];
    if (!item) return { ...base, translatedText: text, warnings: [], alternatives: [], score: null };
    const translated = item.sentences.map((k) => done.sentences[k]!);
    const build = (texts: readonly string[]) => assembleItem(item, batch, texts);
    return {
      ...base,
      translatedText: build(translated.map((s) => s.text)),
      warnings: mergeWarnings(...translated.map((s) => s.warnings)),
      alternatives: itemAlternatives(translated, request.options.alternatives, build),
      score: resultScore(translated),
    };
  });
  return { items: results, inferenceMs: done.inferenceMs, generatedTokens: done.generatedTokens };
}

/** An item's text from one translation per sentence: each unit's layout back, then the spans restored. */
function assembleItem(item: PreparedItem, batch: BatchPlan, texts: readonly string[]): string {
  let next = 0;
  const units = item.units.map((u) => {
    const plan = batch.plans[u]!;
    const mine = texts.slice(next, next + plan.sources.length);
    next += plan.sources.length;
    return reassemble(plan, mine);
  });
  return item.prepared.assemble(units);
}
