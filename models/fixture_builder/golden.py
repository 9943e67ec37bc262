"""Golden outputs of the tiny fixture (computed with the torch model, not ONNX) and the
tokenizer id fixtures for the TypeScript tests."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile

import torch

from . import corpus
from .generate import greedy, beam_search
from .model import M2M100
from .tokenizer import NllbVocab, BOS, PAD, EOS, UNK

NUM_BEAMS = 4
LENGTH_PENALTY = 1.0
MAX_NEW_TOKENS = 32

# (id, src, tgt, inputs, max_new_tokens)
CASES = [
    ("eng-swh-basic", "eng_Latn", "swh_Latn", ["the child eats the bread"], MAX_NEW_TOKENS),
    ("swh-eng-basic", "swh_Latn", "eng_Latn", ["mwalimu anasoma kitabu"], MAX_NEW_TOKENS),
    ("eng-fra-sentence", "eng_Latn", "fra_Latn", ["The teacher reads the book."], MAX_NEW_TOKENS),
    ("fra-eng-adverb", "fra_Latn", "eng_Latn", ["la mère achète le pain aujourd'hui"], MAX_NEW_TOKENS),
    ("eng-swh-plural", "eng_Latn", "swh_Latn", ["The children drink the milk every day."], MAX_NEW_TOKENS),
    ("swh-eng-plural", "swh_Latn", "eng_Latn", ["Wakulima wanauza samaki asubuhi."], MAX_NEW_TOKENS),
    ("eng-fra-phrase", "eng_Latn", "fra_Latn", ["thank you very much"], MAX_NEW_TOKENS),
    ("fra-eng-phrase", "fra_Latn", "eng_Latn", ["Bonne nuit."], MAX_NEW_TOKENS),
    ("eng-swh-short", "eng_Latn", "swh_Latn", ["hello"], MAX_NEW_TOKENS),
    ("eng-swh-batch", "eng_Latn", "swh_Latn",
     ["the doctor wants the car", "good night", "The students like the music in the morning."], MAX_NEW_TOKENS),
    ("swh-eng-batch", "swh_Latn", "eng_Latn", ["asante", "Mtoto anakunywa maji leo."], MAX_NEW_TOKENS),
    ("eng-fra-truncated", "eng_Latn", "fra_Latn", ["the farmer cooks the rice every day"], 4),
    ("fra-eng-accents", "fra_Latn", "eng_Latn", ["L'étudiant écrit la lettre le matin."], MAX_NEW_TOKENS),
    # Out-of-corpus inputs where beam search and greedy disagree (greedy on "of of of of" runs
    # to the max length without </s>); chosen so that every margin is far above float noise.
    # Re-pick them (and check the margins in golden.json) whenever the corpus changes.
    ("eng-fra-beam-differs", "eng_Latn", "fra_Latn", ["of of of of"], MAX_NEW_TOKENS),
    ("swh-eng-beam-differs", "swh_Latn", "eng_Latn", ["sawa"], MAX_NEW_TOKENS),
    ("eng-swh-beam-batch", "eng_Latn", "swh_Latn", ["we eat bread", "the child eats the bread"], MAX_NEW_TOKENS),
    # lower case with a final period, as the sentence splitter cuts "bread. the teacher ..."
    ("eng-swh-period", "eng_Latn", "swh_Latn", ["the child eats the bread."], MAX_NEW_TOKENS),
    # masks of protected spans (inference/text/protect/mask.ts), kept where the target puts them
    ("eng-swh-mask-subject", "eng_Latn", "swh_Latn", ["[0] eats the bread"], MAX_NEW_TOKENS),
    ("eng-fra-two-masks", "eng_Latn", "fra_Latn", ["[0] buys [1]"], MAX_NEW_TOKENS),
    ("eng-swh-mask-reorder", "eng_Latn", "swh_Latn", ["[0] new messages"], MAX_NEW_TOKENS),
    ("swh-eng-mask-possessive", "swh_Latn", "eng_Latn", ["kitabu cha [1]"], MAX_NEW_TOKENS),
    ("eng-fra-mask-batch", "eng_Latn", "fra_Latn", ["hello [0]", "the child sees [3].", "Welcome, [2]!"], MAX_NEW_TOKENS),
]


def _reference(src: str, tgt: str, text: str) -> str | None:
    for t in corpus.all_triples():
        if t.get(src) == text:
            return t.get(tgt)
    return None


GENERATION_DOC = {
    "decoder_start": "decoder input starts as [2] (</s>, decoder_start_token_id)",
    "forced_bos": ("the first generated token is forced to the target language id "
                   "(HF forced_bos_token_id); every sequence below starts [2, tgt_lang_id, ...]"),
    "max_length_rule": ("generation stops when every row has produced </s> (2) or the sequence "
                        "including the start token has 1 + max_new_tokens tokens; a sequence cut at "
                        "that length has no </s>"),
    "tokens": "full decoder sequence as HF generate() returns it: [2, tgt_lang_id, ..., 2], not padded",
    "text": "tokenizer.decode(tokens, skip_special_tokens=True): specials and language tokens dropped, "
            "pieces concatenated, U+2581 -> space, stripped",
    "greedy": {
        "rule": "argmax of the logits at every step after the forced language token; a finished row "
                "is padded with <pad> (1) in a batch (padding is not shown in tokens)",
        "token_logprobs": "log_softmax(logits)[token] of the model for each generated token, including "
                          "the forced language token (its raw model log-prob)",
        "min_logit_margin": "smallest gap between the best and second-best logit over the non-forced "
                            "steps (how robust the argmax is to float differences)",
    },
    "beam": {
        "num_beams": NUM_BEAMS,
        "length_penalty": LENGTH_PENALTY,
        "early_stopping": True,
        "score": ("sum of per-token log-probs / gen_len ** length_penalty, where the forced language "
                  "token contributes 0 (HF ForcedBOSTokenLogitsProcessor sets it to 0, others to -inf) and "
                  "gen_len = number of tokens after the start token INCLUDING the language token and "
                  "the final </s> (= len(tokens) - 1); for a hypothesis cut at max length (no </s>) "
                  "gen_len = len(tokens) - 1 as well"),
        "search": ("HF BeamSearchScorer: beam scores start [0, -1e9, ...]; each step takes the top "
                   "2*num_beams of (beam score + log_softmax) over num_beams*vocab; a </s> candidate "
                   "is kept as a finished hypothesis only if its rank < num_beams; the first num_beams "
                   "non-</s> candidates continue; a sentence keeps the num_beams best finished "
                   "hypotheses and, with early_stopping=True, is done as soon as it has num_beams; "
                   "at max length the running beams are added as hypotheses; the best one is "
                   "returned with </s> appended unless it has the max length"),
        "hypotheses": "all finished hypotheses of the sentence, best first, without the final </s>",
    },
}


def write_golden(model: M2M100, vocab: NllbVocab, path: str, train_stats: dict | None, log=print) -> None:
    model.eval()
    cases = []
    exact = [0, 0]
    for cid, src, tgt, inputs, max_new in CASES:
        srcs = [vocab.source_ids(t, src) for t in inputs]
        n = max(map(len, srcs))
        tgt_id = vocab.lang_id[tgt]
        g = greedy(model, srcs, tgt_id, max_new)
        b = beam_search(model, srcs, tgt_id, max_new, NUM_BEAMS, LENGTH_PENALTY)
        refs = [_reference(src, tgt, t) for t in inputs]
        case = {
            "id": cid, "src_lang": src, "tgt_lang": tgt, "src_lang_id": vocab.lang_id[src],
            "tgt_lang_id": tgt_id, "inputs": inputs, "max_new_tokens": max_new,
            "input_ids": [s + [PAD] * (n - len(s)) for s in srcs],
            "attention_mask": [[1] * len(s) + [0] * (n - len(s)) for s in srcs],
            "decoder_start": [model.config.decoder_start_token_id, tgt_id],
            "reference": refs,
            "beam_differs_from_greedy": [gg["tokens"] != bb["tokens"] for gg, bb in zip(g, b)],
            "greedy": [dict(tokens=o["tokens"], text=vocab.decode(o["tokens"]),
                            token_logprobs=o["token_logprobs"],
                            min_logit_margin=o["min_logit_margin"]) for o in g],
            "beam": [dict(tokens=o["tokens"], text=vocab.decode(o["tokens"]), score=o["score"],
                          hypotheses=[dict(tokens=h["tokens"], score=h["score"])
                                      for h in o["hypotheses"]]) for o in b],
        }
        for r, o in zip(refs, case["greedy"]):
            if r is not None and max_new == MAX_NEW_TOKENS:
                exact[1] += 1
                exact[0] += o["text"] == r
        cases.append(case)
        log(f"golden {cid}: greedy {[o['text'] for o in case['greedy']]} beam {[o['text'] for o in case['beam']]}")
    doc = {
        "format_version": 1,
        "model": "tiny",
        "generated_by": "/usr/bin/python3 models/build_fixtures.py --preset tiny (torch reference implementation)",
        "torch_version": torch.__version__,
        "token_ids": {
            "bos": BOS, "pad": PAD, "eos": EOS, "unk": UNK,
            "spm_vocab_size": vocab.spm_size, "vocab_size": vocab.vocab_size,
            "rule": "HF id = spm id + 1, spm <unk> (0) -> 3; language on line n of the codes file = spm_vocab_size + n; <mask> = spm_vocab_size + 203",
            "languages": {k: vocab.lang_id[k] for k in ("eng_Latn", "fra_Latn", "swh_Latn")},
            "mask": vocab.mask_id,
            "source": "[src_lang_id] + text ids + [2], right-padded with 1 in a batch (attention_mask 0)",
        },
        "max_position_embeddings": model.config.max_position_embeddings,
        "generation": GENERATION_DOC,
        "training": train_stats,
        "golden_greedy_exact_match": {"matched": exact[0], "of": exact[1]},
        "cases": cases,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    log(f"golden: greedy exact match {exact[0]}/{exact[1]} on the listed training sentences")


# --- tokenizer ids ---------------------------------------------------------------

TOKENIZER_LINES = [
    ("eng_Latn", "The child eats the bread."),
    ("swh_Latn", "Mwalimu anasoma kitabu leo."),
    ("fra_Latn", "L'étudiant écrit la lettre aujourd'hui."),
    ("eng_Latn", "Hello, how are you?"),
    ("swh_Latn", "Habari yako, rafiki yangu?"),
    ("fra_Latn", "Ça coûte 100 € — déjà vu, naïve façade, œuvre."),
    ("eng_Latn", "I ❤️ Nairobi 😀🎉"),
    ("zho_Hans", "你好，世界"),
    ("amh_Ethi", "ሰላም ለዓለም"),
    ("eng_Latn", "Call 0712 345 678 before 10:30, or pay 2,500 KSh."),
    ("eng_Latn", "   extra    spaces   between   words   "),
    ("eng_Latn", "ＦＵＬＬ ｗｉｄｔｈ ＡＢＣ １２３"),
    ("eng_Latn", "tab\tseparated\ttext"),
    ("swh_Latn", "Mtoto anakula mkate. Watoto wanakunywa maziwa kila siku!"),
    ("zul_Latn", "Sawubona, unjani? Ngiyaphila, ngiyabonga."),
    ("eng_Latn", ""),
    ("eng_Latn", "Hello [0], you have [1] new messages."),
    ("swh_Latn", "Ukurasa [12] wa [13]; items[0]"),
]


def write_tokenizer_ids(vocab: NllbVocab, path: str, spm_model_rel: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.txt")
        with open(inp, "w", encoding="utf-8") as f:
            f.write("\n".join(t for _, t in TOKENIZER_LINES) + "\n")
        res = subprocess.run(["spm_encode", f"--model={vocab.spm_path}", "--output_format=id", f"--input={inp}"],
                             check=True, capture_output=True, text=True)
        pieces = subprocess.run(["spm_encode", f"--model={vocab.spm_path}", "--output_format=piece",
                                 f"--input={inp}"], check=True, capture_output=True, text=True)
    id_lines = res.stdout.split("\n")[:len(TOKENIZER_LINES)]
    piece_lines = pieces.stdout.split("\n")[:len(TOKENIZER_LINES)]
    cases = []
    for (lang, text), ids_line, piece_line in zip(TOKENIZER_LINES, id_lines, piece_lines):
        spm_ids = [int(x) for x in ids_line.split()]
        assert spm_ids == vocab.sp.encode(text, out_type=int), text
        ids = [vocab.spm_to_hf(i) for i in spm_ids]
        cases.append({"text": text, "src_lang": lang, "src_lang_id": vocab.lang_id[lang],
                      "pieces": piece_line.split(), "spm_ids": spm_ids, "ids": ids,
                      "source_ids": [vocab.lang_id[lang]] + ids + [EOS]})
    doc = {
        "spm_model": spm_model_rel,
        "computed_with": "spm_encode --output_format=id (SentencePiece CLI), then converted",
        "rule": "ids = spm id + 1, except spm <unk> (0) -> 3; source_ids = [src_lang_id] + ids + [2]",
        "spm_vocab_size": vocab.spm_size,
        "special_ids": {"<s>": BOS, "<pad>": PAD, "</s>": EOS, "<unk>": UNK, "<mask>": vocab.mask_id},
        "language_ids": {lang: vocab.lang_id[lang] for lang in sorted({l for l, _ in TOKENIZER_LINES} | {"swh_Latn", "fra_Latn"})},
        "cases": cases,
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
