"""A small, self-contained M2M100 (NLLB-200 architecture) in torch.

Matches transformers' M2M100ForConditionalGeneration numerically for the
inference path (no dropout): pre-norm layers, final layer norms, sinusoidal
positions offset by the padding index and computed from non-pad tokens,
embeddings scaled by sqrt(d_model), ReLU, output projection tied to the shared
embedding, no final logits bias. Parameter names follow transformers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class M2M100Config:
    vocab_size: int
    d_model: int = 64
    encoder_layers: int = 2
    decoder_layers: int = 2
    encoder_attention_heads: int = 4
    decoder_attention_heads: int = 4
    encoder_ffn_dim: int = 128
    decoder_ffn_dim: int = 128
    max_position_embeddings: int = 256
    pad_token_id: int = 1
    bos_token_id: int = 0
    eos_token_id: int = 2
    decoder_start_token_id: int = 2
    scale_embedding: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


NEG = -1e9  # additive mask value (finite, so fully masked rows stay NaN-free)


def sinusoidal_table(num_positions: int, dim: int, padding_idx: int) -> torch.Tensor:
    """transformers' M2M100SinusoidalPositionalEmbedding.get_embedding."""
    half = dim // 2
    scale = math.log(10000) / (half - 1)
    freqs = torch.exp(torch.arange(half, dtype=torch.int64).float() * -scale)
    angles = torch.arange(num_positions, dtype=torch.int64).float().unsqueeze(1) * freqs.unsqueeze(0)
    table = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1).view(num_positions, -1)
    if dim % 2 == 1:
        table = torch.cat([table, torch.zeros(num_positions, 1)], dim=1)
    table[padding_idx, :] = 0
    return table


def position_ids(input_ids: torch.Tensor, padding_idx: int, past_len) -> torch.Tensor:
    """Positions start at padding_idx + 1 and count non-pad tokens only; pad tokens
    get padding_idx (a zero vector)."""
    mask = input_ids.ne(padding_idx).long()
    return (torch.cumsum(mask, dim=1) + past_len) * mask + padding_idx


class Attention(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.scaling = self.hd ** -0.5
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.q_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)

    def shape(self, x: torch.Tensor) -> torch.Tensor:  # [b, s, d] -> [b, h, s, hd]
        b, s, _ = x.shape
        return x.view(b, s, self.h, self.hd).transpose(1, 2)

    def project_kv(self, x: torch.Tensor):
        return self.shape(self.k_proj(x)), self.shape(self.v_proj(x))

    def forward(self, x, k, v, bias):
        """x: queries' hidden states; k, v: [b, h, s_k, hd]; bias: additive, broadcastable
        to [b, h, s_q, s_k]."""
        b, s, d = x.shape
        q = self.shape(self.q_proj(x) * self.scaling)
        if self.training:
            # Same maths without bmm: torch's CPU bmm on many tiny matrices is very slow
            # with a generic BLAS. Inference and the ONNX export use the matmul path.
            w = (q.unsqueeze(3) * k.unsqueeze(2)).sum(-1) + bias
            w = torch.softmax(w, dim=-1)
            o = (w.unsqueeze(-1) * v.unsqueeze(2)).sum(3)
        else:
            w = torch.matmul(q, k.transpose(2, 3)) + bias
            w = torch.softmax(w, dim=-1)
            o = torch.matmul(w, v)
        o = o.transpose(1, 2).reshape(b, s, d)
        return self.out_proj(o)


class EncoderLayer(nn.Module):
    def __init__(self, c: M2M100Config):
        super().__init__()
        d = c.d_model
        self.self_attn = Attention(d, c.encoder_attention_heads)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, c.encoder_ffn_dim)
        self.fc2 = nn.Linear(c.encoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, x, bias):
        h = self.self_attn_layer_norm(x)
        k, v = self.self_attn.project_kv(h)
        x = x + self.self_attn(h, k, v, bias)
        h = self.final_layer_norm(x)
        return x + self.fc2(F.relu(self.fc1(h)))


