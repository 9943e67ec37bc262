/**
 * Greedy and beam search over a DecoderStepper, with the semantics of transformers' generate() for
 * NLLB (decoder_start_token_id = </s>, forced_bos_token_id = the target language):
 *
 *  - every row starts as [start, forced]; the forced token's log-prob counts as 0 (HF writes 0);
 *  - greedy: argmax of the (processed) logits; a row is finished at `</s>` or at 1 + maxNewTokens
 *    tokens; a finished row leaves the batch (it never emits tokens after `</s>` and costs no compute);
 *  - beam search (see beam-scorer.ts): each step ranks, per row, the top 2K of beam score + log-prob
 *    over its live beams × vocabulary; a `</s>` candidate of rank < K becomes a finished hypothesis,
 *    the others fill the K running beams; a row is done per `earlyStopping` or at its max length
 *    (then its running beams become hypotheses too); a done row leaves the batch. The chosen
 *    hypothesis is HF's; with `alternatives` > 0 the next finished ones come too, best first;
 *  - both sum the log-softmax of the tokens they keep (RowOutput.logprob), for the per-result
 *    confidence; greedy gets it in the pass that finds the argmax (logits.ts argmaxWithLogprob);
 *  - both flag a returned sequence whose `</s>` the repetition guard forced (RowOutput.repetition).
 *
 * The first step expands the single beam [start, forced] of each row, which equals HF's start with
 * beam scores [0, -1e9, ...] (the -1e9 beams can never reach the top 2K).
 */
import { BeamHypotheses } from './beam-scorer.js';
import { argmaxWithLogprob, compareCandidates, topCandidates, type Candidate } from './logits.js';
import { bannedNgramTokens, isDegenerateRepetition } from './processors.js';
import type {
  AlternativeOutput,
  DecoderStepper,
  RowOutput,
  SearchOptions,
  SearchResult,
  SearchRow,
  SpecialTokenIds,
} from './types.js';

/** Index of the first generated token in a decoder sequence ([start, forced, ...]). */
const FIRST_GENERATED = 2;

export function validateSearch(rows: readonly SearchRow[], options: SearchOptions): void {
  if (!Number.isInteger(options.beamSize) || options.beamSize < 1) {
    throw new RangeError(`beamSize must be a positive integer, got ${options.beamSize}`);
  }
  if (!Number.isFinite(options.lengthPenalty)) throw new RangeError('lengthPenalty must be finite');
  if (!Number.isInteger(options.noRepeatNgramSize) || options.noRepeatNgramSize < 0) {
    throw new RangeError(`noRepeatNgramSize must be a non-negative integer, got ${options.noRepeatNgramSize}`);
  }
  if (!Number.isInteger(options.alternatives) || options.alternatives < 0 || options.alternatives > options.beamSize - 1) {
    throw new RangeError(`alternatives must be an integer from 0 to beamSize - 1 (${options.beamSize - 1}), got ${options.alternatives}`);
  }
  const guard = options.repetitionGuard;
  if (guard && (!Number.isInteger(guard.maxNgram) || guard.maxNgram < 1 || !Number.isInteger(guard.minRepeats) || guard.minRepeats < 2)) {
    throw new RangeError('repetitionGuard needs maxNgram >= 1 and minRepeats >= 2');
  }
  for (const row of rows) {
    if (!Number.isInteger(row.maxNewTokens) || row.maxNewTokens < 1) {
      throw new RangeError(`maxNewTokens must be a positive integer, got ${row.maxNewTokens}`);
    }
  }
}

/** Runs greedy (beamSize 1) or beam search for every row. */
export async function search(
  stepper: DecoderStepper,
  rows: readonly SearchRow[],
  options: SearchOptions,
  special: SpecialTokenIds,
): Promise<SearchResult> {
  validateSearch(rows, options);
  if (rows.length === 0) return { rows: [], stats: { steps: 0, hypothesisSteps: 0 } };
  return options.beamSize === 1
    ? greedySearch(stepper, rows, options, special)
    : beamSearch(stepper, rows, options, special);
}

