import { checkMasks, type MaskProblem } from './check.js';
import { fallbackPlan, pieceEdges } from './fallback.js';
import { icuMessages } from './icu.js';
import { MASK } from './mask.js';
import { protect, restore, type PlaceholderMode } from './protect.js';
import type { MaskRoles } from './structure.js';
import type { Rule } from './spans.js';

/** The model behind an injected interface: one translation per segment, in order. */
export type Translate = (segments: string[]) => Promise<string[]>;

/** Stable warning: some text was translated piecewise between its spans because the model broke a mask. */
export const PLACEHOLDER_FALLBACK = 'placeholder_fallback';

/** A text made ready for the model. */
export interface PreparedText {
  /**
   * What to translate: one masked text for plain text, one per message for ICU. Segment them as
   * you like (masks hold no whitespace or sentence punctuation), translate the segments with
   * translateMasked, put each unit's translated segments back together, then call assemble.
   */
  units: string[];
  /** False in mode `none`: nothing is masked, so outputs are not checked (translate the units directly). */
  checked: boolean;
  /** Per unit, the tag masks whose nesting an output must keep (HTML; structure.ts); absent for plain text. */
  roles?: ReadonlyArray<MaskRoles | undefined>;
  /** The translated text from the translated units (in `units` order), spans restored. */
  assemble(outputs: readonly string[]): string;
}

/**
 * Step 1: protect `text` (ICU MessageFormat per message, else plain text). `terms` (text/terms:
 * protected terms, glossary entries) are masked in either mode.
 */
export function prepareText(text: string, mode: PlaceholderMode, terms: readonly Rule[] = []): PreparedText {
  if (mode === 'none' && terms.length === 0) return { units: [text], checked: false, assemble: (outputs) => only(outputs) };
  const icu = mode === 'auto' ? icuMessages(text, terms) : null;
  if (icu) return { units: icu.messages, checked: true, assemble: (outputs) => icu.rebuild(outputs) };
  const { masked, spans } = protect(text, mode, terms);
  return { units: [masked], checked: true, assemble: (outputs) => restore(only(outputs), spans) };
}

function only(outputs: readonly string[]): string {
  if (outputs.length !== 1) throw new RangeError(`expected 1 translated unit, got ${outputs.length}`);
  return outputs[0]!;
}

export interface MaskedTranslation {
  /** Per segment: its masked translation, which passes checkMasks against the segment. */
  outputs: string[];
  /** Per segment: why its first translation was rejected and the fallback used, or null. */
  problems: Array<MaskProblem | null>;
}

const LETTER = /\p{L}/u;

/** Text worth a model call: a letter outside the masks (a lone "[0]" or ", " is kept as it is). */
function hasWords(masked: string): boolean {
  return LETTER.test(masked.replace(MASK, ''));
}

/** The text without its leading and trailing whitespace, which stays outside the model. */
function edges(text: string): { lead: string; core: string; trail: string } {
  // trimStart/trimEnd strip what \s matches, in linear time (a /^(\s*)(.*?)(\s*)$/ is quadratic on long space runs).
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  if (end <= start) return { lead: text, core: '', trail: '' };
  return { lead: text.slice(0, start), core: text.slice(start, end), trail: text.slice(end) };
}

async function translateAll(translate: Translate, segments: string[]): Promise<string[]> {
  if (segments.length === 0) return [];
  const out = await translate(segments);
  if (out.length !== segments.length) throw new RangeError(`the translator returned ${out.length} translations for ${segments.length} segments`);
  return out;
}

/**
 * Step 2, per masked segment: translate, check the masks, and for each segment whose masks the
 * model broke, translate the text between its masks instead (fallbackPlan). At most two calls
 * of `translate`, each a batch. Segments without words are not sent. Every output passes
 * checkMasks against its segment, whatever the translator returns.
 */
export async function translateMasked(segments: readonly string[], translate: Translate): Promise<MaskedTranslation> {
  const outputs = [...segments];
  const problems: Array<MaskProblem | null> = segments.map(() => null);

  const sent = segments.flatMap((segment, i) => (hasWords(segment) ? [{ i, ...edges(segment) }] : []));
  const first = await translateAll(translate, sent.map((s) => s.core));
  const failed: Array<{ i: number; lead: string; core: string; trail: string }> = [];
  sent.forEach((s, k) => {
    const output = first[k]!.trim();
    const check = checkMasks(s.core, output);
    if (check.ok) outputs[s.i] = s.lead + output + s.trail;
    else {
      problems[s.i] = check.problem;
      failed.push(s);
    }
  });
  if (failed.length === 0) return { outputs, problems };

  const plans = failed.map((s) => fallbackPlan(s.core));
  const pieces = plans.flatMap((plan, p) =>
    plan.pieces.flatMap((piece, j) => (hasWords(piece) ? [{ p, j, ...pieceEdges(piece) }] : [])),
  );
  const second = await translateAll(translate, pieces.map((piece) => piece.core));
  const translatedPieces = plans.map((plan) => [...plan.pieces]);
  pieces.forEach((piece, k) => {
    translatedPieces[piece.p]![piece.j] = piece.lead + second[k]!.trim() + piece.trail;
  });
  failed.forEach((s, p) => {
    outputs[s.i] = s.lead + plans[p]!.join(translatedPieces[p]!) + s.trail;
  });
  return { outputs, problems };
}

/**
 * The whole policy for one text without sentence segmentation: protect, translate the masked
 * text (ICU: each message), check, fall back where a mask broke, restore. The service, which
 * segments, runs the same steps: prepareText, its segmentation of each unit, translateMasked on
 * the segments, its reassembly, assemble.
 */
export async function translateProtected(
  text: string,
  mode: PlaceholderMode,
  translate: Translate,
): Promise<{ text: string; warnings: string[] }> {
  const prepared = prepareText(text, mode);
  if (!prepared.checked) {
    const units = prepared.units.filter(hasWords);
    const translated = await translateAll(translate, units);
    let next = 0;
    return { text: prepared.assemble(prepared.units.map((unit) => (hasWords(unit) ? translated[next++]! : unit))), warnings: [] };
  }
  const { outputs, problems } = await translateMasked(prepared.units, translate);
  return {
    text: prepared.assemble(outputs),
    warnings: problems.some((p) => p !== null) ? [PLACEHOLDER_FALLBACK] : [],
  };
}
