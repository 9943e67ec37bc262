/**
 * The one way rows become a generate job and a job's output becomes per-row results (and, in the
 * worker, the search's rows become that output). Both the engine's own translate() and the
 * service's micro-batcher go through here.
 */
import type { AlternativeOutput, GenerationSettings, RowOutput, SearchRow } from './generation/types.js';
import type { GenerateJob, GenerateOutput, GenerateTimings } from './protocol.js';

/**
 * One sentence ready for the model: its source ids ([src_lang] tokens </s>: the source language
 * travels inside them), plus the search row (forced target-language token, max new tokens as
 * generation/limits.ts bounds it).
 */
export interface JobRow extends SearchRow {
  ids: readonly number[];
}

/** What the model made of one row: the search's output, and what it cost. */
export interface UnpackedRow extends RowOutput {
  /** Tokens generated after the language token, </s> included. */
  generatedTokens: number;
  /**
   * This row's share of the job's worker time, ms: the job's time split over its rows in proportion
   * to the tokens each generated (a finished row leaves the batch, so decoder work follows the
   * generated tokens); equal shares when no row generated any. The shares add up to the job's time.
   */
  workMs: number;
}

/** Rows of token ids back to back, with rows + 1 offsets (row i = ids[offsets[i] .. offsets[i+1])). */
export function packIds(rows: readonly (readonly number[])[]): { inputIds: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, i) => (offsets[i + 1] = offsets[i]! + row.length));
  const inputIds = new Int32Array(offsets[rows.length]!);
  rows.forEach((row, i) => inputIds.set(row, offsets[i]!));
  return { inputIds, offsets };
}

/** One job for `rows`, decoded with `settings`. */
export function packRows(rows: readonly JobRow[], settings: GenerationSettings): GenerateJob {
  return {
    ...packIds(rows.map((row) => row.ids)),
    forcedTokenIds: Int32Array.from(rows, (row) => row.forcedTokenId),
    maxNewTokens: Int32Array.from(rows, (row) => row.maxNewTokens),
    settings,
  };
}

/** The search's rows as a job's output (the worker's answer): typed arrays, for the transfer list. */
export function packOutput(rows: readonly RowOutput[], timings: GenerateTimings): GenerateOutput {
  const { inputIds: tokens, offsets } = packIds(rows.map((r) => r.tokens));
  const alternatives = rows.flatMap((r) => r.alternatives);
  const { inputIds: altTokens, offsets: altOffsets } = packIds(alternatives.map((a) => a.tokens));
  const altRows = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (altRows[i + 1] = altRows[i]! + r.alternatives.length));
  return {
    tokens,
    offsets,
    scores: Float64Array.from(rows, (r) => r.score ?? Number.NaN),
    logprobs: Float64Array.from(rows, (r) => r.logprob),
    finished: Uint8Array.from(rows, (r) => (r.finished ? 1 : 0)),
    repetition: Uint8Array.from(rows, (r) => (r.repetition ? 1 : 0)),
    altTokens,
    altOffsets,
    altScores: Float64Array.from(alternatives, (a) => a.score),
    altRows,
    timings,
  };
}

/** The per-row results of a job's output, in row order (packOutput's inverse, plus each row's cost). */
export function unpackRows(output: GenerateOutput): UnpackedRow[] {
  const rows = output.offsets.length - 1;
  const tokens = Array.from({ length: rows }, (_, i) => Array.from(output.tokens.subarray(output.offsets[i]!, output.offsets[i + 1]!)));
  const generated = tokens.map((t) => Math.max(0, t.length - 2));
  const total = generated.reduce((a, b) => a + b, 0);
  const totalMs = output.timings.totalMs;
  return tokens.map((t, i) => {
    const score = output.scores[i]!;
    return {
      tokens: t,
      generatedTokens: generated[i]!,
      score: Number.isNaN(score) ? null : score,
      logprob: output.logprobs[i]!,
      finished: output.finished[i] === 1,
      repetition: output.repetition[i] === 1,
      alternatives: alternativesOf(output, i),
      workMs: total > 0 ? (totalMs * generated[i]!) / total : totalMs / rows,
    };
  });
}

/** Row `row`'s n-best alternatives in a job's output, best first. */
function alternativesOf(output: GenerateOutput, row: number): AlternativeOutput[] {
  const out: AlternativeOutput[] = [];
  for (let j = output.altRows[row]!; j < output.altRows[row + 1]!; j++) {
    out.push({ tokens: Array.from(output.altTokens.subarray(output.altOffsets[j]!, output.altOffsets[j + 1]!)), score: output.altScores[j]! });
  }
  return out;
}
