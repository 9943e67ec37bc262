/**
 * The pure generation pieces over synthetic logits: beam hypotheses, processors, the new-token
 * bound, and greedy/beam search against a straightforward reference port of HF's generate()
 * (full K beams starting at [0, -1e9, …], top 2K over K × V each step, BeamSearchScorer rules).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../shared/limits.js';
import { BeamHypotheses } from '../../../inference/engine/generation/beam-scorer.js';
import { newTokenCap } from '../../../inference/engine/generation/limits.js';
import { argmax, argmaxWithLogprob, logSoftmax, logSumExp, topCandidates } from '../../../inference/engine/generation/logits.js';
import { bannedNgramTokens, isDegenerateRepetition } from '../../../inference/engine/generation/processors.js';
import { search } from '../../../inference/engine/generation/search.js';
import type { DecoderStepper, EarlyStopping, SearchOptions, StepInput } from '../../../inference/engine/generation/types.js';

const START = 2;
const EOS = 2;
const SPECIAL = { decoderStartTokenId: START, eosTokenId: EOS, padTokenId: 1 };

function options(o: Partial<SearchOptions> = {}): SearchOptions {
  return { beamSize: 1, lengthPenalty: 1, earlyStopping: true, noRepeatNgramSize: 0, repetitionGuard: null, alternatives: 0, ...o };
}

/** Deterministic pseudo-random logits as a function of (seed, row, sequence). */
function syntheticLogits(seed: number, row: number, seq: readonly number[], vocab: number, eosBias: number): Float32Array {
  let h = (seed ^ 0x9e3779b9 ^ (row * 0x85ebca6b)) >>> 0;
  for (const t of seq) h = Math.imul(h ^ (t + 0x27d4eb2f), 0x165667b1) >>> 0;
  const out = new Float32Array(vocab);
  for (let v = 0; v < vocab; v++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
    out[v] = ((h >>> 8) / 2 ** 24) * 6 - 3;
  }
  // Make </s> likelier as the sequence grows, so hypotheses finish at various lengths.
  out[EOS] = out[EOS]! + eosBias * (seq.length - 2);
  return out;
}

/**
 * A stepper over synthetic logits that also checks the cache contract: every sequence must be its
 * parent's sequence plus one token, and rows must follow their parents.
 */
class SyntheticStepper implements DecoderStepper {
  calls = 0;
  positions = 0;
  private previous: { sequences: number[][]; rows: Int32Array } | null = null;
  constructor(
    readonly vocabSize: number,
    private readonly seed: number,
    private readonly eosBias = 0.4,
    private readonly rowOffset = 0,
  ) {}

  step(input: StepInput): Promise<Float32Array> {
    this.calls++;
    this.positions += input.sequences.length;
    const n = input.sequences.length;
    if (input.parents === null) {
      for (const s of input.sequences) expect(s.length).toBe(2);
    } else {
      const prev = this.previous!;
      expect(input.parents.length).toBe(n);
      for (let i = 0; i < n; i++) {
        const p = input.parents[i]!;
        expect(input.sequences[i]!.slice(0, -1)).toEqual(prev.sequences[p]);
        expect(input.rows[i]).toBe(prev.rows[p]);
      }
    }
    this.previous = { sequences: input.sequences.map((s) => [...s]), rows: input.rows.slice() };
    const out = new Float32Array(n * this.vocabSize);
    for (let i = 0; i < n; i++) {
      out.set(syntheticLogits(this.seed, input.rows[i]! + this.rowOffset, input.sequences[i]!, this.vocabSize, this.eosBias), i * this.vocabSize);
    }
    return Promise.resolve(out);
  }
}

// --- reference: a direct port of HF's greedy / beam search (one row at a time) --------------------

function refGreedy(logitsFn: (seq: number[]) => Float32Array, forced: number, maxNew: number, noRepeat: number): number[] {
  const seq = [START];
  for (let step = 0; step < maxNew; step++) {
    let tok: number;
    if (step === 0) tok = forced;
    else {
      const logits = logitsFn(seq);
      const banned = bannedNgramTokens(seq, noRepeat);
      tok = -1;
      for (let v = 0; v < logits.length; v++) if (!banned.has(v) && (tok < 0 || logits[v]! > logits[tok]!)) tok = v;
    }
    seq.push(tok);
    if (tok === EOS) break;
  }
  return seq;
}

