"""A whole quantized network, as qa-quantize writes it, run by quant-run
after qa-lower-to-integer, against an integer interpreter of the qa ops
written here, bit for bit.

The interpreter reads the quantized model's text (printed without hex
constants) and evaluates each op from its documented semantics with numpy
int64 and Python integers: qa.quantize (float32 division, round half away
from zero or to even), qa.conv2d and qa.fully_connected (exact sums of
(x - zp_in)(w - zp_w) plus bias, then the #qa.rounding rescale of
quant_reference.py, the result zero point and saturation; binary weights
are the values 2b - 1), qa.max_pool2d,
qa.avg_pool2d, reshapes, binary activations (the signs x >= 0 of floats,
q >= zp of integers, as the values +-1), and qa.dequantize (float32
(q - zp) * scale). It
shares no code with the compiler; what it checks is that the lowering of a
whole network, with its chaining, padding, packing and reshapes, computes
exactly what the quantized types say. With --reference it also saves its
outputs, for those of the other targets' builds to be compared with.
"""
import argparse
import ast
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from quant_reference import rescale, rescale64

parser = argparse.ArgumentParser()
parser.add_argument("--quant-opt", required=True)
parser.add_argument("--quant-run", required=True)
parser.add_argument("--example", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--quantize-options", default="")
parser.add_argument("--images", type=int, default=40)
parser.add_argument("--reference", help="also write the interpreter's outputs to this .npy, "
                    "for the outputs of other targets to be compared with")
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
model = os.path.join(args.workdir, "quantized.mlir")
subprocess.run([args.quant_opt, os.path.join(args.example, "float.mlir"), "-o", model,
                "--mlir-print-elementsattrs-with-hex-if-larger=-1",
                "--qa-calibrate=samples=%s" % os.path.join(args.example, "samples.npy"),
                "--qa-quantize=%s" % args.quantize_options], check=True)
images = np.load(os.path.join(args.example, "test_images.npy"))[:args.images].astype(np.float32)
np.save(os.path.join(args.workdir, "images.npy"), images)
subprocess.run([args.quant_run, model, "--inputs", os.path.join(args.workdir, "images.npy"),
                "--outputs", os.path.join(args.workdir, "out.npy")], check=True)
got = np.load(os.path.join(args.workdir, "out.npy"))


class Quant:
    """A !quant.uniform type (storage bounds, scales and zero points), or a
    !qa.binary one (bits b for the values 2b - 1, alphas as scales)."""

    def __init__(self, text):
        self.binary = text.startswith("!qa.binary")
        if self.binary:
            m = re.fullmatch(r"!qa\.binary<f32(?::\d+)?, \{?([^}]*)\}?>", text)
            self.scales = [float(a) for a in m.group(1).split(",")]
            self.zps = [0] * len(self.scales)
            self.lo, self.hi = -1, 1
            return
        m = re.fullmatch(r"!quant\.uniform<([iu])(\d+)(?:<(-?\d+):(-?\d+)>)?:f32(?::(\d+))?, (.*)>", text)
        signed, bits = m.group(1) == "i", int(m.group(2))
        if m.group(3):
            self.lo, self.hi = int(m.group(3)), int(m.group(4))
        elif signed:
            self.lo, self.hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        else:
            self.lo, self.hi = 0, (1 << bits) - 1
        self.signed, self.bits = signed, bits
        params = m.group(6).strip("{}").split(",")
        self.scales = [float(p.split(":")[0]) for p in params]
        self.zps = [int(p.split(":")[1]) if ":" in p else 0 for p in params]

    def stored(self, values):  # signless literal -> integer value
        values = np.asarray(values, dtype=np.int64)
        if self.binary:
            return 2 * (values & 1) - 1
        return values & ((1 << self.bits) - 1) if not self.signed else values


def element_type(tensor_type):
    return Quant(re.fullmatch(r"tensor<(?:\d+x)*(.*)>", tensor_type).group(1))


def attribute(attrs, name, default):
    m = re.search(name + r" = array<i64: ([-\d, ]+)>", attrs)
    return [int(v) for v in m.group(1).split(",")] if m else default


def rounding(attrs):
    m = re.search(r"#qa\.rounding<(\w+)>", attrs)
    return m.group(1) if m else "tflite_double"


def round_half_away(v):
    return math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1)