class DecoderLayer(nn.Module):
    def __init__(self, c: M2M100Config):
        super().__init__()
        d = c.d_model
        self.self_attn = Attention(d, c.decoder_attention_heads)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = Attention(d, c.decoder_attention_heads)
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, c.decoder_ffn_dim)
        self.fc2 = nn.Linear(c.decoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, x, self_bias, cross_bias, past_self, cross_kv):
        """past_self: (k, v) of earlier steps or None; cross_kv: (k, v) of the encoder
        output. Returns x and this step's full self-attention (k, v)."""
        h = self.self_attn_layer_norm(x)
        k, v = self.self_attn.project_kv(h)
        if past_self is not None:
            k = torch.cat([past_self[0], k], dim=2)
            v = torch.cat([past_self[1], v], dim=2)
        x = x + self.self_attn(h, k, v, self_bias)
        h = self.encoder_attn_layer_norm(x)
        x = x + self.encoder_attn(h, cross_kv[0], cross_kv[1], cross_bias)
        h = self.final_layer_norm(x)
        return x + self.fc2(F.relu(self.fc1(h))), (k, v)


def padding_bias(mask: torch.Tensor) -> torch.Tensor:
    """attention mask [b, s] (1 = token) -> additive bias [b, 1, 1, s]."""
    return (1.0 - mask[:, None, None, :].float()) * NEG


class M2M100(nn.Module):
    def __init__(self, c: M2M100Config):
        super().__init__()
        self.config = c
        d = c.d_model
        self.embed_scale = math.sqrt(d) if c.scale_embedding else 1.0
        self.shared = nn.Embedding(c.vocab_size, d, padding_idx=c.pad_token_id)
        self.register_buffer(
            "positions", sinusoidal_table(c.max_position_embeddings + 2, d, c.pad_token_id),
            persistent=False)
        self.encoder_layers = nn.ModuleList([EncoderLayer(c) for _ in range(c.encoder_layers)])
        self.encoder_layer_norm = nn.LayerNorm(d)
        self.decoder_layers = nn.ModuleList([DecoderLayer(c) for _ in range(c.decoder_layers)])
        self.decoder_layer_norm = nn.LayerNorm(d)
        self._init_weights()

    def _init_weights(self) -> None:
        std = 0.02
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=std)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Embedding):
                nn.init.normal_(m.weight, std=std)
                with torch.no_grad():
                    m.weight[m.padding_idx].zero_()

    def embed(self, ids: torch.Tensor, past_len=0) -> torch.Tensor:
        pos = position_ids(ids, self.config.pad_token_id, past_len)
        return self.shared(ids) * self.embed_scale + self.positions[pos]

    # --- encoder -------------------------------------------------------------
    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.embed(input_ids)
        bias = padding_bias(attention_mask)
        for layer in self.encoder_layers:
            x = layer(x, bias)
        return self.encoder_layer_norm(x)

    # --- decoder -------------------------------------------------------------
    def cross_kv(self, enc: torch.Tensor):
        return [layer.encoder_attn.project_kv(enc) for layer in self.decoder_layers]

    def decode(self, input_ids, encoder_attention_mask, cross_kv, past_self=None):
        """input_ids: [b, t] new decoder tokens; past_self: list of (k, v) per layer
        with [b, h, p, hd] or None. Returns logits [b, t, V] and the new self (k, v)."""
        past_len = 0 if past_self is None else past_self[0][0].shape[2]
        x = self.embed(input_ids, past_len)
        t = input_ids.shape[1]
        # causal bias over [past + new] keys for the t new queries
        q_pos = torch.arange(t).unsqueeze(1) + past_len
        k_pos = torch.arange(t + past_len).unsqueeze(0)
        self_bias = (k_pos > q_pos).float()[None, None] * NEG
        cross_bias = padding_bias(encoder_attention_mask)
        presents = []
        for i, layer in enumerate(self.decoder_layers):
            x, kv = layer(x, self_bias, cross_bias,
                          None if past_self is None else past_self[i], cross_kv[i])
            presents.append(kv)
        x = self.decoder_layer_norm(x)
        logits = F.linear(x, self.shared.weight)
        return logits, presents

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        enc = self.encode(input_ids, attention_mask)
        logits, _ = self.decode(decoder_input_ids, attention_mask, self.cross_kv(enc))
        return logits
