"""SentencePiece training and the NLLB tokenizer files (HF/transformers.js layout).

Token id conventions (identical to the released NLLB-200 tokenizer):
  HF id 0 <s>, 1 <pad>, 2 </s>, 3 <unk>
  ordinary piece: HF id = spm id + 1       (spm ids 0 <unk>, 1 <s>, 2 </s> are spm's
                                             defaults; spm <unk> (0) maps to HF 3)
  language code on line n (1-based) of nllb200_language_codes.txt: HF id = S + n,
                                             where S = spm vocabulary size
  <mask>: HF id = S + 203;  vocabulary size = S + 204
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as sp_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
CODES_FILE = os.path.join(HERE, "data", "nllb200_language_codes.txt")

BOS, PAD, EOS, UNK = 0, 1, 2, 3
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
SPM_SEED = 1234


def load_language_codes(path: str = CODES_FILE) -> list[str]:
    with open(path, encoding="utf-8") as f:
        codes = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    assert len(codes) == 202, len(codes)
    return codes


@dataclass
class NllbVocab:
    spm_path: str
    codes: list[str]

    def __post_init__(self) -> None:
        self.sp = spm.SentencePieceProcessor(model_file=self.spm_path)
        self.spm_size = self.sp.get_piece_size()
        assert self.sp.unk_id() == 0 and self.sp.bos_id() == 1 and self.sp.eos_id() == 2
        self.lang_id = {c: self.spm_size + i + 1 for i, c in enumerate(self.codes)}
        self.mask_id = self.spm_size + len(self.codes) + 1
        self.vocab_size = self.mask_id + 1
        self.id_to_token = {BOS: "<s>", PAD: "<pad>", EOS: "</s>", UNK: "<unk>"}
        for i in range(3, self.spm_size):
            self.id_to_token[i + 1] = self.sp.id_to_piece(i)
        for c, i in self.lang_id.items():
            self.id_to_token[i] = c
        self.id_to_token[self.mask_id] = "<mask>"

    @staticmethod
    def spm_to_hf(spm_id: int) -> int:
        return UNK if spm_id == 0 else spm_id + 1

    def encode(self, text: str) -> list[int]:
        """Text pieces only (no language token, no </s>), as HF ids."""
        return [self.spm_to_hf(i) for i in self.sp.encode(text, out_type=int)]

    def source_ids(self, text: str, src_lang: str) -> list[int]:
        return [self.lang_id[src_lang]] + self.encode(text) + [EOS]

    def decode(self, ids: list[int]) -> str:
        """Like HF decode(skip_special_tokens=True): drops specials and language tokens."""
        pieces = []
        for i in ids:
            if i < 4 or i > self.spm_size:  # specials, language codes, <mask>
                continue
            pieces.append(self.id_to_token[i])
        return "".join(pieces).replace("\u2581", " ").strip()


def train_spm(lines: list[str], out_path: str, vocab_size: int) -> None:
    """Train a BPE SentencePiece model with spm_train (deterministic: one thread,
    fixed seed, no sampling of the input)."""
    tmp = tempfile.mkdtemp(prefix="spm_")
    try:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        # relative paths: spm stores them in the model, which must not depend on the tmp dir
        cmd = [
            "spm_train",
            "--input=corpus.txt",
            "--model_prefix=spm",
            "--model_type=bpe",
            f"--vocab_size={vocab_size}",
            "--hard_vocab_limit=false",
            "--character_coverage=1.0",
            f"--random_seed={SPM_SEED}",
            "--num_threads=1",
            "--input_sentence_size=0",
            "--shuffle_input_sentence=false",
            # NLLB / fairseq conventions: spm's defaults, unk=0 bos=1 eos=2, no pad piece.
            "--unk_id=0", "--bos_id=1", "--eos_id=2", "--pad_id=-1",
            "--normalization_rule_name=nmt_nfkc",
            "--minloglevel=2",
        ]
        subprocess.run(cmd, check=True, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copyfile(os.path.join(tmp, "spm.model"), out_path)
    finally:
        shutil.rmtree(tmp)


def _bpe_merges(sp: spm.SentencePieceProcessor) -> list[str]:
    """Merges for an HF BPE model that reproduces spm's BPE segmentation
    (same rule as transformers' SentencePieceExtractor: a merge's rank is the
    rank of the piece it produces)."""
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    merges = []
    for piece, pid in vocab.items():
        if pid < 3:
            continue
        local = []
        for k in range(1, len(piece)):
            left, right = piece[:k], piece[k:]
            if left in vocab and right in vocab and vocab[left] >= 3 and vocab[right] >= 3:
                local.append((left, right, pid))
        local.sort(key=lambda x: (vocab[x[0]], vocab[x[1]]))
        merges.extend(local)
    merges.sort(key=lambda m: m[2])  # stable: spm score order == id order for BPE
    return [f"{a} {b}" for a, b, _ in merges]


def _added_token(i: int, content: str) -> dict:
    return {"id": i, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": False, "special": True}


def write_tokenizer_files(v: NllbVocab, out_dir: str, model_max_length: int,
                          src_lang: str = "eng_Latn", tgt_lang: str = "swh_Latn") -> None:
    dst = os.path.join(out_dir, "sentencepiece.bpe.model")
    if os.path.abspath(v.spm_path) != os.path.abspath(dst):
        shutil.copyfile(v.spm_path, dst)
    proto = sp_pb2.ModelProto()
    with open(v.spm_path, "rb") as f:
        proto.ParseFromString(f.read())
    import base64
    charsmap = base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode("ascii")

    vocab = {v.id_to_token[i]: i for i in range(v.vocab_size)}
    assert len(vocab) == v.vocab_size
    added = [_added_token(i, t) for i, t in enumerate(SPECIALS)]
    added += [_added_token(v.lang_id[c], c) for c in v.codes]
    added.append(_added_token(v.mask_id, "<mask>"))

    def special(tok: str) -> dict:
        return {"id": tok, "ids": [vocab[tok]], "tokens": [tok]}

    tok_json = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": charsmap},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            {"type": "Strip", "strip_left": True, "strip_right": True},
        ]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True,
                          "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": src_lang, "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": src_lang, "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {src_lang: special(src_lang), "</s>": special("</s>")},
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True,
                    "prepend_scheme": "always", "split": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>",
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": True, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": _bpe_merges(v.sp)},
    }
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok_json, f, ensure_ascii=False, separators=(",", ":"))

    special_map = {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "pad_token": "<pad>", "cls_token": "<s>",
        "mask_token": {"content": "<mask>", "lstrip": True, "normalized": True,
                       "rstrip": False, "single_word": False},
        "additional_special_tokens": list(v.codes),
    }
    _dump(os.path.join(out_dir, "special_tokens_map.json"), special_map)
    tok_config = {
        "tokenizer_class": "NllbTokenizer",
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
        "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
        "src_lang": src_lang, "tgt_lang": tgt_lang,
        "model_max_length": model_max_length,
        "additional_special_tokens": list(v.codes),
        "legacy_behaviour": False,
        "sp_model_kwargs": {},
        "clean_up_tokenization_spaces": True,
    }
    _dump(os.path.join(out_dir, "tokenizer_config.json"), tok_config)


def _dump(path: str, obj) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")