function refBeam(
  logitsFn: (seq: number[]) => Float32Array,
  forced: number,
  maxNew: number,
  k: number,
  lp: number,
  early: EarlyStopping,
  vocab: number,
): { tokens: number[]; score: number; hypotheses: { tokens: number[]; score: number }[] } {
  const maxLength = 1 + maxNew;
  let seqs: number[][] = Array.from({ length: k }, () => [START]);
  let scores: number[] = Array.from({ length: k }, (_, i) => (i === 0 ? 0 : -1e9));
  const hyps: { score: number; tokens: number[] }[] = [];
  let worst = 1e9;
  const add = (tokens: number[], sum: number, genLen: number): void => {
    const score = sum / genLen ** lp;
    if (hyps.length < k || score > worst) {
      hyps.push({ score, tokens });
      if (hyps.length > k) {
        const order = hyps.map((h, i) => [h.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        hyps.splice(order[0]![1], 1);
        worst = order[1]![0];
      } else worst = Math.min(score, worst);
    }
  };
  const isDone = (best: number, curLen: number): boolean => {
    if (hyps.length < k) return false;
    if (early === true) return true;
    const denom = early === 'never' && lp > 0 ? maxLength - 1 : curLen - 1;
    return worst >= best / denom ** lp;
  };
  let done = false;
  for (;;) {
    const curLen = seqs[0]!.length;
    const cands: { score: number; b: number; v: number }[] = [];
    for (let b = 0; b < k; b++) {
      let logp: Float64Array;
      if (curLen === 1) {
        logp = new Float64Array(vocab).fill(-Infinity);
        logp[forced] = 0;
      } else {
        const logits = logitsFn(seqs[b]!);
        logp = logSoftmax(logits, 0, vocab);
      }
      for (let v = 0; v < vocab; v++) cands.push({ score: curLen === 1 ? scores[b]! + logp[v]! : scores[b]! + logp[v]!, b, v });
    }
    cands.sort((x, y) => (x.score !== y.score ? (y.score > x.score ? 1 : -1) : x.b * vocab + x.v - (y.b * vocab + y.v)));
    const top = cands.slice(0, 2 * k);
    const nextSeqs: number[][] = [];
    const nextScores: number[] = [];
    for (let rank = 0; rank < top.length && nextSeqs.length < k; rank++) {
      const c = top[rank]!;
      if (c.v === EOS) {
        if (rank >= k) continue;
        add([...seqs[c.b]!], c.score, curLen);
      } else {
        nextSeqs.push([...seqs[c.b]!, c.v]);
        nextScores.push(c.score);
      }
    }
    done = done || isDone(top[0]!.score, curLen + 1);
    seqs = nextSeqs;
    scores = nextScores;
    if (done || seqs[0]!.length >= maxLength) break;
  }
  if (!done) for (let b = 0; b < k; b++) add(seqs[b]!, scores[b]!, seqs[b]!.length - 1);
  let best = hyps[0]!;
  for (const h of hyps) if (h.score >= best.score) best = h;
  const tokens = [...best.tokens];
  if (tokens.length < maxLength) tokens.push(EOS);
  // HF's sorted(hyps, key=score) then pop() from the end: best first, on ties the later one first.
  const hypotheses = hyps
    .map((h, i) => [h, i] as const)
    .sort((a, b) => b[0].score - a[0].score || b[1] - a[1])
    .map(([h]) => ({ tokens: h.tokens.length < maxLength ? [...h.tokens, EOS] : [...h.tokens], score: h.score }));
  return { tokens, score: best.score, hypotheses };
}

/** Σ log_softmax of the tokens a search chose after the forced one, recomputed from the logits. */
function refLogprob(logitsFn: (seq: number[]) => Float32Array, tokens: readonly number[], vocab: number): number {
  let sum = 0;
  for (let i = 2; i < tokens.length; i++) sum += logSoftmax(logitsFn(tokens.slice(0, i)), 0, vocab)[tokens[i]!]!;
  return sum;
}

// --- tests -----------------------------------------------------------------------------------------

describe('BeamHypotheses (HF BeamSearchScorer semantics)', () => {
  it('scores by sum_logprobs / generated_len ** length_penalty', () => {
    const h = new BeamHypotheses(2, 1.0, true, 10);
    h.add([2, 7, 5], -3, 3);
    expect(h.beams[0]!.score).toBeCloseTo(-1, 12);
    const h2 = new BeamHypotheses(2, 2.0, true, 10);
    h2.add([2, 7, 5], -3, 3);
    expect(h2.beams[0]!.score).toBeCloseTo(-3 / 9, 12);
    const h0 = new BeamHypotheses(2, 0, true, 10);
    h0.add([2, 7], -3, 2);
    expect(h0.beams[0]!.score).toBe(-3);
  });

  it('keeps the best numBeams hypotheses, evicting the worst', () => {
    const h = new BeamHypotheses(2, 1.0, true, 10);
    h.add([1], -4, 2); // -2
    h.add([2], -3, 3); // -1
    h.add([3], -10, 2); // -5: worse than the worst of a full set, dropped
    expect(h.beams.map((b) => b.tokens[0])).toEqual([1, 2]);
    h.add([4], -1, 2); // -0.5 evicts -2
    expect(h.beams.map((b) => b.tokens[0]).sort()).toEqual([2, 4]);
    expect(h.best()!.tokens).toEqual([4]);
  });

  it('is done per early_stopping: true / false / "never"', () => {
    const t = new BeamHypotheses(2, 1.0, true, 20);
    t.add([1], -2, 2);
    expect(t.isDone(-0.1, 5)).toBe(false); // fewer than numBeams
    t.add([2], -2, 2);
    expect(t.isDone(-0.1, 5)).toBe(true);

    const f = new BeamHypotheses(2, 1.0, false, 20);
    f.add([1], -2, 2); // -1
    f.add([2], -4, 2); // worst -2
    // best attainable = best_sum / (cur_len - 1): -8/4 = -2 -> worst (-2) >= -2: done
    expect(f.isDone(-8, 5)).toBe(true);
    // -6/4 = -1.5 > worst: not done
    expect(f.isDone(-6, 5)).toBe(false);

    const n = new BeamHypotheses(2, 1.0, 'never', 20);
    n.add([1], -2, 2);
    n.add([2], -4, 2); // worst -2
    // 'never' with lp > 0 divides by max_length - 1 = 19: -8/19 > -2: not done, unlike false
    expect(n.isDone(-8, 5)).toBe(false);
    expect(n.isDone(-40, 5)).toBe(true);
  });
});

describe('processors', () => {
  it('bans tokens that would repeat an n-gram (HF no_repeat_ngram_size)', () => {
    // sequence 2 5 6 7 5 6: the 3-gram prefix (5, 6) was followed by 7 -> 7 banned
    expect([...bannedNgramTokens([2, 5, 6, 7, 5, 6], 3)]).toEqual([7]);
    expect([...bannedNgramTokens([2, 5, 6, 7, 5, 8], 3)]).toEqual([]);
    expect([...bannedNgramTokens([2, 5, 6, 5], 2)]).toEqual([6]);
    expect(bannedNgramTokens([2, 5], 4).size).toBe(0); // too short
    expect(bannedNgramTokens([2, 5, 5], 0).size).toBe(0); // off
    expect([...bannedNgramTokens([2, 5, 6], 1)].sort()).toEqual([2, 5, 6]);
  });

  it('detects an n-gram repeated minRepeats times at the end of the generated tokens', () => {
    const guard = { maxNgram: 3, minRepeats: 3 };
    expect(isDegenerateRepetition([2, 9, 4, 4, 4], 2, guard)).toBe(true);
    expect(isDegenerateRepetition([2, 9, 4, 4], 2, guard)).toBe(false);
    expect(isDegenerateRepetition([2, 9, 5, 6, 7, 5, 6, 7, 5, 6, 7], 2, guard)).toBe(true);
    expect(isDegenerateRepetition([2, 9, 5, 6, 7, 5, 6, 7, 5, 6, 8], 2, guard)).toBe(false);
    // the prefix (start, language) never counts: [2, 4] + 4 4 is only two generated repeats
    expect(isDegenerateRepetition([2, 4, 4, 4], 2, guard)).toBe(false);
    // a 4-gram is beyond maxNgram 3
    expect(isDegenerateRepetition([2, 9, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], 2, guard)).toBe(false);
    expect(isDegenerateRepetition([2, 9, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], 2, { maxNgram: 4, minRepeats: 3 })).toBe(true);
  });

  it('top candidates: log-softmax + beam score, best first, banned and -inf left out', () => {
    const logits = Float32Array.from([0, 1, 3, 2, -Infinity]);
    const lse = Math.log(Math.exp(0) + Math.exp(1) + Math.exp(3) + Math.exp(2));
    const c = topCandidates(logits, 0, 5, 7, -1, 3, new Set([3]), null);
    expect(c.map((x) => x.token)).toEqual([2, 1, 0]);
    expect(c[0]!.score).toBeCloseTo(-1 + 3 - lse, 12);
    expect(c.every((x) => x.beam === 7)).toBe(true);
    expect(topCandidates(logits, 0, 5, 0, -2, 3, null, 4)).toEqual([{ score: -2, token: 4, beam: 0 }]);
    expect(argmax(logits, 0, 5)).toBe(2);
    expect(argmax(logits, 0, 5, new Set([2]))).toBe(3);
  });
});

describe('log-sum-exp', () => {
  /** The textbook computation, with Math.exp, in float64. */
  function referenceLse(values: Float32Array): number {
    let max = -Infinity;
    for (const v of values) if (v > max) max = v;
    if (max === -Infinity || max === Infinity) return max;
    let sum = 0;
    for (const v of values) sum += Math.exp(v - max);
    return max + Math.log(sum);
  }

  it('equals the Math.exp computation to double precision, -Infinity entries ignored', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }), fc.constant(-Infinity)), { minLength: 1, maxLength: 400 }),
        (values) => {
          const logits = Float32Array.from(values);
          const expected = referenceLse(logits);
          const got = logSumExp(logits, 0, logits.length);
          if (!Number.isFinite(expected)) expect(got).toBe(expected);
          else expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads only its row, and says NaN or ±Infinity as the row has them', () => {
    const row = Float32Array.from([9, 1, 2, 3, 9]);
    expect(logSumExp(row, 1, 3)).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 14);
    expect(logSumExp(Float32Array.from([1, Number.NaN, 2]), 0, 3)).toBeNaN();
    expect(logSumExp(Float32Array.from([-Infinity, -Infinity]), 0, 2)).toBe(-Infinity);
    expect(logSumExp(Float32Array.from([1, Infinity]), 0, 2)).toBe(Infinity);
  });
});

