/** What a piece of model output contributes to its result's score. */
export interface ScoredOutput {
  /** Sum of the log-probs of its generated tokens (RowOutput.logprob). */
  logprob: number;
  /** Its generated tokens (after the language token, </s> included). */
  tokens: number;
}

/**
 * The model's confidence in a result, in [0, 1]: exp of the mean log-probability per generated token
 * over everything the result's text was generated from (the token-weighted mean of its sentences'
 * log-probs), i.e. the geometric mean of the chosen tokens' probabilities. Independent of beam
 * search's length_penalty, so greedy and beam scores compare. null when no token was generated
 * (nothing was translated).
 */
export function resultScore(outputs: readonly ScoredOutput[]): number | null {
  let logprob = 0;
  let tokens = 0;
  for (const o of outputs) {
    logprob += o.logprob;
    tokens += o.tokens;
  }
  if (tokens === 0) return null;
  const score = Math.exp(logprob / tokens);
  // A broken model's NaN must not reach the response schema.
  return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : null;
}