def requantize(acc, t_in, t_w, t_out, mode, wide):
    """acc[..., n] of integer sums to stored results of t_out; `wide` sums
    (the layer accumulates in i64) rescale as TFLite's int64 kernel."""
    out = np.empty(acc.shape, dtype=np.int64)
    for index, value in np.ndenumerate(acc):
        c = index[-1] if len(t_w.scales) > 1 else 0
        real = t_in.scales[0] * t_w.scales[c] / t_out.scales[0]
        float_multiplier = np.float32(np.float32(t_in.scales[0]) * np.float32(t_w.scales[c])) / np.float32(t_out.scales[0])
        level = rescale64(int(value), real) if wide else rescale(int(value), real, float_multiplier, mode)
        out[index] = min(max(level + t_out.zps[0], t_out.lo), t_out.hi)
    return out


def needs_i64(t_in, w, zp_w, bias):
    """The documented rule: a layer accumulates in i64 when some output
    channel's partial sums over the input's storage range can leave i32."""
    ends = np.array([t_in.lo - t_in.zps[0], t_in.hi - t_in.zps[0]], dtype=np.int64)
    for n in range(w.shape[0]):
        terms = np.outer(ends, w[n] - zp_w[n])
        b = int(bias[n]) if bias is not None else 0
        lo = int(np.minimum(terms.min(0), 0).sum()) + min(b, 0)
        hi = int(np.maximum(terms.max(0), 0).sum()) + max(b, 0)
        if lo < -(1 << 31) or hi > (1 << 31) - 1:
            return True
    return False


def contraction(x, t_in, w, t_w, bias, t_out, mode):
    """x [M, K] by w [N, K] (stored values)."""
    zp_w = np.array(t_w.zps if len(t_w.zps) > 1 else t_w.zps * w.shape[0], dtype=np.int64)
    acc = (x - t_in.zps[0]) @ (w - zp_w[:, None]).T
    if bias is not None:
        acc = acc + bias
    wide = needs_i64(t_in, w, zp_w, bias)
    assert np.all(np.abs(acc) < (1 << 47) if wide else np.abs(acc) < (1 << 31))
    return requantize(acc, t_in, t_w, t_out, mode, wide)


