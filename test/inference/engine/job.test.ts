/**
 * job.ts: rows → one generate job → per-row results, and how a job's worker time is split over
 * its rows (the basis of each request's inference_time).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION, packOutput, packRows, unpackRows, type GenerateOutput, type RowOutput } from '../../../inference/engine/index.js';
import { transferablesOf } from '../../../inference/engine/protocol.js';

const timings = (totalMs: number) => ({ encoderMs: 0, decoderMs: 0, totalMs, steps: 0, hypothesisSteps: 0 });

function output(rows: number[][], totalMs: number, scores: (number | null)[] = rows.map(() => null)): GenerateOutput {
  return packOutput(
    rows.map((tokens, i): RowOutput => ({ tokens, score: scores[i]!, logprob: 0, finished: tokens[tokens.length - 1] === 2, repetition: false, alternatives: [] })),
    timings(totalMs),
  );
}

describe('packRows', () => {
  it('puts rows back to back with their own target token and cap, and the settings once', () => {
    const settings = { ...DEFAULT_GENERATION, beamSize: 2 };
    const job = packRows(
      [
        { ids: [256047, 10, 11, 2], forcedTokenId: 256147, maxNewTokens: 24 },
        { ids: [256147, 12, 2], forcedTokenId: 256047, maxNewTokens: 22 },
      ],
      settings,
    );
    expect(Array.from(job.inputIds)).toEqual([256047, 10, 11, 2, 256147, 12, 2]);
    expect(Array.from(job.offsets)).toEqual([0, 4, 7]);
    expect(Array.from(job.forcedTokenIds)).toEqual([256147, 256047]);
    expect(Array.from(job.maxNewTokens)).toEqual([24, 22]);
    expect(job.settings).toBe(settings);
  });

  it('packs no rows into an empty job', () => {
    const job = packRows([], DEFAULT_GENERATION);
    expect(Array.from(job.offsets)).toEqual([0]);
    expect(job.inputIds).toHaveLength(0);
  });
});

describe('unpackRows', () => {
  it('gives each row its tokens, generated count, score (null for greedy) and finished flag', () => {
    const rows = unpackRows(output([[2, 7, 20, 21, 2], [2, 7, 22, 23]], 10, [-0.5, null]));
    expect(rows.map((r) => r.tokens)).toEqual([[2, 7, 20, 21, 2], [2, 7, 22, 23]]);
    expect(rows.map((r) => r.generatedTokens)).toEqual([3, 2]);
    expect(rows.map((r) => r.score)).toEqual([-0.5, null]);
    expect(rows.map((r) => r.finished)).toEqual([true, false]);
  });

  it('gives back what the worker packed: log-probs, repetition flags and each row\'s own n-best, in typed arrays', () => {
    const rows: RowOutput[] = [
      { tokens: [2, 7, 20, 2], score: -0.2, logprob: -0.6, finished: true, repetition: false, alternatives: [{ tokens: [2, 7, 21, 2], score: -0.4 }, { tokens: [2, 7, 22, 23, 2], score: -0.9 }] },
      { tokens: [2, 7, 5, 5, 5, 2], score: null, logprob: -1.5, finished: true, repetition: true, alternatives: [] },
      { tokens: [2, 7, 30, 2], score: -0.1, logprob: -0.3, finished: true, repetition: false, alternatives: [{ tokens: [2, 7, 31, 2], score: -0.7 }] },
    ];
    const packed = packOutput(rows, timings(9));
    // every array of the output travels in the transfer list, none as JSON
    expect(transferablesOf(packed)).toHaveLength(10);
    const back = unpackRows(packed);
    expect(back.map(({ generatedTokens: _g, workMs: _w, ...row }) => row)).toEqual(rows);
  });

  it('splits the job time by generated tokens, and the shares add up to the job time', () => {
    const rows = unpackRows(output([[2, 7, 1, 1, 1, 2], [2, 7, 2]], 100));
    // 4 and 1 generated tokens
    expect(rows[0]!.workMs).toBeCloseTo(80, 9);
    expect(rows[1]!.workMs).toBeCloseTo(20, 9);
    expect(rows.reduce((a, r) => a + r.workMs, 0)).toBeCloseTo(100, 9);
  });

  it('splits evenly when no row generated anything (max_new_tokens 1: only the language token)', () => {
    const rows = unpackRows(output([[2, 7], [2, 7], [2, 7], [2, 7]], 12));
    expect(rows.map((r) => r.workMs)).toEqual([3, 3, 3, 3]);
  });
});
