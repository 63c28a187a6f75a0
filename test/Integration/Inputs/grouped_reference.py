"""Random qa.fully_connected layers with per-group weights (blocks of g
along K, a scale and zero point per output channel and group), or with
--conv qa.conv2d layers whose OHWI filters have blocks of g input channels
(a scale and zero point per output channel, filter position and block: a
fully-connected layer on the input's patches), run by quant-run, against
this definition written here in Python integers, bit for bit:

  a[m, n, j] = sum_{k in group j} (x - zp_in)(w - zp_w[n, j])
  S_n = 30 - e_n, e_n the binary exponent (frexp) of the largest ratio
        s_in s[n, j] / s_out of the channel (and its bias's s_b[n] / s_out)
  M[n, j] = round(s_in s[n, j] / s_out * 2^S_n), M_b = round(s_b / s_out 2^S_n),
            half away from zero
  t = sum_j a M + bias M_b, rounded by 2^S_n (half away from zero in the
      TFLite modes, half to even in half_even), plus zp_out, saturated.
"""
import argparse
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from quant_reference import dense, quant_type, storage_range

parser = argparse.ArgumentParser()
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--cases", type=int, default=30)
parser.add_argument("--conv", action="store_true")
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(29)


def f32(v):
    return float(np.float32(v))


def round_away(v):
    return math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1)


def round_shift(t, shift, half_even):
    floor = t >> shift
    rest = t - (floor << shift)
    half = 1 << (shift - 1)
    if rest > half or (rest == half and (floor % 2 == 1 if half_even else t >= 0)):
        return floor + 1
    return floor


