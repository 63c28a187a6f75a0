"""Random qa.depthwise_conv2d layers (NHWC input, [1, KH, KW, C * M]
filters), run by quant-run, against direct loops written here, bit for bit:
depth multipliers, strides, dilations, asymmetric padding (padded positions
are real zero), 8/16-bit inputs, 2/4/8/16-bit or binary per-tensor or
per-channel filters, symmetric or asymmetric (signed or unsigned, with zero
points), bias, and the three rounding modes.
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
parser.add_argument("--cases", type=int, default=40)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(5)

failures = ran = 0
for case in range(args.cases):
    H, W, C, M = rng.randint(2, 6), rng.randint(2, 6), rng.randint(1, 4), rng.randint(1, 3)
    KH, KW = rng.randint(1, 3), rng.randint(1, 3)
    sh, sw, dh, dw = rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 2)
    pads = [rng.randint(0, 2) for _ in range(4)]
    OH = (H + pads[0] + pads[1] - dh * (KH - 1) - 1) // sh + 1
    OW = (W + pads[2] + pads[3] - dw * (KW - 1) - 1) // sw + 1
    if OH < 1 or OW < 1:
        continue
    O = C * M
    in_bits, in_signed = rng.choice([8, 8, 16]), rng.random() < 0.5
    # 16 x 16 bits can leave i32, which fully_connected_reference.py tests.
    w_kind = rng.choice(["binary", 2, 4, 8, 8] + ([16] if in_bits == 8 else []))
    out_bits, out_signed = rng.choice([8, 16]), rng.random() < 0.5
    per_channel = rng.random() < 0.5
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    with_bias = rng.random() < 0.7
    in_lo, in_hi = storage_range(in_bits, in_signed)
    out_lo, out_hi = storage_range(out_bits, out_signed)
    zp_in = rng.randint(in_lo, in_hi) if rng.random() < 0.6 else 0
    channels = O if per_channel else 1
    s_in = rng.uniform(0.002, 0.05)
    s_w = [rng.uniform(0.001, 0.05) for _ in range(channels)]
    zp_w = [0] * channels
    if w_kind == "binary":
        w = [[[[rng.choice([-1, 1]) for _ in range(O)] for _ in range(KW)] for _ in range(KH)]]
        literal = dense(w).replace("-1", "false").replace("1", "true")
        storage = "i1"
        t_w = ("!qa.binary<f32:3, {%s}>" % ", ".join(repr(s) for s in s_w)) if per_channel \
            else "!qa.binary<f32, %r>" % s_w[0]
        w_span = 2
    elif rng.random() < 0.4:  # asymmetric: zero points, maybe unsigned
        w_signed = rng.random() < 0.5
        w_lo, w_hi = storage_range(w_kind, w_signed)
        zp_w = [rng.randint(w_lo, w_hi) for _ in range(channels)]
        w = [[[[rng.randint(w_lo, w_hi) for _ in range(O)] for _ in range(KW)] for _ in range(KH)]]
        literal = dense([[[[v - (1 << w_kind) if v >= 1 << (w_kind - 1) else v for v in row] for row in kw_]
                          for kw_ in kh_] for kh_ in w])
        storage = "i%d" % w_kind
        t_w = quant_type(w_kind, w_signed, s_w, zp_w, axis=3 if per_channel else None)
        w_span = w_hi - w_lo
    else:
        w_lo, w_hi = storage_range(w_kind, True, narrow=True)
        w = [[[[rng.randint(w_lo, w_hi) for _ in range(O)] for _ in range(KW)] for _ in range(KH)]]
        literal, storage = dense(w), "i%d" % w_kind
        t_w = quant_type(w_kind, True, s_w, [0] * channels, axis=3 if per_channel else None,
                         storage=(w_lo, w_hi))
        w_span = w_hi - w_lo
    spread = (in_hi - in_lo) * w_span * math.sqrt(KH * KW) / 6
    s_out = spread * s_in * max(s_w) / (out_hi - out_lo) * rng.uniform(0.3, 3)
    zp_out = rng.randint(out_lo, out_hi)
    t_in = quant_type(in_bits, in_signed, [s_in], [zp_in])
    t_out = quant_type(out_bits, out_signed, [s_out], [zp_out])
    b = [rng.randint(-(1 << 12), 1 << 12) for _ in range(O)] if with_bias else [0] * O
    t_b = quant_type(32, True, [s_in * s for s in s_w], [0] * channels, axis=0 if per_channel else None)
    x = [[[rng.randint(in_lo, in_hi) for _ in range(C)] for _ in range(W)] for _ in range(H)]

    x_t, y_t, w_t = "1x%dx%dx%d" % (H, W, C), "1x%dx%dx%d" % (OH, OW, O), "1x%dx%dx%d" % (KH, KW, O)
    lines = ["func.func @dw(%%x: tensor<%sx%s>) -> tensor<%sx%s> {" % (x_t, t_in, y_t, t_out),
             "  %%w = qa.constant %s : tensor<%sx%s> : tensor<%sx%s>" % (literal, w_t, storage, w_t, t_w)]
    operands, types = "%x, %w", "tensor<%sx%s>, tensor<%sx%s>" % (x_t, t_in, w_t, t_w)
    if with_bias:
        lines.append("  %%b = qa.constant %s : tensor<%dxi32> : tensor<%dx%s>" % (dense(b), O, O, t_b))
        operands += ", %b"
        types += ", tensor<%dx%s>" % (O, t_b)
    lines.append("  %%y = qa.depthwise_conv2d %s {strides = array<i64: %d, %d>, dilations = array<i64: %d, %d>, "
                 "padding = array<i64: %d, %d, %d, %d>, rounding = #qa.rounding<%s>} : (%s) -> tensor<%sx%s>"
                 % (operands, sh, sw, dh, dw, *pads, mode, types, y_t, t_out))
    lines += ["  return %%y : tensor<%sx%s>" % (y_t, t_out), "}", ""]
    path = os.path.join(args.workdir, "dw%d.mlir" % case)
    with open(path, "w") as f:
        f.write("\n".join(lines))
    np.save(os.path.join(args.workdir, "x%d.npy" % case), np.array([[x]], dtype=np.int64))
    out_path = os.path.join(args.workdir, "y%d.npy" % case)
    run = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "x%d.npy" % case),
                          "--outputs", out_path], capture_output=True, text=True)
    if run.returncode != 0:
        print("case %d: quant-run failed:\n%s" % (case, run.stderr))
        failures += 1
        continue
    ran += 1
    got = np.load(out_path)[0][0].astype(np.int64)
    if not out_signed:
        got &= (1 << out_bits) - 1
    done = False
    for oh in range(OH):
        for ow in range(OW):
            for o in range(O):
                c, ch = o // M, (o if per_channel else 0)
                acc = b[o]
                for kh in range(KH):
                    for kw in range(KW):
                        h, v = oh * sh + kh * dh - pads[0], ow * sw + kw * dw - pads[2]
                        if 0 <= h < H and 0 <= v < W:  # padding is real zero
                            acc += (x[h][v][c] - zp_in) * (w[0][kh][kw][o] - zp_w[ch])
                real = s_in * s_w[ch] / s_out
                float_multiplier = np.float32(np.float32(s_in) * np.float32(s_w[ch])) / np.float32(s_out)
                want = min(max(rescale(acc, real, float_multiplier, mode) + zp_out, out_lo), out_hi)
                if got[oh][ow][o] != want and not done:
                    failures += 1
                    done = True
                    print("case %d (%s, weights %s, M %d): [%d, %d, %d] got %d, want %d"
                          % (case, mode, w_kind, M, oh, ow, o, got[oh][ow][o], want))

if ran < args.cases // 2:
    print("only %d of %d cases ran" % (ran, args.cases))
    failures += 1
if failures:
    sys.exit(1)
print("%d depthwise_conv2d cases bit-exact" % ran)