describe('greedy log-probability', () => {
  it('argmaxWithLogprob picks what argmax picks, with log_softmax of it within 1e-4', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constant(-Infinity)), { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(299), { maxLength: 5 }),
        (values, bannedIds) => {
          const logits = Float32Array.from(values);
          const banned = new Set(bannedIds.filter((id) => id < values.length));
          const pick = argmaxWithLogprob(logits, 0, logits.length, banned);
          expect(pick.token).toBe(argmax(logits, 0, logits.length, banned));
          if (pick.token >= 0) expect(Math.abs(pick.logprob - logSoftmax(logits, 0, logits.length)[pick.token]!)).toBeLessThan(1e-4);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('max new tokens bound', () => {
  const limits = { ...DEFAULT_LIMITS };
  it('is relative to the input, capped, and within the decoder positions', () => {
    expect(newTokenCap(10, limits, 1024)).toBe(16 + 2 * 10);
    expect(newTokenCap(10, limits, 1024, 5)).toBe(5);
    expect(newTokenCap(10, limits, 1024, 500)).toBe(36); // a request cannot exceed the relative bound
    expect(newTokenCap(400, limits, 1024)).toBe(512); // hard cap
    expect(newTokenCap(400, limits, 256)).toBe(255); // positions: start token + 255 new = 256
    expect(() => newTokenCap(10, limits, 1024, 0)).toThrow(RangeError);
    expect(() => newTokenCap(10, limits, 1024, 2.5)).toThrow(RangeError);
  });
});

describe('search over synthetic logits', () => {
  const V = 32;
  const FORCED = 20;

  it('greedy equals the reference, stops at </s> or the max length', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 2, 3), async (seed, maxNew, noRepeat) => {
        const stepper = new SyntheticStepper(V, seed);
        const r = await search(stepper, [{ forcedTokenId: FORCED, maxNewTokens: maxNew }], options({ noRepeatNgramSize: noRepeat }), SPECIAL);
        const expected = refGreedy((s) => syntheticLogits(seed, 0, s, V, 0.4), FORCED, maxNew, noRepeat);
        expect(r.rows[0]!.tokens).toEqual(expected);
        expect(r.rows[0]!.tokens.length).toBeLessThanOrEqual(1 + maxNew);
        expect(r.rows[0]!.finished).toBe(expected[expected.length - 1] === EOS);
        // the score's input: the model's log-prob of every token greedy kept
        expect(r.rows[0]!.logprob).toBeCloseTo(refLogprob((s) => syntheticLogits(seed, 0, s, V, 0.4), expected, V), 3);
        expect(r.rows[0]!.alternatives).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('beam search equals the reference port of HF (scores too)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(1.0, 0.6, 1.5, 0),
        fc.constantFrom<EarlyStopping>(true, false, 'never'),
        async (seed, k, maxNew, lp, early) => {
          const stepper = new SyntheticStepper(V, seed);
          const r = await search(stepper, [{ forcedTokenId: FORCED, maxNewTokens: maxNew }], options({ beamSize: k, lengthPenalty: lp, earlyStopping: early }), SPECIAL);
          const expected = refBeam((s) => syntheticLogits(seed, 0, s, V, 0.4), FORCED, maxNew, k, lp, early, V);
          expect(r.rows[0]!.tokens).toEqual(expected.tokens);
          expect(r.rows[0]!.score).toBeCloseTo(expected.score, 9);
          // the score was normalised from the chosen hypothesis' log-prob sum
          expect(r.rows[0]!.logprob).toBeCloseTo(refLogprob((s) => syntheticLogits(seed, 0, s, V, 0.4), expected.tokens, V), 6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('beam search returns the n-best finished hypotheses after the chosen one, as HF ranks them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom<EarlyStopping>(true, false),
        async (seed, k, maxNew, early) => {
          const n = k - 1;
          const stepper = new SyntheticStepper(V, seed);
          const r = await search(stepper, [{ forcedTokenId: FORCED, maxNewTokens: maxNew }], options({ beamSize: k, earlyStopping: early, alternatives: n }), SPECIAL);
          const ref = refBeam((s) => syntheticLogits(seed, 0, s, V, 0.4), FORCED, maxNew, k, 1, early, V);
          // asking for alternatives does not change the chosen hypothesis
          expect(r.rows[0]!.tokens).toEqual(ref.tokens);
          const finishedOthers = ref.hypotheses.slice(1).filter((h) => h.tokens[h.tokens.length - 1] === EOS);
          expect(r.rows[0]!.alternatives.map((a) => a.tokens)).toEqual(finishedOthers.slice(0, n).map((h) => h.tokens));
          r.rows[0]!.alternatives.forEach((a, i) => {
            expect(a.score).toBeCloseTo(finishedOthers[i]!.score, 9);
            expect(a.score).toBeLessThanOrEqual(r.rows[0]!.score!);
            expect(a.tokens).not.toEqual(r.rows[0]!.tokens);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a batch gives exactly the outputs of its rows run one by one, and finished rows stop costing steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.record({ maxNew: fc.integer({ min: 1, max: 10 }), forced: fc.integer({ min: 3, max: V - 1 }) }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (seed, rowSpecs, k) => {
          const rows = rowSpecs.map((r) => ({ forcedTokenId: r.forced, maxNewTokens: r.maxNew }));
          const opts = options({ beamSize: k });
          const batch = new SyntheticStepper(V, seed);
          const together = await search(batch, rows, opts, SPECIAL);
          let positions = 0;
          for (let i = 0; i < rows.length; i++) {
            const single = new SyntheticStepper(V, seed, 0.4, i);
            const alone = await search(single, [rows[i]!], opts, SPECIAL);
            positions += single.positions;
            expect(together.rows[i]).toEqual(alone.rows[0]);
          }
          // Finished rows leave the batch: the batch computes exactly the positions of the single runs.
          expect(batch.positions).toBe(positions);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never emits tokens after </s> and forces the language token', async () => {
    const stepper = new SyntheticStepper(V, 12345, 3); // strong </s> bias: rows finish early
    const r = await search(stepper, [{ forcedTokenId: FORCED, maxNewTokens: 30 }, { forcedTokenId: 21, maxNewTokens: 30 }], options(), SPECIAL);
    for (const [i, row] of r.rows.entries()) {
      expect(row.tokens.slice(0, 2)).toEqual([START, i === 0 ? FORCED : 21]);
      expect(row.tokens.indexOf(EOS, 1)).toBe(row.tokens.length - 1);
    }
  });

  it('the repetition guard ends a looping row with </s>; off, the row runs to the max length', async () => {
    // A stepper whose argmax is always token 7: a degenerate loop.
    const loop: DecoderStepper = {
      vocabSize: 10,
      step: (input) => {
        const out = new Float32Array(input.sequences.length * 10);
        for (let i = 0; i < input.sequences.length; i++) out[i * 10 + 7] = 5;
        return Promise.resolve(out);
      },
    };
    const row = [{ forcedTokenId: 8, maxNewTokens: 40 }];
    const off = await search(loop, row, options(), SPECIAL);
    expect(off.rows[0]!.tokens.length).toBe(41);
    expect(off.rows[0]!.finished).toBe(false);
    expect(off.rows[0]!.repetition).toBe(false);
    const on = await search(loop, row, options({ repetitionGuard: { maxNgram: 2, minRepeats: 4 } }), SPECIAL);
    expect(on.rows[0]!.tokens).toEqual([START, 8, 7, 7, 7, 7, EOS]);
    // the row says the guard ended it; the forced </s> adds nothing to its log-prob
    expect(on.rows[0]!.repetition).toBe(true);
    expect(on.rows[0]!.logprob).toBeCloseTo(4 * logSoftmax(Float32Array.from([0, 0, 0, 0, 0, 0, 0, 5, 0, 0]), 0, 10)[7]!, 9);
    const beam = await search(loop, row, options({ beamSize: 2, repetitionGuard: { maxNgram: 2, minRepeats: 4 } }), SPECIAL);
    expect(beam.rows[0]!.tokens.length).toBeLessThan(12);
    expect(beam.rows[0]!.finished).toBe(true);
    expect(beam.rows[0]!.repetition).toBe(true);
    // no_repeat_ngram_size 2 breaks the loop differently: 7 can follow 7 only once
    const ngram = await search(loop, row, options({ noRepeatNgramSize: 2 }), SPECIAL);
    expect(ngram.rows[0]!.tokens.slice(0, 4)).toEqual([START, 8, 7, 7]);
    expect(ngram.rows[0]!.tokens[4]).not.toBe(7);
  });

  it('a </s> ranked below the top K candidates does not finish a hypothesis (HF)', async () => {
    // K = 2. After [2, 5] the beams are [.., 3] and [.., 4]. Next step's ranking:
    //   0: [.., 3] + </s>   1: [.., 4] + 1   2: [.., 4] + </s>   3: [.., 3] + 0
    // Only rank 0 finishes; rank 2's </s> is skipped, so the sentence holds 1 hypothesis and
    // continues one more step (were rank 2 counted, early stopping would end it after 2 steps).
    const table: DecoderStepper = {
      vocabSize: 6,
      step: (input) => {
        const out = new Float32Array(input.sequences.length * 6);
        input.sequences.forEach((seq, i) => {
          let l: number[];
          if (seq.length === 2) l = [-20, -20, -20, 3, 3, -20];
          else if (seq.length === 3 && seq[2] === 3) l = [-2.4, -20, 0, -20, -20, -20];
          else if (seq.length === 3) l = [-20, 0, -0.5, -20, -20, -20];
          else l = [0, 0, 10, 0, 0, 0];
          out.set(l, i * 6);
        });
        return Promise.resolve(out);
      },
    };
    const r = await search(table, [{ forcedTokenId: 5, maxNewTokens: 10 }], options({ beamSize: 2 }), SPECIAL);
    expect(r.stats.steps).toBe(3);
    expect(r.rows[0]!.tokens).toEqual([2, 5, 3, EOS]);
  });

  it('rejects invalid options', async () => {
    const s = new SyntheticStepper(V, 1);
    await expect(search(s, [{ forcedTokenId: 5, maxNewTokens: 0 }], options(), SPECIAL)).rejects.toThrow(RangeError);
    await expect(search(s, [{ forcedTokenId: 5, maxNewTokens: 3 }], options({ beamSize: 0 }), SPECIAL)).rejects.toThrow(RangeError);
    // n alternatives need n + 1 beams
    await expect(search(s, [{ forcedTokenId: 5, maxNewTokens: 3 }], options({ beamSize: 2, alternatives: 2 }), SPECIAL)).rejects.toThrow(/alternatives/);
    await expect(search(s, [{ forcedTokenId: 5, maxNewTokens: 3 }], options({ alternatives: 1 }), SPECIAL)).rejects.toThrow(/alternatives/);
  });
});
