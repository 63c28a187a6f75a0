"""Random binary layers, run by quant-run, against an integer reference
written here, bit for bit:

- binary weights (!qa.binary, one alpha per tensor or per output channel)
  with 8/16-bit inputs, in qa.fully_connected and qa.conv2d: the sum of
  +-(x - zp_in) selected by each weight's sign;
- binary inputs (qa.quantize of a float tensor: bit = x >= 0) with binary
  weights in qa.fully_connected: the sum of (2x - 1)(2w - 1), which the
  lowering computes with XNOR and popcount;

each then rescaled by scale_in * alpha_w[n] / scale_out with the rounding of
quant_reference.py, offset, saturated; K is often not a multiple of 8.
"""
import argparse
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from quant_reference import dense, quant_type, rescale, storage_range

parser = argparse.ArgumentParser()
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--cases", type=int, default=48)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(1)


def binary_type(alphas, axis=None):
    if axis is None:
        return "!qa.binary<f32, %r>" % alphas[0]
    return "!qa.binary<f32:%d, {%s}>" % (axis, ", ".join(repr(a) for a in alphas))


def run(case, text, inputs, dtype):
    path = os.path.join(args.workdir, "case%d.mlir" % case)
    with open(path, "w") as f:
        f.write(text)
    np.save(os.path.join(args.workdir, "x%d.npy" % case), np.array([inputs], dtype=dtype))
    out = os.path.join(args.workdir, "y%d.npy" % case)
    result = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "x%d.npy" % case),
                             "--outputs", out], capture_output=True, text=True)
    if result.returncode != 0:
        print("case %d: quant-run failed:\n%s\n%s" % (case, result.stderr, text))
        return None
    return np.load(out)[0].astype(np.int64)


