/** Numeric helpers over one row of logits (a slice of a Float32Array), computed in float64. */

/** log(sum(exp(x))) of logits[offset .. offset+size), ignoring -Infinity entries; -Infinity if all are. */
export function logSumExp(logits: Float32Array, offset: number, size: number): number {
  let max = -Infinity;
  for (let i = 0; i < size; i++) {
    const v = logits[offset + i]!;
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  if (max === Infinity || Number.isNaN(max)) return max;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    sum += Math.exp(logits[offset + i]! - max);
  }
  return max + Math.log(sum);
}

/** log_softmax of one row, float64. */
export function logSoftmax(logits: Float32Array, offset: number, size: number): Float64Array {
  const lse = logSumExp(logits, offset, size);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = logits[offset + i]! - lse;
  return out;
}

/**
 * Index of the largest entry of the row, skipping banned ids; ties go to the lowest index.
 * Returns -1 when every entry is banned or -Infinity.
 */
export function argmax(logits: Float32Array, offset: number, size: number, banned?: ReadonlySet<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < size; i++) {
    const v = logits[offset + i]!;
    if (v > bestValue && !(banned && banned.has(i))) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * exp(-d) for 0 <= d < EXP_RANGE, by linear interpolation in a table of step 1/EXP_STEPS: relative
 * error under 3.1e-5 (h²/8 for h = 1/64), about 4x cheaper than Math.exp in V8. Terms further below
 * the max are dropped: each is < exp(-30) ≈ 9.4e-14, so a whole 256k vocabulary of them adds
 * < 2.5e-8 to a sum that is at least 1.
 */
const EXP_STEPS = 64;
const EXP_RANGE = 30;
const EXP_LIMIT = EXP_RANGE * EXP_STEPS;
const EXP_TABLE = Float64Array.from({ length: EXP_LIMIT + 2 }, (_, i) => Math.exp(-i / EXP_STEPS));

/**
 * Greedy's pick and its log-probability: the argmax as `argmax` picks it (banned ids skipped,
 * ties to the lowest index) and logits[token] - logSumExp(row) over the raw row (banned ids
 * included: the score is the model's own probability of the token). Two passes over the row (the
 * argmax is the max but for banned ids, which are few), no log-softmax array, and the table exp
 * above (log-prob error under 4e-5): greedy pays a fraction of beam search's log-softmax. Token
 * -1 (log-prob 0) when every entry is banned or -Infinity; NaN entries are skipped.
 */
export function argmaxWithLogprob(
  logits: Float32Array,
  offset: number,
  size: number,
  banned?: ReadonlySet<number>,
): { token: number; logprob: number } {
  const best = argmax(logits, offset, size, banned);
  if (best < 0) return { token: -1, logprob: 0 };
  const bestValue = logits[offset + best]!;
  // Without banned ids the argmax is the max; with them, the max may be a banned id.
  let max = bestValue;
  if (banned) for (const id of banned) if (id >= 0 && id < size && logits[offset + id]! > max) max = logits[offset + id]!;
  if (max === Infinity) return { token: best, logprob: bestValue === Infinity ? 0 : -Infinity };
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const d = (max - logits[offset + i]!) * EXP_STEPS;
    // NaN and -Infinity entries fail this test too.
    if (d < EXP_LIMIT) {
      const k = d | 0;
      const lo = EXP_TABLE[k]!;
      sum += lo + (EXP_TABLE[k + 1]! - lo) * (d - k);
    }
  }
  return { token: best, logprob: bestValue - (max + Math.log(sum)) };
}

export interface Candidate {
  /** Cumulative score (beam score + token log-prob). */
  score: number;
  token: number;
  /** Index of the hypothesis (within the caller's list) the candidate extends. */
  beam: number;
}

/** Orders candidates best first; ties by (beam, token) ascending, i.e. by flat index as torch.topk over K×V. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.score !== b.score) return b.score > a.score ? 1 : -1;
  if (a.beam !== b.beam) return a.beam - b.beam;
  return a.token - b.token;
}

/**
 * The `k` best candidates of one hypothesis: score = beamScore + log_softmax(logits)[token], with
 * banned tokens at -Infinity and, when `forcedToken` is set, every other token at -Infinity and the
 * forced token's log-prob 0 (HF's forced-token processors). -Infinity candidates are left out.
 * Sorted best first.
 */
export function topCandidates(
  logits: Float32Array,
  offset: number,
  vocabSize: number,
  beam: number,
  beamScore: number,
  k: number,
  banned: ReadonlySet<number> | null,
  forcedToken: number | null,
): Candidate[] {
  if (forcedToken !== null) return [{ score: beamScore, token: forcedToken, beam }];
  const lse = logSumExp(logits, offset, vocabSize);
  // Keep the k largest logits (insertion into a small sorted array; k is at most 2 × MAX_BEAMS).
  const top: Candidate[] = [];
  for (let t = 0; t < vocabSize; t++) {
    const v = logits[offset + t]!;
    if (v === -Infinity || Number.isNaN(v)) continue;
    if (top.length === k && v <= top[k - 1]!.score) continue;
    if (banned && banned.has(t)) continue;
    let i = top.length < k ? top.length : k - 1;
    if (top.length < k) top.push({ score: v, token: t, beam });
    else top[i] = { score: v, token: t, beam };
    // Strictly greater moves up, so among equal logits the lower token id stays first.
    while (i > 0 && top[i - 1]!.score < v) {
      const tmp = top[i - 1]!;
      top[i - 1] = top[i]!;
      top[i] = tmp;
      i--;
    }
  }
  for (const c of top) c.score = beamScore + (c.score - lse);
  return top;
}
