"""Reference decoding in torch with the semantics of transformers' generate() for
NLLB (encoder-decoder, decoder_start_token_id=2, forced_bos_token_id=<tgt_lang>).

Greedy:
  decoder starts with [2]; at the first step every token but the target language is
  masked (forced BOS); then argmax. A row that produced </s> (2) is finished and is
  padded with <pad> (1) while other rows continue. Stops when every row is finished
  or the sequence (including the start token) has 1 + max_new_tokens tokens.

Beam search (num_beams K, length_penalty lp, early_stopping=True), as HF's BeamSearchScorer:
  * scores are sums of log_softmax(logits) over generated tokens; the forced language
    token's log-prob is set to 0 (HF's ForcedBOSTokenLogitsProcessor writes 0, not the
    model's log-prob) and all other tokens at that step to -inf;
  * beams start as [0, -1e9, -1e9, ...] so the first step expands beam 0 only;
  * each step takes the top 2K of (beam score + token log-prob) over K x V, in order;
    a candidate ending in </s> becomes a finished hypothesis only if its rank < K, with
    score = sum_logprobs / gen_len ** lp, where gen_len = number of tokens after the
    decoder start token INCLUDING the language token and the </s>
    (= len(final sequence) - 1); other candidates fill the K running beams;
  * a sentence keeps at most K finished hypotheses (a better one evicts the worst);
    with early_stopping=True it is done as soon as it holds K of them;
  * at max length the running beams are added as hypotheses too, with
    gen_len = their length - 1 (no </s>);
  * the result is the best hypothesis + </s> (if shorter than the max length).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from .model import M2M100

EOS, PAD = 2, 1


def _encode_batch(model: M2M100, sources: list[list[int]]):
    n = max(len(s) for s in sources)
    ids = torch.tensor([s + [PAD] * (n - len(s)) for s in sources], dtype=torch.long)
    mask = (torch.arange(n)[None, :] < torch.tensor([len(s) for s in sources])[:, None]).long()
    enc = model.encode(ids, mask)
    return ids, mask, enc


@torch.no_grad()
def greedy(model: M2M100, sources: list[list[int]], tgt_lang_id: int, max_new_tokens: int):
    """Returns per row: tokens (start token .. </s> or cut at max length, no padding),
    the model's log-prob of each chosen token, and the smallest top-1/top-2 logit gap."""
    _, mask, enc = _encode_batch(model, sources)
    cross = model.cross_kv(enc)
    b = len(sources)
    seqs = [[model.config.decoder_start_token_id] for _ in range(b)]
    logps = [[] for _ in range(b)]
    margins = [math.inf] * b
    done = [False] * b
    past = None
    step_ids = torch.tensor([[model.config.decoder_start_token_id]] * b)
    for step in range(max_new_tokens):
        logits, past = model.decode(step_ids, mask, cross, past)
        logits = logits[:, -1, :]
        lp = torch.log_softmax(logits, dim=-1)
        nxt = []
        for r in range(b):
            if done[r]:
                nxt.append(PAD)
                continue
            if step == 0:
                tok = tgt_lang_id
            else:
                top2 = torch.topk(logits[r], 2)
                tok = int(top2.indices[0])
                margins[r] = min(margins[r], float(top2.values[0] - top2.values[1]))
            seqs[r].append(tok)
            logps[r].append(float(lp[r, tok]))
            if tok == EOS:
                done[r] = True
            nxt.append(tok)
        if all(done):
            break
        step_ids = torch.tensor(nxt)[:, None]
    return [dict(tokens=seqs[r], token_logprobs=logps[r], min_logit_margin=margins[r]) for r in range(b)]