/** One decoder call for `sequences` (hypothesis i belongs to source row rows[i]), counted and checked. */
async function decodeStep(
  stepper: DecoderStepper,
  sequences: readonly number[][],
  rows: readonly number[],
  parents: Int32Array | null,
  vocab: number,
  stats: { steps: number; hypothesisSteps: number },
): Promise<Float32Array> {
  const logits = await stepper.step({ sequences, rows: Int32Array.from(rows), parents });
  stats.steps++;
  stats.hypothesisSteps += sequences.length;
  if (logits.length < sequences.length * vocab) {
    throw new Error(`decoder returned ${logits.length} logits for ${sequences.length} × ${vocab}`);
  }
  return logits;
}

function forcedEos(sequence: readonly number[], options: SearchOptions): boolean {
  return options.repetitionGuard !== null && isDegenerateRepetition(sequence, FIRST_GENERATED, options.repetitionGuard);
}

function bannedFor(sequence: readonly number[], options: SearchOptions): Set<number> | null {
  if (options.noRepeatNgramSize <= 0) return null;
  const banned = bannedNgramTokens(sequence, options.noRepeatNgramSize);
  return banned.size === 0 ? null : banned;
}

export async function greedySearch(
  stepper: DecoderStepper,
  rows: readonly SearchRow[],
  options: SearchOptions,
  special: SpecialTokenIds,
): Promise<SearchResult> {
  const { eosTokenId, decoderStartTokenId } = special;
  const vocab = stepper.vocabSize;
  const out: RowOutput[] = rows.map((r) => ({
    tokens: [decoderStartTokenId, r.forcedTokenId],
    score: null,
    logprob: 0,
    finished: r.forcedTokenId === eosTokenId,
    repetition: false,
    alternatives: [],
  }));
  const maxLen = rows.map((r) => 1 + r.maxNewTokens);
  // Live rows, in batch order.
  let live: number[] = [];
  for (let r = 0; r < rows.length; r++) if (!out[r]!.finished && out[r]!.tokens.length < maxLen[r]!) live.push(r);
  let parents: Int32Array | null = null;
  const stats = { steps: 0, hypothesisSteps: 0 };

  while (live.length > 0) {
    const sequences = live.map((r) => out[r]!.tokens);
    const logits = await decodeStep(stepper, sequences, live, parents, vocab, stats);
    const nextLive: number[] = [];
    const nextParents: number[] = [];
    for (let i = 0; i < live.length; i++) {
      const r = live[i]!;
      const row = out[r]!;
      let token: number;
      if (forcedEos(row.tokens, options)) {
        token = eosTokenId;
        row.repetition = true;
      } else {
        const pick = argmaxWithLogprob(logits, i * vocab, vocab, bannedFor(row.tokens, options) ?? undefined);
        token = pick.token;
        if (token < 0) token = eosTokenId; // everything banned: end the row rather than emit garbage
        else row.logprob += pick.logprob;
      }
      row.tokens.push(token);
      if (token === eosTokenId) row.finished = true;
      else if (row.tokens.length < maxLen[r]!) {
        nextLive.push(r);
        nextParents.push(i);
      }
    }
    live = nextLive;
    parents = Int32Array.from(nextParents);
  }
  return { rows: out, stats };
}

interface Beam {
  tokens: number[];
  score: number;
}

