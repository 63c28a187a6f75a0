"""Random qa.add and qa.mul with NumPy broadcasting, run by quant-run,
against a reference written here from the published kernels, bit for bit:

- TFLite modes, as TFLite's integer Add: centered inputs shifted left by 20
  (15 for 16-bit results), each rescaled by s_i / (2 max(s_1, s_2)), summed,
  rescaled by 2 max(s_1, s_2) / (2^shift s_out); Mul: the centered product
  rescaled by s_1 s_2 / s_out; each rescale with the mode's fixed-point
  rounding (quant_reference.rescale);
- half_even, in float32 as ONNX Runtime: (s_1/s_out)(a - zp_1) +
  (s_2/s_out)(b - zp_2), or (s_1 s_2 / s_out)(a - zp_1)(b - zp_2), rounded
  half to even;

then the result zero point, saturation to the (possibly narrowed) range.
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
parser.add_argument("--cases", type=int, default=48)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(9)


def operand_type():
    bits = rng.choice([8, 8, 16])
    if bits == 16:  # TFLite's 16-bit kernels: symmetric signed
        return bits, True, 0
    signed = rng.random() < 0.5
    lo, hi = storage_range(bits, signed)
    return bits, signed, rng.randint(lo, hi)


failures = 0
counts = {"add": 0, "mul": 0}
for case in range(args.cases):
    kind = ["add", "mul"][case % 2]
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    shape = [rng.randint(1, 3) for _ in range(rng.randint(1, 3))]
    # Broadcasting: drop leading dims or set some to 1.
    def broadcast_shape():
        s = [d if rng.random() < 0.7 else 1 for d in shape]
        return s[rng.randint(0, len(s) - 1):] if rng.random() < 0.3 else s
    shape_a, shape_b = broadcast_shape(), broadcast_shape()
    (a_bits, a_signed, zp_a), (b_bits, b_signed, zp_b) = operand_type(), operand_type()
    out_bits = 16 if 16 in (a_bits, b_bits) and kind == "add" else rng.choice([8, 16])
    out_signed = True if out_bits == 16 else rng.random() < 0.5
    out_lo, out_hi = storage_range(out_bits, out_signed)
    zp_out = 0 if out_bits == 16 else rng.randint(out_lo, out_hi)
    narrowed = (zp_out, out_hi) if rng.random() < 0.25 else None
    res_lo, res_hi = narrowed or (out_lo, out_hi)
    a_lo, a_hi = storage_range(a_bits, a_signed)
    b_lo, b_hi = storage_range(b_bits, b_signed)
    if rng.random() < 0.4:
        # Power-of-two scales: every rescale is exact, so results land on
        # exact ties, where the rounding of each mode shows.
        s_a, s_b = 2.0 ** -rng.randint(3, 8), 2.0 ** -rng.randint(3, 8)
        s_out = (max(s_a, s_b) if kind == "add" else s_a * s_b) * 2.0 ** rng.randint(1, 4)
    else:
        s_a, s_b = rng.uniform(0.001, 0.1), rng.uniform(0.001, 0.1)
        if kind == "add":
            s_out = (s_a * (a_hi - a_lo) + s_b * (b_hi - b_lo)) / (out_hi - out_lo) * rng.uniform(0.3, 1.5)
        else:
            s_out = s_a * s_b * (a_hi - a_lo) * (b_hi - b_lo) / 4 / (out_hi - out_lo) * rng.uniform(0.3, 1.5)
    t_a = quant_type(a_bits, a_signed, [s_a], [zp_a])
    t_b = quant_type(b_bits, b_signed, [s_b], [zp_b])
    t_out = quant_type(out_bits, out_signed, [s_out], [zp_out], storage=narrowed)
    out_shape = list(np.broadcast_shapes(tuple(shape_a), tuple(shape_b)))
    dims = lambda s: "x".join(map(str, s))
    path = os.path.join(args.workdir, "e%d.mlir" % case)
    with open(path, "w") as f:
        f.write("func.func @e(%%a: tensor<%sx%s>, %%b: tensor<%sx%s>) -> tensor<%sx%s> {\n"
                "  %%y = qa.%s %%a, %%b {rounding = #qa.rounding<%s>} : (tensor<%sx%s>, tensor<%sx%s>) -> tensor<%sx%s>\n"
                "  return %%y : tensor<%sx%s>\n}\n"
                % (dims(shape_a), t_a, dims(shape_b), t_b, dims(out_shape), t_out, kind, mode,
                   dims(shape_a), t_a, dims(shape_b), t_b, dims(out_shape), t_out, dims(out_shape), t_out))
    a = np.array([rng.randint(a_lo, a_hi) for _ in range(int(np.prod(shape_a)))], dtype=np.int64).reshape(shape_a)
    b = np.array([rng.randint(b_lo, b_hi) for _ in range(int(np.prod(shape_b)))], dtype=np.int64).reshape(shape_b)
    np.save(os.path.join(args.workdir, "a%d.npy" % case), a[None])
    np.save(os.path.join(args.workdir, "b%d.npy" % case), b[None])
    out = os.path.join(args.workdir, "y%d.npy" % case)
    run = subprocess.run([args.quant_run, path, "--inputs",
                          os.path.join(args.workdir, "a%d.npy" % case) + "," + os.path.join(args.workdir, "b%d.npy" % case),
                          "--outputs", out], capture_output=True, text=True)
    if run.returncode != 0:
        print("case %d: quant-run failed:\n%s" % (case, run.stderr))
        failures += 1
        continue
    counts[kind] += 1
    got = np.load(out)[0].astype(np.int64)
    if not out_signed:
        got &= (1 << out_bits) - 1
    ab, bb = np.broadcast_arrays(a, b)
    for index in np.ndindex(*out_shape):
        x, y = int(ab[index]) - zp_a, int(bb[index]) - zp_b
        if mode == "half_even":
            if kind == "add":
                v = (np.float32(np.float32(s_a) / np.float32(s_out)) * np.float32(x)
                     + np.float32(np.float32(s_b) / np.float32(s_out)) * np.float32(y))
            else:
                v = np.float32(np.float32(s_a) * np.float32(s_b) / np.float32(s_out)) * np.float32(x * y)
            level = int(np.rint(v))
        elif kind == "add":
            shift = 15 if out_bits == 16 else 20
            twice = 2 * max(s_a, s_b)
            total = rescale(x << shift, s_a / twice, None, mode) + rescale(y << shift, s_b / twice, None, mode)
            level = rescale(total, twice / ((1 << shift) * s_out), None, mode)
        else:
            level = rescale(x * y, s_a * s_b / s_out, None, mode)
        want = min(max(level + zp_out, res_lo), res_hi)
        if got[index] != want:
            failures += 1
            print("case %d (%s %s, a %s, b %s -> %s): %s got %d, want %d"
                  % (case, kind, mode, t_a, t_b, t_out, index, got[index], want))
            break

if min(counts.values()) < args.cases // 4:
    print("too few cases ran: %s" % counts)
    failures += 1
if failures:
    sys.exit(1)
print("elementwise bit-exact: %d add, %d mul" % (counts["add"], counts["mul"]))