failures = 0
counts = {"fc": 0, "conv": 0, "xnor": 0}
for case in range(args.cases):
    kind = ["fc", "conv", "xnor"][case % 3]
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    out_bits, out_signed = rng.choice([8, 16]), rng.random() < 0.5
    out_lo, out_hi = storage_range(out_bits, out_signed)
    zp_out = rng.randint(out_lo, out_hi)
    with_bias = rng.random() < 0.6
    if kind == "conv":
        H, W, C, O = rng.randint(2, 5), rng.randint(2, 5), rng.randint(1, 5), rng.randint(1, 4)
        KH, KW = rng.randint(1, 3), rng.randint(1, 3)
        pads = [rng.randint(0, 1) for _ in range(4)]
        OH, OW = H + pads[0] + pads[1] - KH + 1, W + pads[2] + pads[3] - KW + 1
        if OH < 1 or OW < 1:
            continue
        N, K = O, KH * KW * C
    else:
        M, K, N = rng.choice([1, 2]), rng.choice([1, 7, 8, 13, 64, 70]), rng.choice([1, 3, 8])
    per_channel = rng.random() < 0.5
    alphas = [rng.uniform(0.01, 0.5) for _ in range(N if per_channel else 1)]
    bits = [[rng.randint(0, 1) for _ in range(K)] for _ in range(N)]
    t_w = binary_type(alphas, 0 if per_channel else None)
    if kind == "xnor":
        s_in, zp_in = rng.uniform(0.1, 1.0), 0
        t_in = binary_type([s_in])
        spread = 2 * math.sqrt(K)
    else:
        in_bits, in_signed = rng.choice([8, 16]), rng.random() < 0.5
        in_lo, in_hi = storage_range(in_bits, in_signed)
        zp_in = rng.randint(in_lo, in_hi) if rng.random() < 0.6 else 0
        s_in = rng.uniform(0.002, 0.05)
        t_in = quant_type(in_bits, in_signed, [s_in], [zp_in])
        spread = (in_hi - in_lo) * math.sqrt(K)
    s_out = spread * s_in * max(alphas) / (out_hi - out_lo) * rng.uniform(0.3, 3)
    t_out = quant_type(out_bits, out_signed, [s_out], [zp_out])
    b = [rng.randint(-(1 << 12), 1 << 12) for _ in range(N)] if with_bias else [0] * N
    t_b = quant_type(32, True, [s_in * a for a in alphas], [0] * len(alphas), axis=0 if per_channel else None)

    if kind == "conv":
        w_shape = (O, KH, KW, C)
        w_literal = np.array(bits).reshape(w_shape).tolist()
        x_shape, y_shape = "1x%dx%dx%d" % (H, W, C), "1x%dx%dx%d" % (OH, OW, O)
        w_tensor, b_tensor = "%dx%dx%dx%d" % w_shape, "%d" % O
    else:
        w_literal = bits
        x_shape, y_shape = "%dx%d" % (M, K), "%dx%d" % (M, N)
        w_tensor, b_tensor = "%dx%d" % (N, K), "%d" % N
    bool_literal = dense(w_literal).replace("1", "true").replace("0", "false")
    lines = ["func.func @layer(%%x: tensor<%sx%s>) -> tensor<%sx%s> {"
             % (x_shape, "f32" if kind == "xnor" else t_in, y_shape, t_out)]
    source = "%x"
    if kind == "xnor":
        lines.append("  %%q = qa.quantize %%x : tensor<%sxf32> -> tensor<%sx%s>" % (x_shape, x_shape, t_in))
        source = "%q"
    lines.append("  %%w = qa.constant %s : tensor<%sxi1> : tensor<%sx%s>" % (bool_literal, w_tensor, w_tensor, t_w))
    operands = "%s, %%w" % source
    types = "tensor<%sx%s>, tensor<%sx%s>" % (x_shape, t_in, w_tensor, t_w)
    if with_bias:
        lines.append("  %%b = qa.constant %s : tensor<%sxi32> : tensor<%sx%s>" % (dense(b), b_tensor, b_tensor, t_b))
        operands += ", %b"
        types += ", tensor<%sx%s>" % (b_tensor, t_b)
    attrs = "rounding = #qa.rounding<%s>" % mode
    if kind == "conv":
        attrs += ", padding = array<i64: %d, %d, %d, %d>" % tuple(pads)
    op = "qa.conv2d" if kind == "conv" else "qa.fully_connected"
    lines.append("  %%y = %s %s {%s} : (%s) -> tensor<%sx%s>" % (op, operands, attrs, types, y_shape, t_out))
    lines += ["  return %%y : tensor<%sx%s>" % (y_shape, t_out), "}", ""]

    # Inputs and the reference accumulators, one row per output position.
    if kind == "xnor":
        x = [[rng.choice([-1.0, 1.0]) * rng.uniform(0, 2) for _ in range(K)] for _ in range(M)]
        x[0][0] = 0.0  # zero is +alpha
        rows = [[1 if v >= 0 else -1 for v in row] for row in x]
        got = run(case, "\n".join(lines), x, np.float32)
    elif kind == "fc":
        x = [[rng.randint(in_lo, in_hi) for _ in range(K)] for _ in range(M)]
        rows = [[v - zp_in for v in row] for row in x]
        got = run(case, "\n".join(lines), x, np.int64)
    else:
        x = [[[rng.randint(in_lo, in_hi) for _ in range(C)] for _ in range(W)] for _ in range(H)]
        padded = np.pad(np.array(x) - zp_in, ((pads[0], pads[1]), (pads[2], pads[3]), (0, 0)))  # real zero
        rows = [padded[oh:oh + KH, ow:ow + KW, :].reshape(-1).tolist() for oh in range(OH) for ow in range(OW)]
        got = run(case, "\n".join(lines), [x], np.int64)
    if got is None:
        failures += 1
        continue
    got = got.reshape(len(rows), N)
    if not out_signed:
        got &= (1 << out_bits) - 1
    counts[kind] += 1
    for r, row in enumerate(rows):
        for n in range(N):
            a = alphas[n if per_channel else 0]
            acc = sum(v * (2 * bits[n][k] - 1) for k, v in enumerate(row)) + b[n]
            real = s_in * a / s_out
            float_multiplier = np.float32(np.float32(s_in) * np.float32(a)) / np.float32(s_out)
            want = min(max(rescale(acc, real, float_multiplier, mode) + zp_out, out_lo), out_hi)
            if got[r][n] != want:
                failures += 1
                print("case %d (%s, %s, K %d): [%d, %d] got %d, want %d (acc %d)"
                      % (case, kind, mode, K, r, n, got[r][n], want, acc))
                break

if min(counts.values()) < args.cases // 6:
    print("too few cases ran: %s" % counts)
    failures += 1
if failures:
    sys.exit(1)
print("binary layers bit-exact: %d fully_connected, %d conv2d, %d xnor-popcount" % (counts["fc"], counts["conv"], counts["xnor"]))
