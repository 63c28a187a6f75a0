"""Random qa.conv2d layers (NHWC input, OHWI filters), run by quant-run,
against a direct-loop integer convolution written here, bit for bit: strides,
dilations, asymmetric padding (padded positions are real zero), kernel
sizes, 8/16-bit (filters also 2/4-bit, packed), signedness, per-tensor or per-channel and symmetric or
asymmetric filters, bias, fused ReLU and the three rounding modes.
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
rng = random.Random(7)

failures = refused = 0
for case in range(args.cases):
    H, W, C, O = rng.randint(3, 6), rng.randint(3, 6), rng.randint(1, 3), rng.randint(1, 4)
    KH, KW = rng.randint(1, 3), rng.randint(1, 3)
    sh, sw, dh, dw = rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 2)
    pads = [rng.randint(0, 2) for _ in range(4)]  # top, bottom, left, right
    OH = (H + pads[0] + pads[1] - dh * (KH - 1) - 1) // sh + 1
    OW = (W + pads[2] + pads[3] - dw * (KW - 1) - 1) // sw + 1
    if OH < 1 or OW < 1:
        continue
    in_bits, in_signed = rng.choice([4, 8, 8, 16]), rng.random() < 0.5
    w_bits, w_signed = rng.choice([2, 4, 8, 8]), rng.random() < 0.7
    out_bits, out_signed = rng.choice([8, 16]), rng.random() < 0.5
    per_channel, asymmetric = rng.random() < 0.5, rng.random() < 0.4
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    with_bias = rng.random() < 0.7
    in_lo, in_hi = storage_range(in_bits, in_signed)
    w_lo, w_hi = storage_range(w_bits, w_signed)
    out_lo, out_hi = storage_range(out_bits, out_signed)
    zp_in = rng.randint(in_lo, in_hi) if rng.random() < 0.6 else 0
    channels = O if per_channel else 1
    zp_w = [rng.randint(w_lo, w_hi) if asymmetric else 0 for _ in range(channels)]
    s_in = rng.uniform(0.002, 0.05)
    s_w = [rng.uniform(0.001, 0.05) for _ in range(channels)]
    spread = (in_hi - in_lo) * (w_hi - w_lo) * math.sqrt(KH * KW * C) / 6
    s_out = spread * s_in * max(s_w) / (out_hi - out_lo) * rng.uniform(0.3, 3)
    zp_out = rng.randint(out_lo, out_hi)
    narrowed = (zp_out, out_hi) if rng.random() < 0.3 and zp_out < out_hi else None
    res_lo, res_hi = narrowed or (out_lo, out_hi)

    x = [[[rng.randint(in_lo, in_hi) for _ in range(C)] for _ in range(W)] for _ in range(H)]
    w = [[[[rng.randint(w_lo, w_hi) for _ in range(C)] for _ in range(KW)] for _ in range(KH)] for _ in range(O)]
    b = [rng.randint(-(1 << 16), 1 << 16) for _ in range(O)] if with_bias else [0] * O

    t_in = quant_type(in_bits, in_signed, [s_in], [zp_in])
    t_w = quant_type(w_bits, w_signed, s_w, zp_w, axis=0 if per_channel else None)
    t_b = quant_type(32, True, [s_in * s for s in s_w], [0] * channels, axis=0 if per_channel else None)
    t_out = quant_type(out_bits, out_signed, [s_out], [zp_out], storage=narrowed)
    wrap = lambda v, bits: v - (1 << bits) if v >= 1 << (bits - 1) else v
    stored_w = [[[[wrap(v, w_bits) for v in kw_] for kw_ in kh_] for kh_ in o_] for o_ in w]
    attrs = "{strides = array<i64: %d, %d>, dilations = array<i64: %d, %d>, padding = array<i64: %d, %d, %d, %d>, rounding = #qa.rounding<%s>}" % (
        sh, sw, dh, dw, pads[0], pads[1], pads[2], pads[3], mode)
    ti = "tensor<1x%dx%dx%dx%s>" % (H, W, C, t_in)
    tw = "tensor<%dx%dx%dx%dx%s>" % (O, KH, KW, C, t_w)
    tb = "tensor<%dx%s>" % (O, t_b)
    to = "tensor<1x%dx%dx%dx%s>" % (OH, OW, O, t_out)
    lines = ["func.func @conv(%%x: %s) -> %s {" % (ti, to),
             "  %%w = qa.constant %s : tensor<%dx%dx%dx%dxi%d> : %s" % (dense(stored_w), O, KH, KW, C, w_bits, tw)]
    operands, types = "%x, %w", "%s, %s" % (ti, tw)
    if with_bias:
        lines.append("  %%b = qa.constant %s : tensor<%dxi32> : %s" % (dense(b), O, tb))
        operands, types = operands + ", %b", types + ", " + tb
    lines += ["  %%y = qa.conv2d %s %s : (%s) -> %s" % (operands, attrs, types, to),
              "  return %%y : %s" % to, "}"]
    path = os.path.join(args.workdir, "conv%d.mlir" % case)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    np.save(os.path.join(args.workdir, "x%d.npy" % case), np.array([[x]], dtype=np.int64))
    out_path = os.path.join(args.workdir, "y%d.npy" % case)
    run = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "x%d.npy" % case),
                          "--outputs", out_path], capture_output=True, text=True)

    # The compiler must refuse exactly when an accumulator may leave i32.
    centered = (in_lo - zp_in, in_hi - zp_in)
    overflow = False
    for o in range(O):
        lo = hi = 0
        for v in (wv - zp_w[o if per_channel else 0] for kh_ in w[o] for kw_ in kh_ for wv in kw_):
            terms = [t * v for t in centered]
            lo, hi = lo + min(min(terms), 0), hi + max(max(terms), 0)
        overflow |= lo + min(b[o], 0) < -(1 << 31) or hi + max(b[o], 0) > (1 << 31) - 1
    if overflow:
        refused += 1
        if run.returncode == 0 or "beyond i32" not in run.stderr:
            print("case %d: may overflow i32 but was not refused\n%s" % (case, run.stderr))
            failures += 1
        continue
    if run.returncode != 0:
        print("case %d: quant-run failed:\n%s" % (case, run.stderr))
        failures += 1
        continue
    got = np.load(out_path)[0][0].astype(np.int64)  # batch of 1, then N = 1
    if not out_signed:
        got &= (1 << out_bits) - 1

    def pixel(i, j, ch):  # padding is the zero point: (x - zp_in) = 0 there
        return x[i][j][ch] if 0 <= i < H and 0 <= j < W else zp_in

    mismatch = None
    for oh in range(OH):
        for ow in range(OW):
            for o in range(O):
                ch = o if per_channel else 0
                acc = b[o]
                for kh in range(KH):
                    for kw in range(KW):
                        for c in range(C):
                            i, j = oh * sh + kh * dh - pads[0], ow * sw + kw * dw - pads[2]
                            acc += (pixel(i, j, c) - zp_in) * (w[o][kh][kw][c] - zp_w[ch])
                fm = np.float32(np.float32(s_in) * np.float32(s_w[ch])) / np.float32(s_out)
                want = min(max(rescale(acc, s_in * s_w[ch] / s_out, fm, mode) + zp_out, res_lo), res_hi)
                if got[oh][ow][o] != want and mismatch is None:
                    mismatch = (oh, ow, o, got[oh][ow][o], want)
    if mismatch:
        failures += 1
        print("case %d (%s, %dx%d k%dx%d s%d,%d d%d,%d pad %s): [%d, %d, %d] got %d, want %d"
              % ((case, mode, H, W, KH, KW, sh, sw, dh, dw, pads) + mismatch))

ran = args.cases - refused
if ran < args.cases // 2:
    print("only %d cases ran" % ran)
    failures += 1
if failures:
    sys.exit(1)
print("conv2d cases bit-exact: %d, refused for i32 overflow: %d" % (ran, refused))
