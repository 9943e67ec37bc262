"""models/tiny/corpus_sample.json: a fixed, evenly spread sample of the training corpus (every
kind, every direction), the inputs on which the int8 graphs' greedy output is compared with the
fp32 graphs' (test/inference/engine/int8-accuracy.test.ts). Derived from corpus.py only: no model,
no random numbers, so --quantize-only can write it too."""
from __future__ import annotations

import json

from . import corpus

# triples per kind; each triple is used in one direction, the directions taken in turn
PER_KIND = {"template": 200, "phrase": 40, "mask": 100, "mask_phrase": 30, "ui": 30}


def sample_rows() -> list[dict]:
    by_kind: dict[str, list[corpus.Triple]] = {}
    for t in corpus.all_triples():
        by_kind.setdefault(t.kind, []).append(t)
    rows = []
    for kind, count in PER_KIND.items():
        triples = by_kind[kind]
        step = max(1, len(triples) // count)
        for t in triples[::step][:count]:
            src, tgt = corpus.DIRECTIONS[len(rows) % len(corpus.DIRECTIONS)]
            rows.append({"kind": kind, "src_lang": src, "tgt_lang": tgt, "text": t.get(src), "reference": t.get(tgt)})
    return rows


def write_corpus_sample(path: str) -> int:
    rows = sample_rows()
    doc = {"about": ("fixed sample of the tiny fixture's training corpus (fixture_builder/corpus_sample.py); "
                     "reference = the corpus translation"),
           "rows": rows}
    with open(path, "w", encoding="utf-8") as f:  # one row a line: small, and readable in a diff
        f.write('{"about": %s,\n "rows": [\n' % json.dumps(doc["about"]))
        f.write(",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows))
        f.write("\n]}\n")
    return len(rows)
