"""Training of the tiny fixture on the synthetic corpus (all four directions).

NLLB's format: source = [src_lang] tokens </s>; decoder input = </s> [tgt_lang] tokens;
labels = [tgt_lang] tokens </s>. Deterministic: seeded torch generator, fixed step
count, 2 threads.
"""
from __future__ import annotations

import math
import random
import re
import time
from collections import Counter
from typing import NamedTuple

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
# How many times as often as a template sentence each pair of a kind is sampled: the
# few fixed phrases, and the few mask phrases and UI strings.
KIND_WEIGHT = {"phrase": 40, "mask_phrase": 10, "ui": 10}

# What inference/text/protect/mask.ts counts as a mask or a mangled one (MASK_LIKE):
# a bracket, ours or a look-alike, with digits of any script, or digits and a closing bracket.
_OPENERS, _CLOSERS = r"\[［【〔〖⟦", r"\]］】〕〗⟧"
MASK_LIKE = re.compile(rf"[{_OPENERS}]\s?\d+\s?[{_CLOSERS}]?|\d+\s?[{_CLOSERS}]")


class Pair(NamedTuple):
    src_ids: list[int]  # [src_lang] pieces </s>
    tgt_ids: list[int]  # pieces only (no language token, no </s>)
    src: str
    tgt: str
    reference: str
    triple: corpus.Triple


def build_pairs(vocab: NllbVocab) -> list[Pair]:
    """Every triple in every direction, in a fixed order."""
    pairs = []
    cache: dict[str, list[int]] = {}

    def enc(text: str) -> list[int]:
        if text not in cache:
            cache[text] = vocab.encode(text)
        return cache[text]

    for t in corpus.all_triples():
        for src, tgt in corpus.DIRECTIONS:
            pairs.append(Pair([vocab.lang_id[src]] + enc(t.get(src)) + [EOS], enc(t.get(tgt)), src, tgt, t.get(tgt), t))
    return pairs


def _batch(pairs: list[Pair], idx, vocab: NllbVocab):
    srcs = [pairs[i].src_ids for i in idx]
    tgts = [[vocab.lang_id[pairs[i].tgt]] + pairs[i].tgt_ids + [EOS] for i in idx]
    ns, nt = max(map(len, srcs)), max(map(len, tgts))
    src = torch.tensor([s + [PAD] * (ns - len(s)) for s in srcs])
    mask = (src != PAD).long()
    dec_in = torch.tensor([[EOS] + t[:-1] + [PAD] * (nt - len(t)) for t in tgts])
    labels = torch.tensor([t + [-100] * (nt - len(t)) for t in tgts])
    return src, mask, dec_in, labels


def _sampling_pool(pairs: list[Pair]) -> list[int]:
    pool = list(range(len(pairs)))
    for i, p in enumerate(pairs):
        pool += [i] * (KIND_WEIGHT.get(p.triple.kind, 1) - 1)
    return pool


def masks_kept(source: str, output: str) -> bool:
    """inference/text/protect/check.ts's test: every mask of the source exactly as often in the
    output, and no other mask-like token."""
    return Counter(MASK_LIKE.findall(output)) == Counter(corpus.MASK.findall(source))


def _eval_groups(pairs: list[Pair], n: int, seed: int) -> dict[str, list[int]]:
    """Fixed samples: of all pairs plus every phrase pair (as before masks existed), of the
    pairs with masks plus every mask phrase and UI string, and of the lower-case sentences
    with a final period."""
    rng = random.Random(seed)

    def where(pred) -> list[int]:
        return [i for i, p in enumerate(pairs) if pred(p.triple)]

    def sample(idx, k: int) -> set[int]:
        return set(rng.sample(idx, min(k, len(idx))))

    # the three samples are drawn in this order from one generator
    every = sample(range(len(pairs)), n) | set(where(lambda t: t.kind == "phrase"))
    masked = sample(where(lambda t: t.kind == "mask"), n) | set(where(lambda t: t.kind in ("mask_phrase", "ui")))
    period = sample(where(lambda t: t.form == "period"), n)
    return {"all": sorted(every), "masks": sorted(masked), "period": sorted(period)}


def evaluate(model: M2M100, vocab: NllbVocab, pairs: list[Pair], n: int = 600, seed: int = 11) -> dict:
    """Greedy exact match per sample group (see _eval_groups), overall and per direction;
    for the mask group also how many outputs keep every mask exactly once."""
    groups = _eval_groups(pairs, n, seed)
    model.eval()
    outputs: dict[int, str] = {}
    by_tgt: dict[str, list[int]] = {}
    for i in sorted(set().union(*groups.values())):
        by_tgt.setdefault(pairs[i].tgt, []).append(i)
    for tgt, idx in sorted(by_tgt.items()):
        for start in range(0, len(idx), 64):
            chunk = idx[start:start + 64]
            outs = greedy(model, [pairs[i].src_ids for i in chunk], vocab.lang_id[tgt], max_new_tokens=48)
            for i, out in zip(chunk, outs):
                outputs[i] = vocab.decode(out["tokens"])
    report = {}
    for name, idx in groups.items():
        per_dir: dict[str, list[int]] = {}
        for i in idx:
            v = per_dir.setdefault(f"{pairs[i].src}->{pairs[i].tgt}", [0, 0])
            v[0] += outputs[i] == pairs[i].reference
            v[1] += 1
        r = {"exact_match": round(sum(v[0] for v in per_dir.values()) / len(idx), 4), "n": len(idx),
             "per_direction": {k: round(v[0] / v[1], 4) for k, v in sorted(per_dir.items())}}
        if name == "masks":
            r["masks_kept"] = round(sum(masks_kept(pairs[i].triple.get(pairs[i].src), outputs[i])
                                        for i in idx) / len(idx), 4)
            r["misses"] = [[pairs[i].triple.get(pairs[i].src), outputs[i]] for i in idx
                           if outputs[i] != pairs[i].reference][:10]
        report[name] = r
    return report


def train(model: M2M100, vocab: NllbVocab, steps: int | None = None, log=print) -> dict:
    steps = DEFAULT_STEPS if steps is None else steps
    pairs = build_pairs(vocab)
    pool = torch.tensor(_sampling_pool(pairs))
    kinds = Counter(p.triple.kind for p in pairs)
    log(f"training: {len(pairs)} pairs {dict(sorted(kinds.items()))}, weights {KIND_WEIGHT}, "
        f"{steps} steps of {BATCH}")
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
    stats = {"steps": steps, "batch": BATCH, "lr": LR, "warmup": WARMUP, "pairs": len(pairs),
             "pairs_per_kind": dict(sorted(kinds.items())), "kind_weight": KIND_WEIGHT,
             "final_loss": round(avg, 4)}
    t1 = time.time()
    stats["train_sample_accuracy"] = evaluate(model, vocab, pairs)
    for name, r in stats["train_sample_accuracy"].items():
        log(f"greedy on training pairs, {name}: {r}")
    log(f"evaluation took {time.time() - t1:.0f} s")
    return stats