export async function beamSearch(
  stepper: DecoderStepper,
  rows: readonly SearchRow[],
  options: SearchOptions,
  special: SpecialTokenIds,
): Promise<SearchResult> {
  const { eosTokenId, decoderStartTokenId } = special;
  const k = options.beamSize;
  const vocab = stepper.vocabSize;
  const maxLen = rows.map((r) => 1 + r.maxNewTokens);
  const hyps = rows.map(
    (_, r) => new BeamHypotheses(k, options.lengthPenalty, options.earlyStopping, maxLen[r]!, 1),
  );
  const results: (RowOutput | undefined)[] = rows.map(() => undefined);
  // Running beams per row; a row absent from `live` is done.
  const running: Beam[][] = rows.map((r) => [{ tokens: [decoderStartTokenId, r.forcedTokenId], score: 0 }]);
  let live: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const start = running[r]![0]!;
    if (rows[r]!.forcedTokenId === eosTokenId) {
      results[r] = { tokens: start.tokens.slice(), score: 0, logprob: 0, finished: true, repetition: false, alternatives: [] };
    } else if (start.tokens.length >= maxLen[r]!) {
      hyps[r]!.add(start.tokens, 0, start.tokens.length - 1);
      results[r] = finalRow(hyps[r]!, maxLen[r]!, eosTokenId, start.tokens, options.alternatives);
    } else live.push(r);
  }
  let parents: Int32Array | null = null;
  const stats = { steps: 0, hypothesisSteps: 0 };

  while (live.length > 0) {
    // Flatten the live beams, row-major.
    const sequences: number[][] = [];
    const beamRows: number[] = [];
    const firstBeam: number[] = [];
    for (const r of live) {
      firstBeam.push(sequences.length);
      for (const b of running[r]!) {
        sequences.push(b.tokens);
        beamRows.push(r);
      }
    }
    const logits = await decodeStep(stepper, sequences, beamRows, parents, vocab, stats);

    const nextLive: number[] = [];
    const nextParents: number[] = [];
    for (let li = 0; li < live.length; li++) {
      const r = live[li]!;
      const beams = running[r]!;
      const base = firstBeam[li]!;
      const candidates: Candidate[] = [];
      // Beams whose next token the repetition guard forces to </s>.
      const guarded: boolean[] = [];
      for (let b = 0; b < beams.length; b++) {
        const beam = beams[b]!;
        guarded.push(forcedEos(beam.tokens, options));
        const forced = guarded[b] ? eosTokenId : null;
        candidates.push(
          ...topCandidates(logits, (base + b) * vocab, vocab, b, beam.score, 2 * k, bannedFor(beam.tokens, options), forced),
        );
      }
      candidates.sort(compareCandidates);
      const top = candidates.slice(0, 2 * k);
      const curLen = beams[0]!.tokens.length + 1; // length after this step
      const next: Beam[] = [];
      const nextParentLocal: number[] = [];
      for (let rank = 0; rank < top.length && next.length < k; rank++) {
        const c = top[rank]!;
        const parent = beams[c.beam]!;
        if (c.token === eosTokenId) {
          // Only a </s> among the top K ranks finishes a hypothesis (HF: is_beam_token_worse_than_top_num_beams).
          if (rank >= k) continue;
          hyps[r]!.add(parent.tokens.slice(), c.score, curLen - 1, guarded[c.beam]);
        } else {
          next.push({ tokens: [...parent.tokens, c.token], score: c.score });
          nextParentLocal.push(c.beam);
        }
      }
      const bestScore = top.length > 0 ? top[0]!.score : -Infinity;
      let done = hyps[r]!.isDone(bestScore, curLen) || next.length === 0;
      if (!done && curLen >= maxLen[r]!) {
        // Max length: the running beams become hypotheses too (no </s>).
        for (const b of next) hyps[r]!.add(b.tokens, b.score, b.tokens.length - 1);
        done = true;
      }
      if (done) {
        results[r] = finalRow(hyps[r]!, maxLen[r]!, eosTokenId, beams[0]!.tokens, options.alternatives);
        running[r] = [];
      } else {
        running[r] = next;
        nextLive.push(r);
        for (const p of nextParentLocal) nextParents.push(base + p);
      }
    }
    live = nextLive;
    parents = Int32Array.from(nextParents);
  }
  return {
    rows: results.map(
      (r, i) => r ?? { tokens: [decoderStartTokenId, rows[i]!.forcedTokenId], score: null, logprob: 0, finished: false, repetition: false, alternatives: [] },
    ),
    stats,
  };
}

/**
 * The best hypothesis + </s> (if shorter than the max length), as HF's finalize, and up to
 * `alternatives` of the next best that finished with </s> (a hypothesis cut at the max length is
 * no alternative to offer).
 */
function finalRow(hyps: BeamHypotheses, maxLen: number, eosTokenId: number, fallback: readonly number[], alternatives: number): RowOutput {
  const [best, ...rest] = hyps.ranked();
  // No hypothesis at all only happens when every candidate was -Infinity (e.g. NaN logits): end the row.
  if (best === undefined) return { tokens: fallback.slice(), score: null, logprob: 0, finished: false, repetition: false, alternatives: [] };
  const withEos = (tokens: readonly number[]): number[] => (tokens.length < maxLen ? [...tokens, eosTokenId] : tokens.slice());
  const tokens = withEos(best.tokens);
  const others: AlternativeOutput[] = rest
    .filter((h) => h.tokens.length < maxLen)
    .slice(0, alternatives)
    .map((h) => ({ tokens: withEos(h.tokens), score: h.score }));
  return { tokens, score: best.score, logprob: best.sumLogprobs, finished: best.tokens.length < maxLen, repetition: best.repetition, alternatives: others };
}
