import { PLACEHOLDER_FALLBACK } from '../../text/protect/index.js';
import type { SentenceOutput } from '../batched-engine.js';
import { looksOmitted } from './length-ratio.js';

/** A sentence's output is implausibly short for its input (length-ratio.ts), even after a finer retry. */
export const POSSIBLE_OMISSION = 'possible_omission';
/** A sentence hit its new-token cap (the request's max_new_tokens or the server's bound). */
export const TRUNCATED = 'truncated';
/** Generation degenerated into repetition and the repetition guard stopped it. */
export const REPETITION = 'repetition';

/** Every warning a result can carry, in the order results list them. */
export const WARNINGS = [POSSIBLE_OMISSION, TRUNCATED, REPETITION, PLACEHOLDER_FALLBACK] as const;
export type Warning = (typeof WARNINGS)[number];

/** What is suspicious about one model output of `source`, in WARNINGS order. */
export function suspicions(source: string, output: Pick<SentenceOutput, 'text' | 'finished' | 'repetition'>, src: string, tgt: string): Warning[] {
  const found: Warning[] = [];
  if (looksOmitted(source, output.text, src, tgt)) found.push(POSSIBLE_OMISSION);
  if (!output.finished) found.push(TRUNCATED);
  if (output.repetition) found.push(REPETITION);
  return found;
}

/** The union of warning lists, in WARNINGS order. */
export function mergeWarnings(...lists: readonly (readonly Warning[])[]): Warning[] {
  const all = new Set(lists.flat());
  return WARNINGS.filter((w) => all.has(w));
}
