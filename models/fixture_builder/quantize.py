"""Dynamic int8 quantization of the exported graphs, as onnxruntime's `quantize_dynamic` does it
(the Xenova `_quantized` files are made with it; onnxruntime's Python package is not installable
here, so this is the same rewrite in python3-onnx and numpy):

  MatMul(x, W)  with W a float initializer [K, N]  ->
      DynamicQuantizeLinear(x)            -> x_q (uint8), x_scale, x_zero_point   (once per x)
      MatMulInteger(x_q, W_q, x_zero_point, W_zero_point) -> int32
      Cast(to float), Mul(that, Mul(x_scale, W_scale))
  W_q is symmetric int8 per output column: W_scale[n] = max_k |W[k, n]| / 127, zero point 0.

  MatMul(x, Transpose(E)) with E a float initializer (the tied output projection, stored as a
  Transpose of the embedding) -> the same, with B = Transpose(E_q) and E quantized per row.

  Gather(E, ids) along axis 0 with E a float initializer (the embeddings) ->
      Cast(Gather(E_q, ids), to float) * Unsqueeze(Gather(E_scale, ids), -1)
  E_q is int8 per row (one scale per token). onnxruntime quantizes Gather per tensor; per row is
  what lets the tied output projection share E_q (its per-column scales are E's per-row scales), so
  the embedding is stored once, in int8, as in the real export's file sizes.

MatMuls whose B is computed (attention Q.K^T and P.V) stay float, as in onnxruntime. The graphs
have no Gemm (torch exports Linear as MatMul + Add); a Gemm is refused rather than left float.

Weights are read one initializer at a time (external data is read per tensor, never the whole
file), and the result is one self-contained .onnx file per graph, like the real `_quantized` files.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.external_data_helper import uses_external_data

QUANTIZED_SUFFIX = "_quantized"
MIN_OPSET = 13  # Unsqueeze with axes as an input; the fixtures are opset 14


def quantized_name(file_name: str) -> str:
    """encoder_model.onnx -> encoder_model_quantized.onnx (optimum / Xenova naming)."""
    stem, ext = os.path.splitext(file_name)
    return f"{stem}{QUANTIZED_SUFFIX}{ext}"


def quantize_per_axis(w: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 along `axis` (0 = one scale per row, 1 = per column). All-zero slices
    (the pad embedding) get scale 1 so that nothing divides by zero; they quantize to 0 either way."""
    w = np.asarray(w, dtype=np.float32)
    scale = (np.abs(w).max(axis=1 - axis) / np.float32(127.0)).astype(np.float32)
    scale[scale == 0] = np.float32(1.0)
    q = np.empty(w.shape, dtype=np.int8)
    step = 16384  # chunks keep the float temporaries of the 256k-row embedding small
    if axis == 0:
        for i in range(0, w.shape[0], step):
            q[i:i + step] = np.clip(np.rint(w[i:i + step] / scale[i:i + step, None]), -127, 127)
    else:
        for i in range(0, w.shape[0], step):
            q[i:i + step] = np.clip(np.rint(w[i:i + step] / scale[None, :]), -127, 127)
    return q, scale


@dataclass
class _Quantized:
    q: str      # int8 weight initializer
    scale: str  # float scales initializer
    zero: str   # int8 zero points initializer


