"""Random qa.max_pool2d and qa.avg_pool2d layers, run by quant-run, against
direct loops written here, bit for bit: kernel sizes, strides, asymmetric
padding, 8/16-bit signed or unsigned storage with zero points and narrowed
ranges, padding counted or not, and the rounding of each #qa.rounding mode
for the average: TFLite's integer AveragePool, (sum +- count / 2) / count
truncating, for both TFLite modes; exact round half to even for half_even.
"""
import argparse
import os
import random
import subprocess
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from quant_reference import quant_type, storage_range

parser = argparse.ArgumentParser()
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--cases", type=int, default=40)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(11)


def tflite_average(total, count):
    half = count // 2
    # C division truncates toward zero.
    biased = total + half if total > 0 else total - half
    quotient = abs(biased) // count
    return quotient if biased >= 0 else -quotient


def half_even_average(total, count):
    value = Fraction(total, count)
    floor = value.numerator // value.denominator
    rest = value - floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2):
        return floor + 1
    return floor


failures = ran = 0
for case in range(args.cases):
    kind = rng.choice(["max", "avg"])
    H, W, C = rng.randint(2, 6), rng.randint(2, 6), rng.randint(1, 3)
    KH, KW = rng.randint(1, 3), rng.randint(1, 3)
    sh, sw = rng.randint(1, 2), rng.randint(1, 2)
    # Padding smaller than the kernel, so every window holds an element.
    pads = [rng.randint(0, KH - 1), rng.randint(0, KH - 1), rng.randint(0, KW - 1), rng.randint(0, KW - 1)]
    OH = (H + pads[0] + pads[1] - KH) // sh + 1
    OW = (W + pads[2] + pads[3] - KW) // sw + 1
    if OH < 1 or OW < 1:
        continue
    bits, signed = rng.choice([2, 4, 8, 8, 16]), rng.random() < 0.6
    lo, hi = storage_range(bits, signed)
    zp = rng.randint(lo, hi)
    narrowed = (zp, hi) if rng.random() < 0.3 and zp < hi else None  # a fused ReLU range
    res_lo, res_hi = narrowed or (lo, hi)
    include_pad = kind == "avg" and rng.random() < 0.3
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    t = quant_type(bits, signed, [rng.uniform(0.001, 0.1)], [zp], storage=narrowed)
    x = [[[rng.randint(res_lo, res_hi) for _ in range(C)] for _ in range(W)] for _ in range(H)]

    attrs = "kernel = array<i64: %d, %d>, strides = array<i64: %d, %d>, padding = array<i64: %d, %d, %d, %d>" % (
        KH, KW, sh, sw, *pads)
    if kind == "avg":
        attrs += ", rounding = #qa.rounding<%s>" % mode
        if include_pad:
            attrs += ", count_include_pad"
    path = os.path.join(args.workdir, "pool%d.mlir" % case)
    with open(path, "w") as f:
        f.write("func.func @pool(%%x: tensor<1x%dx%dx%dx%s>) -> tensor<1x%dx%dx%dx%s> {\n"
                "  %%y = qa.%s_pool2d %%x {%s} : tensor<1x%dx%dx%dx%s> -> tensor<1x%dx%dx%dx%s>\n"
                "  return %%y : tensor<1x%dx%dx%dx%s>\n}\n"
                % (H, W, C, t, OH, OW, C, t, kind, attrs, H, W, C, t, OH, OW, C, t, OH, OW, C, t))
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
    if not signed:
        got &= (1 << bits) - 1
    for oh in range(OH):
        for ow in range(OW):
            for c in range(C):
                window = []
                for kh in range(KH):
                    for kw in range(KW):
                        h, w = oh * sh + kh - pads[0], ow * sw + kw - pads[2]
                        if 0 <= h < H and 0 <= w < W:
                            window.append(x[h][w][c])
                        elif include_pad:
                            window.append(zp)  # padding is real zero
                if kind == "max":
                    want = max(window)
                else:
                    average = half_even_average if mode == "half_even" else tflite_average
                    want = min(max(average(sum(window), len(window)), res_lo), res_hi)
                if got[oh][ow][c] != want:
                    failures += 1
                    print("case %d (%s, %s%d zp %d, k%dx%d s%d,%d pad %s%s): [%d, %d, %d] got %d, want %d"
                          % (case, kind if kind == "max" else "avg " + mode, "i" if signed else "u", bits, zp,
                             KH, KW, sh, sw, pads, " counting padding" if include_pad else "",
                             oh, ow, c, got[oh][ow][c], want))
                    break

if ran < args.cases // 2:
    print("only %d of %d cases ran" % (ran, args.cases))
    failures += 1
if failures:
    sys.exit(1)
print("%d pooling cases bit-exact" % ran)
