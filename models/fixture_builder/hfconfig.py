"""config.json / generation_config.json in the shape of facebook/nllb-200-distilled-600M."""
from __future__ import annotations

import json
import os

from .model import M2M100Config


def write_model_configs(c: M2M100Config, out_dir: str, name: str, extra: dict | None = None) -> None:
    config = {
        "_name_or_path": f"sema-edge/fixture-{name}",
        "activation_dropout": 0.0,
        "activation_function": "relu",
        "architectures": ["M2M100ForConditionalGeneration"],
        "attention_dropout": 0.0,
        "bos_token_id": c.bos_token_id,
        "d_model": c.d_model,
        "decoder_attention_heads": c.decoder_attention_heads,
        "decoder_ffn_dim": c.decoder_ffn_dim,
        "decoder_layerdrop": 0,
        "decoder_layers": c.decoder_layers,
        "decoder_start_token_id": c.decoder_start_token_id,
        "dropout": 0.0,
        "encoder_attention_heads": c.encoder_attention_heads,
        "encoder_ffn_dim": c.encoder_ffn_dim,
        "encoder_layerdrop": 0,
        "encoder_layers": c.encoder_layers,
        "eos_token_id": c.eos_token_id,
        "init_std": 0.02,
        "is_encoder_decoder": True,
        "max_length": 200,
        "max_position_embeddings": c.max_position_embeddings,
        "model_type": "m2m_100",
        "num_hidden_layers": c.encoder_layers,
        "pad_token_id": c.pad_token_id,
        "scale_embedding": c.scale_embedding,
        "tie_word_embeddings": True,
        "tokenizer_class": "NllbTokenizer",
        "torch_dtype": "float32",
        "transformers_version": "4.21.0.dev0",
        "use_cache": True,
        "vocab_size": c.vocab_size,
    }
    if extra:
        config.update(extra)
    _dump(os.path.join(out_dir, "config.json"), config)
    gen = {
        "_from_model_config": True,
        "bos_token_id": c.bos_token_id,
        "decoder_start_token_id": c.decoder_start_token_id,
        "eos_token_id": c.eos_token_id,
        "max_length": 200,
        "pad_token_id": c.pad_token_id,
        "transformers_version": "4.21.0.dev0",
    }
    _dump(os.path.join(out_dir, "generation_config.json"), gen)


def _dump(path: str, obj) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")