failures = 0
for case in range(args.cases):
    M, N = rng.randint(1, 3), rng.randint(1, 4)
    g, G = rng.choice([1, 2, 3, 4, 8]), rng.randint(1, 4)  # packed when g is whole bytes
    K = g * G
    if args.conv:  # K = KH * KW * C, blocks of g along C, G blocks in all
        KH, KW, C = rng.randint(1, 2), rng.randint(1, 2), g * rng.randint(1, 2)
        H, W = KH + rng.randint(0, 2), KW + rng.randint(0, 2)
        OH, OW = H - KH + 1, W - KW + 1
        K, G, M = KH * KW * C, KH * KW * C // g, OH * OW
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    in_bits, in_signed = rng.choice([4, 8, 8]), rng.random() < 0.5
    w_bits, w_signed = rng.choice([2, 4, 8, 16]), rng.random() < 0.7
    out_bits, out_signed = rng.choice([8, 16]), rng.random() < 0.5
    in_lo, in_hi = storage_range(in_bits, in_signed)
    w_lo, w_hi = storage_range(w_bits, w_signed)
    out_lo, out_hi = storage_range(out_bits, out_signed)
    zp_in = rng.randint(in_lo, in_hi)
    ties = rng.random() < 0.4  # power-of-two scales: exact ties occur
    s_in = 2.0 ** -rng.randint(4, 8) if ties else rng.uniform(0.002, 0.05)
    s_w = [[2.0 ** -rng.randint(4, 8) if ties else f32(rng.uniform(0.001, 0.05)) for _ in range(G)]
           for _ in range(N)]
    zp_w = [[rng.randint(w_lo, w_hi) if rng.random() < 0.5 else 0 for _ in range(G)] for _ in range(N)]
    spread = (in_hi - in_lo) * (w_hi - w_lo) * math.sqrt(K) / 6
    s_out = spread * s_in * 0.05 / (out_hi - out_lo) * rng.uniform(0.3, 3)
    if ties:
        s_out = s_in * max(max(row) for row in s_w) * 2.0 ** rng.randint(1, 5)
    zp_out = rng.randint(out_lo, out_hi)
    with_bias = rng.random() < 0.6
    s_b = [s_in * max(row) for row in s_w]
    b = [rng.randint(-(1 << 12), 1 << 12) for _ in range(N)] if with_bias else [0] * N
    x = [[rng.randint(in_lo, in_hi) for _ in range(K)] for _ in range(M)]
    w = [[rng.randint(w_lo, w_hi) for _ in range(K)] for _ in range(N)]
    if args.conv:
        image = [[[rng.randint(in_lo, in_hi) for _ in range(C)] for _ in range(W)] for _ in range(H)]
        x = [[image[oh + kh][ow + kw][c] for kh in range(KH) for kw in range(KW) for c in range(C)]
             for oh in range(OH) for ow in range(OW)]

    prefix = ("i" if w_signed else "u") + str(w_bits)
    pairs = lambda srow, zrow: ", ".join("%r:%d" % (s, z) for s, z in zip(srow, zrow))
    if args.conv:  # nested [N][KH][KW][C / g]
        per = C // g
        nest = lambda srow, zrow: "{%s}" % ", ".join(
            "{%s}" % ", ".join("{%s}" % pairs(srow[(kh * KW + kw) * per:(kh * KW + kw + 1) * per],
                                                zrow[(kh * KW + kw) * per:(kh * KW + kw + 1) * per])
                               for kw in range(KW)) for kh in range(KH))
        t_w = "!quant.uniform<%s:f32:{0:1, 1:1, 2:1, 3:%d}, {%s}>" % (
            prefix, g, ", ".join(nest(srow, zrow) for srow, zrow in zip(s_w, zp_w)))
    else:
        t_w = "!quant.uniform<%s:f32:{0:1, 1:%d}, {%s}>" % (
            prefix, g, ", ".join("{%s}" % pairs(srow, zrow) for srow, zrow in zip(s_w, zp_w)))
    t_in = quant_type(in_bits, in_signed, [s_in], [zp_in])
    t_out = quant_type(out_bits, out_signed, [s_out], [zp_out])
    t_b = quant_type(32, True, s_b, [0] * N, axis=0)
    stored = [[v - (1 << w_bits) if v >= 1 << (w_bits - 1) else v for v in row] for row in w]
    if args.conv:
        in_shape, w_shape, out_shape = "1x%dx%dx%d" % (H, W, C), "%dx%dx%dx%d" % (N, KH, KW, C), "1x%dx%dx%d" % (OH, OW, N)
        stored = np.array(stored).reshape(N, KH, KW, C)
    else:
        in_shape, w_shape, out_shape = "%dx%d" % (M, K), "%dx%d" % (N, K), "%dx%d" % (M, N)
    lines = ["func.func @fc(%%x: tensor<%sx%s>) -> tensor<%sx%s> {" % (in_shape, t_in, out_shape, t_out),
             "  %%w = qa.constant %s : tensor<%sxi%d> : tensor<%sx%s>" % (dense(stored), w_shape, w_bits, w_shape, t_w)]
    operands, types = "%x, %w", "tensor<%sx%s>, tensor<%sx%s>" % (in_shape, t_in, w_shape, t_w)
    if with_bias:
        lines.append("  %%b = qa.constant %s : tensor<%dxi32> : tensor<%dx%s>" % (dense(b), N, N, t_b))
        operands += ", %b"
        types += ", tensor<%dx%s>" % (N, t_b)
    lines.append("  %%y = %s %s {rounding = #qa.rounding<%s>} : (%s) -> tensor<%sx%s>"
                 % ("qa.conv2d" if args.conv else "qa.fully_connected", operands, mode, types, out_shape, t_out))
    lines += ["  return %%y : tensor<%sx%s>" % (out_shape, t_out), "}", ""]
    path = os.path.join(args.workdir, "g%d.mlir" % case)
    with open(path, "w") as f:
        f.write("\n".join(lines))
    np.save(os.path.join(args.workdir, "x%d.npy" % case),
            np.array([image if args.conv else x], dtype=np.int64).reshape([1] + [int(d) for d in in_shape.split("x")]))
    out = os.path.join(args.workdir, "y%d.npy" % case)
    run = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "x%d.npy" % case),
                          "--outputs", out], capture_output=True, text=True)
    if run.returncode != 0:
        print("case %d: quant-run failed:\n%s" % (case, run.stderr))
        failures += 1
        continue
    got = np.load(out)[0].astype(np.int64).reshape(M, N)
    if not out_signed:
        got &= (1 << out_bits) - 1
    for n in range(N):
        ratios = [s_in * s_w[n][j] / s_out for j in range(G)]
        biased = s_b[n] / s_out if with_bias else 0.0
        shift = 30 - math.frexp(max(ratios + [biased]))[1]
        mults = [round_away(math.ldexp(r, shift)) for r in ratios]
        bias_term = b[n] * round_away(math.ldexp(biased, shift))
        for m in range(M):
            t = bias_term
            for j in range(G):
                acc = sum((x[m][k] - zp_in) * (w[n][k] - zp_w[n][j]) for k in range(j * g, (j + 1) * g))
                t += acc * mults[j]
            want = min(max(round_shift(t, shift, mode == "half_even") + zp_out, out_lo), out_hi)
            if got[m][n] != want:
                failures += 1
                print("case %d (%s, g %d, w %s): [%d, %d] got %d, want %d" % (case, mode, g, prefix, m, n, got[m][n], want))
                break
if failures:
    sys.exit(1)
print("%d per-group %s cases bit-exact" % (args.cases, "conv2d" if args.conv else "fully_connected"))
