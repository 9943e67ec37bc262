import type { GenerationSettings } from '../engine/index.js';

/**
 * The batch key of a translation row: everything that must be the same for all rows of one
 * generate job. A job carries the source language inside each row's ids (`[src] … </s>`) and a
 * forced target token and new-token cap per row, so only the generation settings must match:
 * requests of every direction and length share batches. The settings include every request option
 * that changes how a row is decoded: beams (beam_size, raised for alternatives) and the n-best
 * count (alternatives). Options that change what a row is rather than how it is decoded need no
 * key: placeholders mode 'auto' sends masked text, 'none' the raw text, and the row's ids differ.
 */
export function translationBatchKey(settings: GenerationSettings): string {
  const guard = settings.repetitionGuard;
  // Typed over every setting, so a new one cannot be forgotten here (rows that differ in it would share a job).
  const parts: Record<keyof GenerationSettings, string> = {
    beamSize: String(settings.beamSize),
    lengthPenalty: String(settings.lengthPenalty),
    earlyStopping: String(settings.earlyStopping),
    noRepeatNgramSize: String(settings.noRepeatNgramSize),
    repetitionGuard: guard ? `${guard.maxNgram}x${guard.minRepeats}` : 'off',
    alternatives: String(settings.alternatives),
    useCache: String(settings.useCache),
  };
  return Object.entries(parts)
    .map(([name, value]) => `${name}=${value}`)
    .join('|');
}