def windows(x, kernel, strides, dilations, pads, fill):
    """x [N, H, W, C] -> [N, OH, OW, KH, KW, C] windows, padded with `fill`."""
    x = np.pad(x, ((0, 0), (pads[0], pads[1]), (pads[2], pads[3]), (0, 0)), constant_values=fill)
    n, h, w, c = x.shape
    kh, kw = kernel
    oh = (h - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (w - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    out = np.empty((n, oh, ow, kh, kw, c), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            out[:, :, :, i, j, :] = x[:, i * dilations[0]: i * dilations[0] + strides[0] * (oh - 1) + 1: strides[0],
                                      j * dilations[1]: j * dilations[1] + strides[1] * (ow - 1) + 1: strides[1], :]
    return out


def evaluate(lines, image):
    env = {}  # name -> (stored values or floats, Quant or None)
    for line in lines:
        m = re.match(r"\s*(%\w+) = ([\w.]+) (.*)$", line)
        if not m:
            r = re.match(r"\s*return (%\w+)", line)
            if r:
                return env[r.group(1)][0]
            continue
        name, op, rest = m.groups()
        operands = re.findall(r"%\w+", rest.split(":")[0].split("{")[0])
        result_type = re.search(r"(?:->|into) (tensor<.*>)$", rest)
        if op == "qa.quantize" and "!qa.binary" in result_type.group(1):
            # The sign: x >= 0 is the value +1.
            env[name] = (np.where(np.float32(image) >= 0, 1, -1), element_type(result_type.group(1)))
        elif op == "qa.requantize" and "!qa.binary" in result_type.group(1):
            # The sign of the real value (q - zp) * scale.
            q, t = env[operands[0]]
            env[name] = (np.where(q >= t.zps[0], 1, -1), element_type(result_type.group(1)))
        elif op == "qa.quantize":
            t = element_type(result_type.group(1))
            half_even = rounding(rest) == "half_even"
            scaled = np.float32(image) / np.float32(t.scales[0])
            q = np.vectorize(lambda v: int(np.rint(v)) if half_even else round_half_away(float(v)))(scaled)
            env[name] = (np.clip(q + t.zps[0], t.lo, t.hi), t)
        elif op == "qa.constant":
            literal, storage, qtype = re.match(r"dense<(.*)> : (tensor<[^>]*>) : (tensor<.*>)$", rest).groups()
            shape = [int(d) for d in re.findall(r"(\d+)x", storage)]
            t = element_type(qtype)
            literal = literal.replace("true", "1").replace("false", "0")
            env[name] = (t.stored(np.broadcast_to(np.array(ast.literal_eval(literal)), shape)), t)
        elif op in ("qa.conv2d", "qa.fully_connected"):
            x, t_in = env[operands[0]]
            w, t_w = env[operands[1]]
            bias = env[operands[2]][0] if len(operands) > 2 else None
            t_out = element_type(result_type.group(1))
            mode = rounding(rest)
            if op == "qa.conv2d":
                patches = windows(x, w.shape[1:3], attribute(rest, "strides", [1, 1]),
                                  attribute(rest, "dilations", [1, 1]), attribute(rest, "padding", [0] * 4), t_in.zps[0])
                n, oh, ow = patches.shape[:3]
                y = contraction(patches.reshape(n * oh * ow, -1), t_in, w.reshape(w.shape[0], -1), t_w, bias, t_out, mode)
                env[name] = (y.reshape(n, oh, ow, -1), t_out)
            else:
                y = contraction(x.reshape(-1, x.shape[-1]), t_in, w, t_w, bias, t_out, mode)
                env[name] = (y.reshape(*x.shape[:-1], -1), t_out)
        elif op in ("qa.max_pool2d", "qa.avg_pool2d"):
            x, t = env[operands[0]]
            kernel = attribute(rest, "kernel", None)
            pads = attribute(rest, "padding", [0] * 4)
            patches = windows(x, kernel, attribute(rest, "strides", [1, 1]), [1, 1], pads, t.lo)
            if op == "qa.max_pool2d":
                env[name] = (patches.max(axis=(3, 4)), t)
            else:
                raise SystemExit("qa.avg_pool2d: not in the example networks")
        elif op in ("tensor.collapse_shape", "tensor.expand_shape"):
            x, t = env[operands[0]]
            shape = [int(d) for d in re.findall(r"(\d+)x", result_type.group(1))]
            env[name] = (x.reshape(shape), t)
        elif op == "qa.dequantize":
            q, t = env[operands[0]]
            env[name] = ((q - t.zps[0]).astype(np.float32) * np.float32(t.scales[0]), None)
        else:
            raise SystemExit("the interpreter has no rule for %s" % op)
    raise SystemExit("no return")


body = open(model).read().splitlines()
ops = {re.match(r"\s*%\w+ = ([\w.]+)", l).group(1) for l in body if re.match(r"\s*%\w+ = ", l)}
print("ops:", " ".join(sorted(ops)))


def weight_kind(line):
    qtype = line.rsplit(" : ", 1)[-1]
    return "binary" if "!qa.binary" in qtype else re.search(r"!quant\.uniform<([iu]\d+)", qtype).group(1)


weights = {weight_kind(l) for l in body if " = qa.constant " in l} - {"i32"}  # i32: the biases
print("weights:", " ".join(sorted(weights)))
if any(op.startswith("tosa.") for op in ops):
    raise SystemExit("the model is not fully quantized")
mismatches = 0
wanted = []
for i, image in enumerate(images):
    want = evaluate(body, image)
    wanted.append(want.astype(np.float32))
    if not np.array_equal(got[i].view(np.uint32), want.astype(np.float32).view(np.uint32)):
        mismatches += 1
        if mismatches <= 3:
            print("image %d: got %s, want %s" % (i, got[i].ravel(), want.ravel()))
if args.reference:
    np.save(args.reference, np.stack(wanted))
if mismatches:
    print("%d of %d images differ" % (mismatches, len(images)))
    sys.exit(1)
print("%d images bit-exact" % len(images))
