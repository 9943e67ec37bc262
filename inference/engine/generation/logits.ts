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
