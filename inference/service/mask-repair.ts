import type { SubmitOptions } from '../scheduler/index.js';
import { checkMasks, fallbackPlan, MASK, pieceEdges, PLACEHOLDER_FALLBACK, type FallbackPlan, type MaskRoles } from '../text/protect/index.js';
import type { GenerationRequest, SentenceToTranslate } from './batched-engine.js';
import { translateGuarded, type GuardedBatch, type GuardedSentence, type SentenceEngine } from './guarded-translate.js';
import { mergeWarnings } from './quality/warnings.js';

/** A masked sentence and whether its masks must survive (placeholders 'auto', terminology, HTML). */
export interface MaskedSentence extends SentenceToTranslate {
  checked: boolean;
  /** HTML: its unit's tag masks, whose nesting an output must keep (text/protect/structure.ts). */
  roles?: MaskRoles;
}

const LETTER = /\p{L}/u;

/** Text worth a model call: a letter outside the masks (as text/protect's pipeline decides). */
function hasWords(masked: string): boolean {
  return LETTER.test(masked.replace(MASK, ''));
}

interface Repair {
  index: number;
  plan: FallbackPlan;
  /** The pieces sent to the model: piece j of the plan, its core sent, its edges kept. */
  sent: { j: number; lead: string; core: string; trail: string }[];
}

/**
 * The placeholder policy's check and fallback, on translated sentences (text/protect/pipeline.ts
 * describes it for one text): a checked sentence whose translation broke its masks is translated
 * again piecewise between its masks (fallbackPlan), every such sentence in one guarded call, and
 * carries `placeholder_fallback`. So every checked output keeps each of its sentence's masks exactly
 * as often as the sentence has it, and HTML tag masks nested as in the source (the fallback keeps the
 * source's order, so its nesting too). Alternatives that break masks are dropped.
 */
export async function repairMasks(
  engine: SentenceEngine,
  sentences: readonly MaskedSentence[],
  translated: GuardedBatch,
  tgt: string,
  request: GenerationRequest,
  submit: SubmitOptions,
): Promise<GuardedBatch> {
  const out: GuardedSentence[] = [];
  const repairs: Repair[] = [];
  translated.sentences.forEach((sentence, index) => {
    const { text: source, checked, roles } = sentences[index]!;
    if (!checked) return void out.push(sentence);
    const alternatives = sentence.alternatives.filter((a) => checkMasks(source, a.text, roles).ok);
    out.push({ ...sentence, alternatives });
    if (checkMasks(source, sentence.text, roles).ok) return;
    const plan = fallbackPlan(source);
    const sent = plan.pieces.flatMap((piece, j) => {
      if (!hasWords(piece)) return [];
      return [{ j, ...pieceEdges(piece) }];
    });
    repairs.push({ index, plan, sent });
  });
  if (repairs.length === 0) return { ...translated, sentences: out };

  const pieces = repairs.flatMap((r) => r.sent.map((p) => ({ text: p.core, src: sentences[r.index]!.src })));
  const second = await translateGuarded(engine, pieces, tgt, { ...request, alternatives: 0 }, submit);
  let next = 0;
  for (const { index, plan, sent } of repairs) {
    const outputs = second.sentences.slice(next, next + sent.length);
    next += sent.length;
    const texts = [...plan.pieces];
    sent.forEach((p, k) => (texts[p.j] = p.lead + outputs[k]!.text.trim() + p.trail));
    out[index] = {
      text: plan.join(texts),
      logprob: outputs.reduce((sum, o) => sum + o.logprob, 0),
      tokens: outputs.reduce((sum, o) => sum + o.tokens, 0),
      warnings: mergeWarnings([PLACEHOLDER_FALLBACK], ...outputs.map((o) => o.warnings)),
      alternatives: [],
      beamScore: null,
    };
  }
  return {
    sentences: out,
    inferenceMs: translated.inferenceMs + second.inferenceMs,
    generatedTokens: translated.generatedTokens + second.generatedTokens,
  };
}
