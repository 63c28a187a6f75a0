"""tosa.sigmoid, tosa.tanh and hard-swish (x * clamp(x + 3, 0, 6) * (1/6) in
tosa ops) quantized by qa-quantize into qa.table and run
by quant-run, against a reference written here: quantize the float input
(float32 division, rounding of the mode), look the function up at the real
value of each stored input, quantize that to the result type the compiler
chose (rounding of the mode, saturated), dequantize in float32. Bit for bit,
over random input ranges and every rounding mode.
"""
import argparse
import math
import os
import random
import re
import subprocess
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--quant-opt", required=True)
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--cases", type=int, default=18)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(3)
SIXTH = float(np.float32(1 / 6))  # the model's float32 constant
functions = {"sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)), "tanh": math.tanh,
             "hardswish": lambda x: x * min(max(x + 3.0, 0.0), 6.0) * SIXTH}


def round_mode(v, mode):
    if mode == "half_even":
        return int(np.rint(v))
    return math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1)


def per_tensor(text):
    m = re.search(r"!quant\.uniform<i8(?:<(-?\d+):(-?\d+)>)?:f32, ([0-9.eE+-]+)(?::(-?\d+))?>", text)
    lo, hi = (int(m.group(1)), int(m.group(2))) if m.group(1) else (-128, 127)
    return float(m.group(3)), int(m.group(4) or 0), lo, hi


failures = 0
for case in range(args.cases):
    name = ["sigmoid", "tanh", "hardswish"][case % 3]
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    lo = -rng.uniform(0.5, 8)
    hi = rng.uniform(0.5, 8)
    model = os.path.join(args.workdir, "f%d.mlir" % case)
    t = "tensor<1x64xf32>"
    if name == "hardswish":
        f_lo, f_hi = functions[name](lo), functions[name](hi)
        out_range = (min(f_lo, f_hi, -0.375 if lo <= -1.5 <= hi else f_lo), max(f_lo, f_hi))
        body = ("  %%three = \"tosa.const\"() <{values = dense<3.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>\n"
                "  %%sixth = \"tosa.const\"() <{values = dense<%r> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>\n"
                "  %%shift = \"tosa.const\"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>\n"
                "  %%a = tosa.add %%x, %%three : (%s, tensor<1x1xf32>) -> %s\n"
                "  %%r = tosa.clamp %%a {min_val = 0.0 : f32, max_val = 6.0 : f32} : (%s) -> %s\n"
                "  %%m = tosa.mul %%x, %%r, %%shift : (%s, %s, tensor<1xi8>) -> %s\n"
                "  %%y = tosa.mul %%m, %%sixth, %%shift {qa.range = #qa.range<%r, %r>} : (%s, tensor<1x1xf32>, tensor<1xi8>) -> %s\n"
                % (SIXTH, t, t, t, t, t, t, t, *out_range, t, t))
    else:
        out_range = (0.0, 1.0) if name == "sigmoid" else (-1.0, 1.0)
        body = "  %%y = tosa.%s %%x {qa.range = #qa.range<%r, %r>} : (%s) -> %s\n" % (name, *out_range, t, t)
    with open(model, "w") as f:
        f.write("func.func @f(%%x: %s {qa.range = #qa.range<%r, %r>}) -> %s {\n%s  return %%y : %s\n}\n"
                % (t, lo, hi, t, body, t))
    quantized = os.path.join(args.workdir, "q%d.mlir" % case)
    subprocess.run([args.quant_opt, model, "-o", quantized, "--qa-quantize=rounding=%s" % mode], check=True)
    text = open(quantized).read()
    if "qa.table" not in text or "tosa." in text:
        print("case %d: not a table:\n%s" % (case, text))
        failures += 1
        continue
    s_in, zp_in, in_lo, in_hi = per_tensor(re.search(r"qa\.quantize .*", text).group(0).split("->")[1])
    s_out, zp_out, out_lo, out_hi = per_tensor(re.search(r"qa\.dequantize .*", text).group(0).split("->")[0])
    # Inputs across and beyond the range, and exactly on stored levels.
    x = np.concatenate([np.linspace(lo * 1.2, hi * 1.2, 48),
                        (np.array(rng.sample(range(-128, 128), 16)) - zp_in) * s_in]).astype(np.float32)
    np.save(os.path.join(args.workdir, "x%d.npy" % case), x.reshape(1, 1, 64))
    out = os.path.join(args.workdir, "y%d.npy" % case)
    subprocess.run([args.quant_run, quantized, "--inputs", os.path.join(args.workdir, "x%d.npy" % case),
                    "--outputs", out], check=True)
    got = np.load(out).reshape(-1)
    for i, v in enumerate(x):
        q = min(max(round_mode(float(np.float32(v) / np.float32(s_in)), mode) + zp_in, in_lo), in_hi)
        y = functions[name](s_in * (q - zp_in)) / s_out
        stored = min(max(round_mode(y, mode) + zp_out, out_lo), out_hi)
        want = np.float32(stored - zp_out) * np.float32(s_out)
        if got[i].view(np.uint32) != want.view(np.uint32):
            failures += 1
            print("case %d (%s, %s, range [%g, %g]): x = %r got %r, want %r" % (case, name, mode, lo, hi, v, got[i], want))
            break
if failures:
    sys.exit(1)
print("%d table cases bit-exact" % args.cases)