@dataclass
class _Rewriter:
    model: onnx.ModelProto
    base_dir: str
    inits: dict[str, TensorProto] = field(default_factory=dict)
    new_inits: list[TensorProto] = field(default_factory=list)
    by_row: dict[str, _Quantized] = field(default_factory=dict)
    by_column: dict[str, _Quantized] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"MatMul": 0, "MatMul(Transpose)": 0, "Gather": 0,
                                                            "MatMul kept float": 0})
    axes_last: str | None = None

    def __post_init__(self) -> None:
        self.inits = {t.name: t for t in self.model.graph.initializer}

    # --- weights --------------------------------------------------------------------------

    def _float_2d(self, name: str) -> bool:
        t = self.inits.get(name)
        return t is not None and t.data_type == TensorProto.FLOAT and len(t.dims) == 2

    def _load(self, name: str) -> np.ndarray:
        return numpy_helper.to_array(self.inits[name], self.base_dir)

    def _add(self, name: str, array: np.ndarray) -> str:
        self.new_inits.append(numpy_helper.from_array(array, name))
        return name

    def _quantize(self, name: str, axis: int) -> _Quantized:
        cache = self.by_row if axis == 0 else self.by_column
        if name not in cache:
            q, scale = quantize_per_axis(self._load(name), axis)
            tag = "" if axis == 1 else "_per_row"
            cache[name] = _Quantized(
                q=self._add(f"{name}{tag}_quantized", q),
                scale=self._add(f"{name}{tag}_scale", scale),
                zero=self._add(f"{name}{tag}_zero_point", np.zeros(scale.shape, dtype=np.int8)))
        return cache[name]

    def _axes_last(self) -> str:
        if self.axes_last is None:
            self.axes_last = self._add("quantize_axes_last", np.array([-1], dtype=np.int64))
        return self.axes_last

    # --- graphs ---------------------------------------------------------------------------

    def rewrite(self, graph: onnx.GraphProto, scope: str = "") -> None:
        producers = {o: n for n in graph.node for o in n.output}
        quantized_inputs: dict[str, tuple[str, str, str]] = {}
        out: list[onnx.NodeProto] = []
        for node in graph.node:
            for attr in node.attribute:  # If branches: their weights live in the outer graph
                if attr.type == onnx.AttributeProto.GRAPH:
                    self.rewrite(attr.g, scope=f"{attr.g.name}/")
            if node.op_type == "Gemm":
                raise ValueError(f"Gemm node {node.name!r}: not supported by this quantizer")
            if node.op_type == "MatMul":
                replaced = self._matmul(node, producers, quantized_inputs, scope)
                if replaced is None:
                    self.counts["MatMul kept float"] += 1
                    out.append(node)
                else:
                    out.extend(replaced)
                continue
            if node.op_type == "Gather" and self._float_2d(node.input[0]) and _axis(node) == 0:
                out.extend(self._gather(node))
                continue
            out.append(node)
        del graph.node[:]
        graph.node.extend(out)

    def _dynamic_quantize(self, x: str, quantized_inputs: dict[str, tuple[str, str, str]],
                          out: list[onnx.NodeProto], scope: str) -> tuple[str, str, str]:
        if x not in quantized_inputs:
            # An outer-scope input (encoder_hidden_states) read by both If branches gets one name per
            # branch: value names are unique across the whole model.
            base = x if x.startswith(scope) else f"{scope}{x}"
            names = (f"{base}_quantized", f"{base}_scale", f"{base}_zero_point")
            out.append(helper.make_node("DynamicQuantizeLinear", [x], list(names), name=f"{base}_QuantizeLinear"))
            quantized_inputs[x] = names
        return quantized_inputs[x]

    def _matmul(self, node: onnx.NodeProto, producers: dict[str, onnx.NodeProto],
                quantized_inputs: dict[str, tuple[str, str, str]], scope: str) -> list[onnx.NodeProto] | None:
        x, b = node.input
        y = node.output[0]
        out: list[onnx.NodeProto] = []
        if self._float_2d(b):
            w = self._quantize(b, axis=1)
            b_q = w.q
            self.counts["MatMul"] += 1
        else:
            t = producers.get(b)
            if not (t is not None and t.op_type == "Transpose" and self._float_2d(t.input[0])
                    and _perm(t) in (None, [1, 0])):
                return None  # computed B (attention): stays float, as in onnxruntime
            w = self._quantize(t.input[0], axis=0)
            b_q = f"{y}_B_quantized"
            out.append(helper.make_node("Transpose", [w.q], [b_q], name=f"{y}_B_Transpose", perm=[1, 0]))
            self.counts["MatMul(Transpose)"] += 1
        x_q, x_scale, x_zero = self._dynamic_quantize(x, quantized_inputs, out, scope)
        out += [
            helper.make_node("MatMulInteger", [x_q, b_q, x_zero, w.zero], [f"{y}_MatMulInteger"],
                             name=f"{y}_MatMulInteger"),
            helper.make_node("Cast", [f"{y}_MatMulInteger"], [f"{y}_MatMulInteger_cast"],
                             name=f"{y}_Cast", to=TensorProto.FLOAT),
            helper.make_node("Mul", [x_scale, w.scale], [f"{y}_scales_mul"], name=f"{y}_scales_mul"),
            helper.make_node("Mul", [f"{y}_MatMulInteger_cast", f"{y}_scales_mul"], [y], name=f"{y}_output_mul"),
        ]
        return out

    def _gather(self, node: onnx.NodeProto) -> list[onnx.NodeProto]:
        data, ids = node.input
        y = node.output[0]
        w = self._quantize(data, axis=0)
        self.counts["Gather"] += 1
        return [
            helper.make_node("Gather", [w.q, ids], [f"{y}_quantized"], name=f"{y}_Gather_quantized", axis=0),
            helper.make_node("Cast", [f"{y}_quantized"], [f"{y}_cast"], name=f"{y}_Cast", to=TensorProto.FLOAT),
            helper.make_node("Gather", [w.scale, ids], [f"{y}_row_scale"], name=f"{y}_Gather_scale", axis=0),
            helper.make_node("Unsqueeze", [f"{y}_row_scale", self._axes_last()], [f"{y}_row_scale_1"],
                             name=f"{y}_Unsqueeze_scale"),
            helper.make_node("Mul", [f"{y}_cast", f"{y}_row_scale_1"], [y], name=f"{y}_dequantize"),
        ]

    # --- clean-up -------------------------------------------------------------------------

    def finish(self) -> None:
        g = self.model.graph
        g.initializer.extend(self.new_inits)
        _drop_dead_nodes(g)
        used = _consumed_names(g)
        kept = [t for t in g.initializer if t.name in used]
        del g.initializer[:]
        g.initializer.extend(kept)
        for t in g.initializer:  # one self-contained file: pull the remaining external weights in
            if uses_external_data(t):
                t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t, self.base_dir), t.name))
        names = _all_value_names(g)
        for graph in _graphs(g):  # value_info of values that are gone (the float Transpose)
            kept_vi = [v for v in graph.value_info if v.name in names]
            del graph.value_info[:]
            graph.value_info.extend(kept_vi)


