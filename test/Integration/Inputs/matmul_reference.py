"""Random qa.matmul (two activations, batched), run by quant-run, against an
integer reference written here, bit for bit: sum_k (a - zp_a)(b - zp_b)
rescaled by s_a s_b / s_out with each #qa.rounding mode (quant_reference;
TFLite's int64 rescale where the sum can leave i32), offset and saturated.
"""
import argparse
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from quant_reference import quant_type, rescale, rescale64, storage_range

parser = argparse.ArgumentParser()
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--cases", type=int, default=30)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(13)

failures = 0
wide_cases = 0
for case in range(args.cases):
    batch = [rng.randint(1, 3) for _ in range(rng.randint(0, 2))]
    M, K, N = rng.randint(1, 4), rng.randint(1, 9), rng.randint(1, 4)
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    types = []
    for _ in range(3):
        bits, signed = rng.choice([8, 8, 16]), rng.random() < 0.5
        lo, hi = storage_range(bits, signed)
        types.append((bits, signed, lo, hi, rng.randint(lo, hi) if bits == 8 else 0))
    (ab, asg, alo, ahi, zpa), (bb, bsg, blo, bhi, zpb), (ob, osg, olo, ohi, zpo) = types
    # The documented rule: i64 where K * max|a - zpa| * max|b - zpb| leaves
    # i32, requantized as TFLite's int64 rescale (no half_even form).
    magnitude = lambda lo, hi, zp: max(abs(lo - zp), abs(hi - zp))
    wide = K * magnitude(alo, ahi, zpa) * magnitude(blo, bhi, zpb) > (1 << 31) - 1
    if wide and mode == "half_even":
        mode = "tflite_double"
    wide_cases += wide
    s_a, s_b = rng.uniform(0.001, 0.1), rng.uniform(0.001, 0.1)
    spread = (ahi - alo) * (bhi - blo) * math.sqrt(K) / 6
    s_out = spread * s_a * s_b / (ohi - olo) * rng.uniform(0.3, 3)
    ta, tb, to = (quant_type(ab, asg, [s_a], [zpa]), quant_type(bb, bsg, [s_b], [zpb]),
                  quant_type(ob, osg, [s_out], [zpo]))
    dims = lambda *d: "x".join(map(str, list(batch) + list(d)))
    path = os.path.join(args.workdir, "m%d.mlir" % case)
    with open(path, "w") as f:
        f.write("func.func @m(%%a: tensor<%sx%s>, %%b: tensor<%sx%s>) -> tensor<%sx%s> {\n"
                "  %%y = qa.matmul %%a, %%b {rounding = #qa.rounding<%s>} : (tensor<%sx%s>, tensor<%sx%s>) -> tensor<%sx%s>\n"
                "  return %%y : tensor<%sx%s>\n}\n"
                % (dims(M, K), ta, dims(K, N), tb, dims(M, N), to, mode,
                   dims(M, K), ta, dims(K, N), tb, dims(M, N), to, dims(M, N), to))
    a = np.array([rng.randint(alo, ahi) for _ in range(int(np.prod(batch + [M, K])))], dtype=np.int64).reshape(batch + [M, K])
    b = np.array([rng.randint(blo, bhi) for _ in range(int(np.prod(batch + [K, N])))], dtype=np.int64).reshape(batch + [K, N])
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
    got = np.load(out)[0].astype(np.int64)
    if not osg:
        got &= (1 << ob) - 1
    acc = np.matmul(a - zpa, b - zpb)
    multiplier = np.float32(np.float32(s_a) * np.float32(s_b)) / np.float32(s_out)
    for index in np.ndindex(*acc.shape):
        level = (rescale64(int(acc[index]), s_a * s_b / s_out) if wide
                 else rescale(int(acc[index]), s_a * s_b / s_out, multiplier, mode))
        want = min(max(level + zpo, olo), ohi)
        if got[index] != want:
            failures += 1
            print("case %d (%s, %s x %s -> %s): %s got %d, want %d" % (case, mode, ta, tb, to, index, got[index], want))
            break
if failures:
    sys.exit(1)
print("%d matmul cases bit-exact, %d with i64 accumulators" % (args.cases, wide_cases))
