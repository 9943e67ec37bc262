"""Training of the tiny fixture on the synthetic corpus (all four directions).

NLLB's format: source = [src_lang] tokens </s>; decoder input = </s> [tgt_lang] tokens;
labels = [tgt_lang] tokens </s>. Deterministic: seeded torch generator, fixed step
count, 2 threads.
"""
from __future__ import annotations

import math
import random
import time

import torch
import torch.nn.functional as F

from . import corpus
from .generate import greedy
from .model import M2M100
from .tokenizer import NllbVocab, EOS, PAD

DEFAULT_STEPS = 2000
BATCH = 96
LR = 3e-3
WARMUP = 200
SEED = 7
PHRASE_WEIGHT = 40  # the few fixed phrases are sampled this many times as often as a template sentence


def build_pairs(vocab: NllbVocab) -> list[tuple[list[int], list[int], str, str, str]]:
    """(source ids, target ids without lang/eos, src, tgt, reference text) for every triple
    and direction, in a fixed order."""
    pairs = []
    cache: dict[str, list[int]] = {}

    def enc(text: str) -> list[int]:
        if text not in cache:
            cache[text] = vocab.encode(text)
        return cache[text]

    for t in corpus.all_triples():
        for src, tgt in corpus.DIRECTIONS:
            pairs.append(([vocab.lang_id[src]] + enc(t.get(src)) + [EOS], enc(t.get(tgt)), src, tgt, t.get(tgt)))
    return pairs


def _batch(pairs, idx, vocab: NllbVocab):
    srcs = [pairs[i][0] for i in idx]
    tgts = [[vocab.lang_id[pairs[i][3]]] + pairs[i][1] + [EOS] for i in idx]
    ns, nt = max(map(len, srcs)), max(map(len, tgts))
    src = torch.tensor([s + [PAD] * (ns - len(s)) for s in srcs])
    mask = (src != PAD).long()
    dec_in = torch.tensor([[EOS] + t[:-1] + [PAD] * (nt - len(t)) for t in tgts])
    labels = torch.tensor([t + [-100] * (nt - len(t)) for t in tgts])
    return src, mask, dec_in, labels


def _phrase_pair_indices(pairs) -> list[int]:
    phrase_texts = set()
    for t in corpus.phrase_triples():
        for lang in corpus.LANGS:
            phrase_texts.add(t.get(lang))
            phrase_texts.add(t.get(lang)[0].upper() + t.get(lang)[1:] + ".")
    return [i for i, p in enumerate(pairs) if p[4] in phrase_texts]


def evaluate(model: M2M100, vocab: NllbVocab, pairs, n: int = 600, seed: int = 11) -> dict:
    """Greedy exact-match accuracy on a fixed random sample of training pairs plus every
    phrase pair, per direction."""
    rng = random.Random(seed)
    sample = sorted(set(rng.sample(range(len(pairs)), min(n, len(pairs)))) | set(_phrase_pair_indices(pairs)))
    model.eval()
    per_dir: dict[str, list[int]] = {}
    by_tgt: dict[str, list[int]] = {}
    for i in sample:
        by_tgt.setdefault(pairs[i][3], []).append(i)
    for tgt, idx in sorted(by_tgt.items()):
        for start in range(0, len(idx), 64):
            chunk = idx[start:start + 64]
            outs = greedy(model, [pairs[i][0] for i in chunk], vocab.lang_id[tgt], max_new_tokens=48)
            for i, out in zip(chunk, outs):
                key = f"{pairs[i][2]}->{tgt}"
                per_dir.setdefault(key, [0, 0])
                per_dir[key][0] += vocab.decode(out["tokens"]) == pairs[i][4]
                per_dir[key][1] += 1
    total = sum(v[0] for v in per_dir.values()) / len(sample)
    return {"exact_match": round(total, 4), "n": len(sample),
            "per_direction": {k: round(v[0] / v[1], 4) for k, v in sorted(per_dir.items())}}


def train(model: M2M100, vocab: NllbVocab, steps: int | None = None, log=print) -> dict:
    steps = DEFAULT_STEPS if steps is None else steps
    pairs = build_pairs(vocab)
    phrases = _phrase_pair_indices(pairs)
    pool = torch.tensor(list(range(len(pairs))) + phrases * (PHRASE_WEIGHT - 1))
    log(f"training: {len(pairs)} pairs ({len(phrases)} phrase pairs x{PHRASE_WEIGHT}), {steps} steps of {BATCH}")
    if steps == 0:
        return {"steps": 0}
    gen = torch.Generator().manual_seed(SEED)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.98), weight_decay=0.01)

    def lr_at(step: int) -> float:
        if step < WARMUP:
            return LR * (step + 1) / WARMUP
        return LR * 0.5 * (1 + math.cos(math.pi * (step - WARMUP) / max(1, steps - WARMUP)))

    t0 = time.time()
    model.train()
    avg = None
    for step in range(steps):
        idx = pool[torch.randint(len(pool), (BATCH,), generator=gen)].tolist()
        src, mask, dec_in, labels = _batch(pairs, idx, vocab)
        logits = model(src, mask, dec_in)
        loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100)
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        avg = float(loss) if avg is None else 0.98 * avg + 0.02 * float(loss)
        if (step + 1) % 500 == 0 or step == steps - 1:
            log(f"step {step + 1}/{steps} loss {avg:.4f} ({time.time() - t0:.0f} s)")
    model.eval()
    stats = {"steps": steps, "batch": BATCH, "lr": LR, "warmup": WARMUP,
             "phrase_weight": PHRASE_WEIGHT, "final_loss": round(avg, 4)}
    stats["train_sample_accuracy"] = evaluate(model, vocab, pairs)
    log(f"accuracy on a sample of training pairs: {stats['train_sample_accuracy']}")
    return stats
