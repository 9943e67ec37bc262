/** Logits processors of the search, as pure functions over one hypothesis' token sequence. */
import type { RepetitionGuard } from './types.js';

/**
 * HF's NoRepeatNGramLogitsProcessor for one hypothesis: the tokens that would complete an n-gram
 * already present in `sequence` (the whole decoder sequence, start token included). Empty when
 * n <= 0 or the sequence is too short.
 */
export function bannedNgramTokens(sequence: readonly number[], n: number): Set<number> {
  const banned = new Set<number>();
  const len = sequence.length;
  if (n <= 0 || len + 1 < n) return banned;
  if (n === 1) {
    for (const t of sequence) banned.add(t);
    return banned;
  }
  const prefixStart = len - (n - 1);
  for (let i = 0; i + n <= len; i++) {
    let match = true;
    for (let j = 0; j < n - 1; j++) {
      if (sequence[i + j] !== sequence[prefixStart + j]) {
        match = false;
        break;
      }
    }
    if (match) banned.add(sequence[i + n - 1]!);
  }
  return banned;
}

/**
 * True when sequence[from..] ends with the same n-gram (1 <= n <= guard.maxNgram) repeated
 * guard.minRepeats times back to back. `from` is the index of the first generated token (after the
 * decoder start and the forced language token), so the prefix never counts.
 */
export function isDegenerateRepetition(sequence: readonly number[], from: number, guard: RepetitionGuard): boolean {
  const len = sequence.length;
  if (guard.minRepeats < 2 || guard.maxNgram < 1) return false;
  for (let n = 1; n <= guard.maxNgram; n++) {
    const span = n * guard.minRepeats;
    if (len - from < span) break;
    let periodic = true;
    // The last `span` tokens are `minRepeats` copies of one n-gram iff they are n-periodic.
    for (let j = len - span + n; j < len; j++) {
      if (sequence[j] !== sequence[j - n]) {
        periodic = false;
        break;
      }
    }
    if (periodic) return true;
  }
  return false;
}
