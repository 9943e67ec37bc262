import type { TranslateOptions } from '../../shared/contract/translate.js';
import type { NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import { AppError } from '../../shared/errors.js';
import { judgeDetection, type DetectionPolicy, type LanguageDetector } from '../lid/index.js';
import type { SubmitOptions } from '../scheduler/index.js';
import { modelSegmentOptions, reassemble, segmentBatch, type BatchPlan } from '../text/index.js';
import { htmlModelTexts, planHtml } from '../../shared/html/index.js';
import { prepareHtml } from '../text/html/index.js';
import { prepareText, type MaskRoles, type PreparedText } from '../text/protect/index.js';
import { terminologyRules } from '../text/terms/index.js';
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

/**
 * Step 1 for one item, by the request's options: plain text or HTML (options.format), its
 * placeholders masked (options.placeholders) and its terminology (options.protected_terms,
 * options.glossary) masked in either mode.
 */
export function prepareItem(text: string, options: TranslateOptions): PreparedText {
  const terms = terminologyRules({
    ...(options.protected_terms ? { protectedTerms: options.protected_terms } : {}),
    ...(options.glossary ? { glossary: options.glossary } : {}),
  });
  return options.format === 'html' ? prepareHtml(text, options.placeholders, terms) : prepareText(text, options.placeholders, terms);
}

/** What the detector reads of an item: for HTML, its text as the model sees it, not its markup. */
function detectionText(text: string, options: TranslateOptions): string {
  if (options.format !== 'html') return text;
  const seen = htmlModelTexts(planHtml(text)).join('\n');
  // Nothing to translate (only code, say): the detector still needs something to read.
  return seen.trim() === '' ? text : seen;
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
 * A translate request end to end. Per item: source detection, then prepare (prepareItem: HTML
 * planned, placeholders and terminology masked) → segment every unit into sentences → translate every sentence of every item in one
 * batched, guarded call (translateGuarded: suspicious outputs retried finer) → check each sentence's
 * masks (and HTML tag nesting), translating broken ones piecewise (repairMasks) → reassemble the
 * layout → assemble (spans restored, glossary targets placed, HTML rebuilt).
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
        : detection.detect(detectionText(text, request.options), index, request.batch, options.detectionPolicy),
    ),
  );
  // NLLB would only paraphrase a text already in the target language; an unreliable guess may be wrong.
  const keepAsIs = (i: number) => sources[i]!.source === request.target && sources[i]!.reliable !== false;

  const unitTexts: string[] = [];
  const unitItem: number[] = [];
  const unitRoles: Array<MaskRoles | undefined> = [];
  const items = request.texts.map((text, i): PreparedItem | null => {
    if (keepAsIs(i)) return null;
    const prepared = prepareItem(text, request.options);
    const units = prepared.units.map((unit, k) => {
      unitItem.push(i);
      unitRoles.push(prepared.roles?.[k]);
      return unitTexts.push(unit) - 1;
    });
    return { prepared, units, sentences: [] };
  });
  const batch = segmentBatch(unitTexts, (u) => modelSegmentOptions(engine, sources[unitItem[u]!]!.source));
  const sentences = batch.sources.map((text, k): MaskedSentence => {
    const unit = batch.itemOfSource[k]!;
    const i = unitItem[unit]!;
    items[i]!.sentences.push(k);
    const roles = unitRoles[unit];
    return { text, src: sources[i]!.source, checked: items[i]!.prepared.checked, ...(roles ? { roles } : {}) };
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
