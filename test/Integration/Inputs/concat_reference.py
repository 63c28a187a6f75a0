"""Random qa.concat, run by quant-run, against a reference written here, bit
for bit: operands whose type is the result's are copied; the others are
requantized (s_in / s_out with each #qa.rounding mode, as qa.requantize),
offset and saturated to the result's storage range.
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
rng = random.Random(17)


def random_type():
    bits, signed = rng.choice([8, 8, 16]), rng.random() < 0.5
    lo, hi = storage_range(bits, signed)
    return bits, signed, rng.uniform(0.01, 0.1), rng.randint(lo, hi)


failures = copies = 0
for case in range(args.cases):
    rank = rng.randint(1, 3)
    axis = rng.randint(0, rank - 1)
    shape = [rng.randint(1, 3) for _ in range(rank)]
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    out = random_type()
    count = rng.randint(2, 3)
    ins = [out if rng.random() < 0.3 else random_type() for _ in range(count)]
    copies += sum(t == out for t in ins)
    shapes = [shape[:axis] + [rng.randint(1, 3)] + shape[axis + 1:] for _ in range(count)]
    out_shape = shape[:axis] + [sum(s[axis] for s in shapes)] + shape[axis + 1:]
    qt = lambda t: quant_type(t[0], t[1], [t[2]], [t[3]])
    dims = lambda s: "x".join(map(str, s))
    tensors = ["tensor<%sx%s>" % (dims(s), qt(t)) for s, t in zip(shapes, ins)]
    t_out = "tensor<%sx%s>" % (dims(out_shape), qt(out))
    path = os.path.join(args.workdir, "c%d.mlir" % case)
    with open(path, "w") as f:
        f.write("func.func @c(%s) -> %s {\n" % (", ".join("%%x%d: %s" % (i, t) for i, t in enumerate(tensors)), t_out)
                + "  %%y = qa.concat %s {axis = %d : i64, rounding = #qa.rounding<%s>} : (%s) -> %s\n"
                % (", ".join("%%x%d" % i for i in range(count)), axis, mode, ", ".join(tensors), t_out)
                + "  return %%y : %s\n}\n" % t_out)
    values, files = [], []
    for i, (s, t) in enumerate(zip(shapes, ins)):
        lo, hi = storage_range(t[0], t[1])
        v = np.array([rng.randint(lo, hi) for _ in range(int(np.prod(s)))], dtype=np.int64).reshape(s)
        values.append(v)
        files.append(os.path.join(args.workdir, "x%d_%d.npy" % (case, i)))
        np.save(files[-1], v[None])
    result = os.path.join(args.workdir, "y%d.npy" % case)
    run = subprocess.run([args.quant_run, path, "--inputs", ",".join(files), "--outputs", result],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print("case %d: quant-run failed:\n%s" % (case, run.stderr))
        failures += 1
        continue
    got = np.load(result)[0].astype(np.int64)
    if not out[1]:
        got &= (1 << out[0]) - 1
    o_lo, o_hi = storage_range(out[0], out[1])
    parts = []
    for v, t in zip(values, ins):
        if t == out:
            parts.append(v)
            continue
        multiplier = np.float32(t[2]) / np.float32(out[2])
        parts.append(np.vectorize(lambda q: min(max(rescale(int(q) - t[3], t[2] / out[2], multiplier, mode)
                                                    + out[3], o_lo), o_hi))(v))
    want = np.concatenate(parts, axis=axis)
    if not np.array_equal(got, want):
        failures += 1
        print("case %d (%s, axis %d): got %s, want %s" % (case, mode, axis, got.tolist(), want.tolist()))
if copies == 0:
    print("no operand had the result's type")
    failures += 1
if failures:
    sys.exit(1)
print("%d concat cases bit-exact" % args.cases)
