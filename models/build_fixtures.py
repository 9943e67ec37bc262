#!/usr/bin/python3
"""Build the NLLB-200-layout fixture models (see models/README.md).

  /usr/bin/python3 models/build_fixtures.py                    # tiny preset -> models/tiny
  /usr/bin/python3 models/build_fixtures.py --preset bench     # bench preset -> models/bench (git-ignored)
  /usr/bin/python3 models/build_fixtures.py --quantize-only    # only onnx/*_quantized.onnx from the fp32 files

Needs Debian's python3-torch, python3-onnx, python3-sentencepiece and the spm_train binary.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# Passive OpenMP waiting: with busy-waiting threads torch slows down ~20x on a loaded
# 2-core machine. Must be set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402

from fixture_builder import corpus, tokenizer  # noqa: E402
from fixture_builder.model import M2M100, M2M100Config  # noqa: E402
from fixture_builder.hfconfig import write_model_configs  # noqa: E402
from fixture_builder.export import MODEL_FILES, export_all  # noqa: E402

REPO = os.path.dirname(HERE)
SEED = 20240601
SPM_VOCAB = 1000

PRESETS = {
    # trained on the synthetic corpus; committed under models/tiny
    "tiny": dict(d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                 decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128,
                 max_position_embeddings=256),
    # random weights with the dimensions of NLLB-200-distilled-600M; never committed
    "bench": dict(d_model=1024, encoder_layers=12, decoder_layers=12, encoder_attention_heads=16,
                  decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096,
                  max_position_embeddings=1024),
}
BENCH_VOCAB = 256206  # the released model's (padded) vocabulary size


def seed_everything(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def log(msg: str) -> None:
    print(f"[fixtures {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def quantize(out: str, preset: str) -> None:
    """The int8 `_quantized` graphs next to the fp32 ones (models/README.md, "int8"), and for tiny
    the corpus sample the int8 accuracy test translates."""
    from fixture_builder.quantize import quantize_folder
    t0 = time.time()
    done = quantize_folder(out, MODEL_FILES, log=log)
    if not done:
        sys.exit(f"{out}/onnx has none of {', '.join(MODEL_FILES)} to quantize")
    log(f"quantized {len(done)} graphs in {time.time() - t0:.0f} s")
    if preset == "tiny":
        from fixture_builder.corpus_sample import write_corpus_sample
        n = write_corpus_sample(os.path.join(out, "corpus_sample.json"))
        log(f"wrote corpus_sample.json ({n} rows)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    ap.add_argument("--out", help="output folder (default models/<preset>)")
    ap.add_argument("--train-steps", type=int, default=None,
                    help="tiny: optimisation steps (default: the preset's schedule; 0 = untrained)")
    ap.add_argument("--save-state", metavar="PATH", help="also save the torch state dict (debugging)")
    ap.add_argument("--skip-golden", action="store_true", help="do not write golden.json / tokenizer_ids.json")
    ap.add_argument("--quantize-only", action="store_true",
                    help="only write the int8 onnx/*_quantized.onnx files from the folder's fp32 files "
                         "(no tokenizer, training or fp32 export)")
    args = ap.parse_args()
    out = os.path.abspath(args.out or os.path.join(HERE, args.preset))
    if args.quantize_only:
        quantize(out, args.preset)
        return

    torch.set_num_threads(2)
    seed_everything(SEED)
    os.makedirs(out, exist_ok=True)
    t0 = time.time()

    # 1. tokenizer (the bench preset reuses the tiny tokenizer, trained the same way)
    codes = tokenizer.load_language_codes()
    spm_path = os.path.join(out, "sentencepiece.bpe.model")
    tokenizer.train_spm(corpus.spm_training_lines(), spm_path, SPM_VOCAB)
    vocab = tokenizer.NllbVocab(spm_path, codes)
    log(f"spm: {vocab.spm_size} pieces, HF vocabulary {vocab.vocab_size}, "
        f"eng_Latn={vocab.lang_id['eng_Latn']} swh_Latn={vocab.lang_id['swh_Latn']} "
        f"fra_Latn={vocab.lang_id['fra_Latn']}")

    p = PRESETS[args.preset]
    vocab_size = vocab.vocab_size if args.preset == "tiny" else BENCH_VOCAB
    cfg = M2M100Config(vocab_size=vocab_size, **p)
    tokenizer.write_tokenizer_files(vocab, out, model_max_length=p["max_position_embeddings"])

    # 2. model
    seed_everything(SEED)
    model = M2M100(cfg)
    if args.preset == "tiny":
        from fixture_builder.train import train
        stats = train(model, vocab, steps=args.train_steps, log=log)
    else:
        stats = None
    model.eval()
    if args.save_state:
        torch.save(model.state_dict(), args.save_state)
    extra = {"fixture": {"preset": args.preset, "trained": args.preset == "tiny" and (stats or {}).get("steps", 0) > 0,
                         "seed": SEED, "spm_vocab_size": vocab.spm_size,
                         "note": ("synthetic eng/swh/fra fixture; not a real translation model"
                                  if args.preset == "tiny" else
                                  "random weights with NLLB-200-distilled-600M dimensions; "
                                  "tokenizer is the tiny fixture's (ids < %d)" % vocab.vocab_size)}}
    write_model_configs(cfg, out, args.preset, extra)

    # 3. ONNX
    log("exporting ONNX")
    export_all(model, out, external=args.preset == "bench")
    log(f"exported to {out}")
    quantize(out, args.preset)

    # 4. golden outputs
    if args.preset == "tiny" and not args.skip_golden:
        from fixture_builder import golden
        golden.write_golden(model, vocab, os.path.join(out, "golden.json"), stats, log=log)
        # the committed test data only comes from the committed fixture folder
        default_out = out == os.path.join(HERE, "tiny")
        ids_path = (os.path.join(REPO, "test", "data", "tokenizer_ids.json") if default_out
                    else os.path.join(out, "tokenizer_ids.json"))
        golden.write_tokenizer_ids(vocab, ids_path, spm_model_rel=os.path.relpath(spm_path, REPO))
        log(f"wrote {ids_path}")
    log(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