def _axis(node: onnx.NodeProto) -> int:
    return next((a.i for a in node.attribute if a.name == "axis"), 0)


def _perm(node: onnx.NodeProto) -> list[int] | None:
    return next((list(a.ints) for a in node.attribute if a.name == "perm"), None)


def _graphs(g: onnx.GraphProto):
    yield g
    for n in g.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from _graphs(a.g)


def _consumed_names(g: onnx.GraphProto) -> set[str]:
    used: set[str] = set()
    for graph in _graphs(g):
        for n in graph.node:
            used.update(n.input)
        used.update(o.name for o in graph.output)
    return used


def _all_value_names(g: onnx.GraphProto) -> set[str]:
    names: set[str] = set()
    for graph in _graphs(g):
        names.update(i.name for i in graph.input)
        names.update(t.name for t in graph.initializer)
        for n in graph.node:
            names.update(n.output)
    return names


def _drop_dead_nodes(g: onnx.GraphProto) -> None:
    """Removes nodes none of whose outputs is used anywhere (the float Transpose of the embedding
    once the output projection reads the int8 copy), until nothing changes."""
    while True:
        used = _consumed_names(g)
        removed = False
        for graph in _graphs(g):
            live = [n for n in graph.node if any(o in used for o in n.output)]
            if len(live) != len(graph.node):
                removed = True
                del graph.node[:]
                graph.node.extend(live)
        if not removed:
            return


def quantize_model(model: onnx.ModelProto, base_dir: str = "") -> tuple[onnx.ModelProto, dict[str, int]]:
    """Rewrites `model` in place (weights of external data are read from `base_dir`)."""
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    if opset < MIN_OPSET:
        raise ValueError(f"opset {opset} < {MIN_OPSET}: not supported by this quantizer")
    r = _Rewriter(model, base_dir)
    r.rewrite(model.graph)
    r.finish()
    return model, r.counts


def quantize_file(src: str, dst: str, log=print) -> dict[str, int]:
    """src .onnx (with or without external data) -> dst, one self-contained .onnx file."""
    model = onnx.load(src, load_external_data=False)
    model, counts = quantize_model(model, os.path.dirname(os.path.abspath(src)))
    model.producer_name = "sema-edge fixture builder (dynamic int8)"
    tmp = dst + ".tmp"
    onnx.save_model(model, tmp)
    del model
    onnx.checker.check_model(tmp)
    os.replace(tmp, dst)
    log(f"{os.path.basename(dst)}: {os.path.getsize(dst) / 1e6:.2f} MB, quantized {counts}")
    return counts


def quantize_folder(out_dir: str, files: tuple[str, ...], log=print) -> dict[str, dict[str, int]]:
    """onnx/<name>.onnx -> onnx/<name>_quantized.onnx for each of `files` present in out_dir."""
    onnx_dir = os.path.join(out_dir, "onnx")
    done = {}
    for name in files:
        src = os.path.join(onnx_dir, name)
        if not os.path.exists(src):
            continue
        done[name] = quantize_file(src, os.path.join(onnx_dir, quantized_name(name)), log=log)
    return done