@dataclass
class _Hyps:
    k: int
    lp: float
    beams: list = field(default_factory=list)  # (score, tokens)
    worst: float = 1e9

    def add(self, tokens: list[int], sum_logprobs: float, gen_len: int) -> None:
        score = sum_logprobs / (gen_len ** self.lp)
        if len(self.beams) < self.k or score > self.worst:
            self.beams.append((score, tokens))
            if len(self.beams) > self.k:
                order = sorted((s, i) for i, (s, _) in enumerate(self.beams))
                del self.beams[order[0][1]]
                self.worst = order[1][0]
            else:
                self.worst = min(score, self.worst)


@torch.no_grad()
def beam_search(model: M2M100, sources: list[list[int]], tgt_lang_id: int, max_new_tokens: int,
                num_beams: int = 4, length_penalty: float = 1.0):
    k = num_beams
    _, mask, enc = _encode_batch(model, sources)
    b = len(sources)
    mask = mask.repeat_interleave(k, dim=0)
    enc = enc.repeat_interleave(k, dim=0)
    cross = model.cross_kv(enc)
    start = model.config.decoder_start_token_id
    max_length = 1 + max_new_tokens
    seqs = torch.full((b * k, 1), start, dtype=torch.long)
    beam_scores = torch.zeros(b, k)
    beam_scores[:, 1:] = -1e9
    beam_scores = beam_scores.view(-1)
    hyps = [_Hyps(k, length_penalty) for _ in range(b)]
    done = [False] * b
    past = None
    step_ids = seqs
    v = model.config.vocab_size
    while True:
        logits, past = model.decode(step_ids, mask, cross, past)
        scores = torch.log_softmax(logits[:, -1, :], dim=-1)
        cur_len = seqs.shape[1]
        if cur_len == 1:  # forced BOS (target language), log-prob set to 0 as HF does
            scores = torch.full_like(scores, -math.inf)
            scores[:, tgt_lang_id] = 0.0
        scores = scores + beam_scores[:, None]
        scores = scores.view(b, k * v)
        top_scores, top_idx = torch.topk(scores, 2 * k, dim=1, largest=True, sorted=True)
        next_scores = torch.zeros(b, k)
        next_tokens = torch.zeros(b, k, dtype=torch.long)
        next_beams = torch.zeros(b, k, dtype=torch.long)
        for bi in range(b):
            if done[bi]:
                next_tokens[bi] = PAD
                next_beams[bi] = bi * k  # any beam; scores 0, as HF
                continue
            filled = 0
            for rank in range(2 * k):
                s = float(top_scores[bi, rank])
                tok = int(top_idx[bi, rank]) % v
                beam = int(top_idx[bi, rank]) // v
                row = bi * k + beam
                if tok == EOS:
                    if rank >= k:
                        continue
                    # HF: generated_len = (cur_len + 1) - decoder_prompt_len(1) = cur_len
                    hyps[bi].add(seqs[row].tolist(), s, gen_len=cur_len)
                else:
                    next_scores[bi, filled] = s
                    next_tokens[bi, filled] = tok
                    next_beams[bi, filled] = row
                    filled += 1
                if filled == k:
                    break
            done[bi] = done[bi] or len(hyps[bi].beams) >= k  # early_stopping=True
        beam_scores = next_scores.view(-1)
        rows = next_beams.view(-1)
        seqs = torch.cat([seqs[rows], next_tokens.view(-1, 1)], dim=1)
        past = [(pk[rows], pv[rows]) for pk, pv in past]
        step_ids = next_tokens.view(-1, 1)
        if all(done) or seqs.shape[1] >= max_length:
            break
    results = []
    for bi in range(b):
        if not done[bi]:
            for j in range(k):
                row = bi * k + j
                toks = seqs[row].tolist()
                hyps[bi].add(toks, float(beam_scores[row]), gen_len=len(toks) - 1)
        ranked = sorted(hyps[bi].beams, key=lambda x: x[0])
        best_score, best = ranked[-1]
        best = list(best)
        if len(best) < max_length:
            best.append(EOS)
        results.append(dict(tokens=best, score=best_score,
                            hypotheses=[dict(tokens=t, score=s) for s, t in reversed(ranked)]))
    return results
