"""ONNX export in the layout of optimum's export of NLLB-200 (Xenova/nllb-200-distilled-600M):

  onnx/encoder_model.onnx             input_ids, attention_mask -> last_hidden_state
  onnx/decoder_model.onnx             encoder_attention_mask, input_ids, encoder_hidden_states
                                      -> logits, present.{i}.{decoder,encoder}.{key,value}
  onnx/decoder_with_past_model.onnx   encoder_attention_mask, input_ids,
                                      past_key_values.{i}.{decoder,encoder}.{key,value}
                                      -> logits, present.{i}.decoder.{key,value}
  onnx/decoder_model_merged.onnx      union of both + use_cache_branch bool[1]; one If node
                                      (then = with past, else = no past). In the with-past branch
                                      the present.{i}.encoder.* outputs are empty constants of
                                      shape [0, heads, 1, head_dim], as optimum does.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper, TensorProto

from .model import M2M100

OPSET = 14
MODEL_FILES = ("encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx",
               "decoder_model_merged.onnx")


class EncoderExport(nn.Module):
    def __init__(self, m: M2M100):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m.encode(input_ids, attention_mask)


class DecoderExport(nn.Module):
    def __init__(self, m: M2M100):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states):
        cross = self.m.cross_kv(encoder_hidden_states)
        logits, selfkv = self.m.decode(input_ids, encoder_attention_mask, cross)
        out = [logits]
        for (sk, sv), (ck, cv) in zip(selfkv, cross):
            out += [sk, sv, ck, cv]
        return tuple(out)


class DecoderWithPastExport(nn.Module):
    def __init__(self, m: M2M100):
        super().__init__()
        self.m = m

    def forward(self, encoder_attention_mask, input_ids, *past):
        n = self.m.config.decoder_layers
        selfkv = [(past[4 * i], past[4 * i + 1]) for i in range(n)]
        cross = [(past[4 * i + 2], past[4 * i + 3]) for i in range(n)]
        logits, presents = self.m.decode(input_ids, encoder_attention_mask, cross, selfkv)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


def _kv_names(prefix: str, n: int, with_encoder: bool = True) -> list[str]:
    names = []
    for i in range(n):
        names += [f"{prefix}.{i}.decoder.key", f"{prefix}.{i}.decoder.value"]
        if with_encoder:
            names += [f"{prefix}.{i}.encoder.key", f"{prefix}.{i}.encoder.value"]
    return names


def _export(module, args, path, input_names, output_names, dynamic_axes, external: bool):
    module.eval()
    # torch writes a >2 GB model as one file per tensor next to the .onnx file: export into
    # a scratch folder, post-process, and save once, in the final layout.
    scratch = tempfile.mkdtemp(prefix=".export_", dir=os.path.dirname(path))
    try:
        tmp_path = os.path.join(scratch, os.path.basename(path))
        with torch.no_grad():
            torch.onnx.export(module, args, tmp_path, input_names=input_names, output_names=output_names,
                              dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
        model = onnx.load(tmp_path)
    finally:
        shutil.rmtree(scratch)
    _untie_transposed_embedding(model)
    _save(model, path, external)


def _save(model: onnx.ModelProto, path: str, external: bool) -> None:
    data_path = path + "_data"
    if os.path.exists(data_path):  # stale external data from an earlier run
        os.remove(data_path)
    if external:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=os.path.basename(data_path), size_threshold=1024)
    else:
        onnx.save_model(model, path)
    onnx.checker.check_model(path)  # by path: works for models with external data too


def _untie_transposed_embedding(model: onnx.ModelProto) -> None:
    """torch folds the tied output projection into a second, transposed copy of the
    embedding matrix. Replace that copy by a Transpose of the embedding (like optimum's
    tied-weight deduplication), which halves the decoder files."""
    inits = {t.name: t for t in model.graph.initializer}
    emb = inits.get("m.shared.weight")
    if emb is None:
        return
    emb_t = numpy_helper.to_array(emb).T
    for t in list(model.graph.initializer):
        if t is emb or tuple(t.dims) != emb_t.shape:
            continue
        if np.array_equal(numpy_helper.to_array(t), emb_t):
            model.graph.initializer.remove(t)
            node = helper.make_node("Transpose", ["m.shared.weight"], [t.name],
                                    name="lm_head_tied_transpose", perm=[1, 0])
            model.graph.node.insert(0, node)


def export_all(m: M2M100, out_dir: str, external: bool = False) -> None:
    c = m.config
    onnx_dir = os.path.join(out_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    for name in os.listdir(onnx_dir):  # the folder is generated: drop anything stale
        p = os.path.join(onnx_dir, name)
        if name not in MODEL_FILES and not (name.endswith(".onnx_data") and name[:-5] in MODEL_FILES):
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    m = m.eval()
    heads, hd, n = c.decoder_attention_heads, c.d_model // c.decoder_attention_heads, c.decoder_layers
    b, s, t, p = 2, 7, 3, 4
    ids = torch.full((b, s), 5, dtype=torch.long)
    ids[:, 0] = 6
    ids[:, -1] = 2
    mask = torch.ones((b, s), dtype=torch.long)
    enc = torch.randn(b, s, c.d_model)

    _export(EncoderExport(m), (ids, mask), os.path.join(onnx_dir, "encoder_model.onnx"),
            ["input_ids", "attention_mask"], ["last_hidden_state"],
            {"input_ids": {0: "batch_size", 1: "encoder_sequence_length"},
             "attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
             "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}}, external)

    dec_ids = torch.full((b, t), 7, dtype=torch.long)
    present = _kv_names("present", n)
    axes = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for name in present:
        axes[name] = {0: "batch_size", 2: "decoder_sequence_length" if ".decoder." in name
                      else "encoder_sequence_length_out"}
    _export(DecoderExport(m), (mask, dec_ids, enc), os.path.join(onnx_dir, "decoder_model.onnx"),
            ["encoder_attention_mask", "input_ids", "encoder_hidden_states"], ["logits"] + present,
            axes, external)

    past_names = _kv_names("past_key_values", n)
    past = []
    for name in past_names:
        past.append(torch.randn(b, heads, p if ".decoder." in name else s, hd))
    present_dec = _kv_names("present", n, with_encoder=False)
    axes = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for name in past_names:
        axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length" if ".decoder." in name
                      else "encoder_sequence_length_out"}
    for name in present_dec:
        axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
    _export(DecoderWithPastExport(m), (mask, dec_ids[:, :1], *past),
            os.path.join(onnx_dir, "decoder_with_past_model.onnx"),
            ["encoder_attention_mask", "input_ids"] + past_names, ["logits"] + present_dec,
            axes, external)

    merged = merge_decoders(onnx.load(os.path.join(onnx_dir, "decoder_model.onnx")),
                            onnx.load(os.path.join(onnx_dir, "decoder_with_past_model.onnx")),
                            heads, hd)
    _save(merged, os.path.join(onnx_dir, "decoder_model_merged.onnx"), external)


# --- merged decoder ------------------------------------------------------------

def _tensor_key(t: TensorProto) -> tuple:
    data = numpy_helper.to_array(t)
    return (t.data_type, tuple(t.dims), hashlib.sha256(data.tobytes()).hexdigest())


def _rename_in_graph(g: onnx.GraphProto, mapping: dict[str, str]) -> None:
    for node in g.node:
        for i, x in enumerate(node.input):
            node.input[i] = mapping.get(x, x)
        for i, x in enumerate(node.output):
            node.output[i] = mapping.get(x, x)
    for o in g.output:
        o.name = mapping.get(o.name, o.name)


def merge_decoders(no_past: onnx.ModelProto, with_past: onnx.ModelProto,
                   heads: int, head_dim: int) -> onnx.ModelProto:
    outer_inputs: list[onnx.ValueInfoProto] = []
    seen = set()
    for g in (no_past.graph, with_past.graph):
        for i in g.input:
            if i.name not in seen:
                seen.add(i.name)
                outer_inputs.append(i)
    outer_inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    outer_names = {i.name for i in outer_inputs}

    # Shared initializers move to the outer graph, deduplicated by content.
    by_key: dict[tuple, str] = {}
    outer_inits: list[TensorProto] = []
    for tag, model in (("no_past", no_past), ("with_past", with_past)):
        g = model.graph
        mapping: dict[str, str] = {}
        for t in g.initializer:
            key = _tensor_key(t)
            if key not in by_key:
                name = t.name
                if any(x.name == name for x in outer_inits):
                    name = f"{tag}/{name}"
                by_key[key] = name
                nt = TensorProto()
                nt.CopyFrom(t)
                nt.name = name
                outer_inits.append(nt)
            mapping[t.name] = by_key[key]
        # Intermediate values and branch outputs get a branch prefix (unique names
        # across the whole model); the graph inputs stay outer-scope references.
        for node in g.node:
            for x in node.output:
                if x not in mapping and x not in outer_names:
                    mapping[x] = f"{tag}/{x}"
        for o in g.output:
            if o.name not in mapping:
                mapping[o.name] = f"{tag}/{o.name}"
        _rename_in_graph(g, mapping)
        for node in g.node:
            if node.name:
                node.name = f"{tag}/{node.name}"
        del g.initializer[:]

    # with-past branch: constant empty encoder presents, like optimum.
    wp = with_past.graph
    wp_out = {o.name.split("/", 1)[1]: o for o in wp.output}
    branch_outputs = []
    for o in no_past.graph.output:
        name = o.name.split("/", 1)[1]
        if name in wp_out:
            branch_outputs.append(wp_out[name])
            continue
        const_name = f"with_past/{name}"
        value = helper.make_tensor("const_tensor", TensorProto.FLOAT, [0, heads, 1, head_dim], [])
        wp.node.append(helper.make_node("Constant", [], [const_name], name=f"with_past/Constant_{name}",
                                        value=value))
        branch_outputs.append(helper.make_tensor_value_info(const_name, TensorProto.FLOAT,
                                                            ["batch_size", heads, "encoder_sequence_length_out", head_dim]))
    del wp.output[:]
    wp.output.extend(branch_outputs)
    # Both branches declare the no-past branch's (symbolic) output types.
    for a, b in zip(no_past.graph.output, wp.output):
        b.type.CopyFrom(a.type)

    then_branch = helper.make_graph(list(wp.node), "with_past", [], list(wp.output))
    else_branch = helper.make_graph(list(no_past.graph.node), "no_past", [], list(no_past.graph.output))
    outer_outputs = []
    for o in no_past.graph.output:
        vi = onnx.ValueInfoProto()
        vi.CopyFrom(o)
        vi.name = o.name.split("/", 1)[1]
        outer_outputs.append(vi)
    if_node = helper.make_node("If", ["use_cache_branch"], [o.name for o in outer_outputs],
                               name="optimum::if", then_branch=then_branch, else_branch=else_branch)
    graph = helper.make_graph([if_node], "merged", outer_inputs, outer_outputs, outer_inits)
    model = helper.make_model(graph, opset_imports=list(no_past.opset_import),
                              producer_name="sema-edge fixture builder")
    model.ir_version = no_past.ir_version
    return model  # checked by _save, from the file (a >2 GB proto cannot be checked in memory)
