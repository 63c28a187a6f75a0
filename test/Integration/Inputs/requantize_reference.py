"""Random qa.requantize with per-axis input and per-tensor or per-axis
result, run by quant-run, against a reference written here, bit for bit:
channel c centered by its input zero point, rescaled by
s_in[c] / s_out[c] with each #qa.rounding mode (quant_reference.rescale),
offset by its result zero point and saturated.
"""
import argparse
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from quant_reference import quant_type, rescale, storage_range

parser = argparse.ArgumentParser()
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--cases", type=int, default=30)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(21)

failures = 0
for case in range(args.cases):
    rank = rng.randint(1, 3)
    shape = [rng.randint(1, 4) for _ in range(rank)]
    axis = rng.randint(0, rank - 1)
    shape[axis] = rng.randint(2, 4)
    channels = shape[axis]
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    in_bits, in_signed = rng.choice([8, 16, 32]), True if rng.random() < 0.6 else False
    if in_bits == 32:
        in_signed = True
    out_bits, out_signed = rng.choice([4, 8, 16]), rng.random() < 0.5
    in_lo, in_hi = storage_range(in_bits, in_signed)
    out_lo, out_hi = storage_range(out_bits, out_signed)
    if in_bits == 32:  # an accumulator: a moderate range
        in_lo, in_hi = -(1 << 20), 1 << 20
    s_in = [rng.uniform(0.001, 0.1) for _ in range(channels)]
    zp_in = [0 if in_bits == 32 else rng.randint(*storage_range(in_bits, in_signed)) for _ in range(channels)]
    per_axis_out = rng.random() < 0.5
    out_channels = channels if per_axis_out else 1
    spread = max(s_in) * (in_hi - in_lo)
    s_out = [spread / (out_hi - out_lo) * rng.uniform(0.2, 2) for _ in range(out_channels)]
    zp_out = [rng.randint(out_lo, out_hi) for _ in range(out_channels)]
    t_in = quant_type(in_bits, in_signed, s_in, zp_in, axis=axis)
    t_out = quant_type(out_bits, out_signed, s_out, zp_out, axis=axis if per_axis_out else None)
    dims = "x".join(map(str, shape))
    path = os.path.join(args.workdir, "r%d.mlir" % case)
    with open(path, "w") as f:
        f.write("func.func @r(%%x: tensor<%sx%s>) -> tensor<%sx%s> {\n"
                "  %%y = qa.requantize %%x {rounding = #qa.rounding<%s>} : tensor<%sx%s> -> tensor<%sx%s>\n"
                "  return %%y : tensor<%sx%s>\n}\n" % (dims, t_in, dims, t_out, mode, dims, t_in, dims, t_out, dims, t_out))
    x = np.array([rng.randint(in_lo, in_hi) for _ in range(int(np.prod(shape)))], dtype=np.int64).reshape(shape)
    np.save(os.path.join(args.workdir, "x%d.npy" % case), x[None])
    out = os.path.join(args.workdir, "y%d.npy" % case)
    run = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "x%d.npy" % case),
                          "--outputs", out], capture_output=True, text=True)
    if run.returncode != 0:
        print("case %d: quant-run failed:\n%s" % (case, run.stderr))
        failures += 1
        continue
    got = np.load(out)[0].astype(np.int64)
    if not out_signed:
        got &= (1 << out_bits) - 1
    for index in np.ndindex(*shape):
        c = index[axis]
        o = c if per_axis_out else 0
        multiplier = np.float32(s_in[c]) / np.float32(s_out[o])
        want = min(max(rescale(int(x[index]) - zp_in[c], s_in[c] / s_out[o], multiplier, mode) + zp_out[o],
                       out_lo), out_hi)
        if got[index] != want:
            failures += 1
            print("case %d (%s, %s -> %s): %s got %d, want %d" % (case, mode, t_in, t_out, index, got[index], want))
            break
if failures:
    sys.exit(1)
print("%d per-axis requantize cases bit-exact" % args.cases)
