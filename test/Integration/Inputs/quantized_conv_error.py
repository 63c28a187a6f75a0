"""A float conv2d + ReLU layer through the whole flow (qa-calibrate,
qa-quantize, integer lowering, host run) against the float layer run the
same way. Each int8 output may differ from the float one by at most the
error quantization can introduce there, derived per element (no tuned
tolerance):

  |y_q - y_f| <= sum_k (|w_k| d_in + |x_k| d_w + d_in d_w) + d_b + s_out

with d_in = s_in / 2 and d_w = s_w[c] / 2 the input and weight rounding
errors, d_b = s_in s_w[c] / 2 the bias rounding, and s_out for the output
rounding (the two roundings of tflite_double stay within one step). Inputs
inside the calibrated range are not clipped, so the bound holds.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--quant-opt", required=True)
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = np.random.default_rng(11)

H = W = 6
C, O, K = 2, 3, 3
w = rng.normal(0, 0.5, size=(O, K, K, C)).astype(np.float32)
b = rng.normal(0, 0.2, size=(O,)).astype(np.float32)
x = rng.random((32, 1, H, W, C), dtype=np.float32)  # the inputs, all in [0, 1]


def literal(a):
    return np.array2string(a, separator=", ", threshold=sys.maxsize, max_line_width=1 << 20,
                           formatter={"float_kind": lambda v: repr(float(v))})


model = os.path.join(args.workdir, "conv.mlir")
with open(model, "w") as f:
    f.write('''func.func @conv(%%x: tensor<1x%dx%dx%dxf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x%dx%dx%dxf32> {
  %%w = "tosa.const"() <{values = dense<%s> : tensor<%dx%dx%dx%dxf32>}> : () -> tensor<%dx%dx%dx%dxf32>
  %%b = "tosa.const"() <{values = dense<%s> : tensor<%dxf32>}> : () -> tensor<%dxf32>
  %%zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %%c = tosa.conv2d %%x, %%w, %%b, %%zp, %%zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
      : (tensor<1x%dx%dx%dxf32>, tensor<%dx%dx%dx%dxf32>, tensor<%dxf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x%dx%dx%dxf32>
  %%r = tosa.clamp %%c {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x%dx%dx%dxf32>) -> tensor<1x%dx%dx%dxf32>
  return %%r : tensor<1x%dx%dx%dxf32>
}
''' % ((H, W, C, H, W, O, literal(w)) + (O, K, K, C) * 2 + (literal(b), O, O) + (H, W, C, O, K, K, C, O, H, W, O)
       + (H, W, O) * 3))
np.save(os.path.join(args.workdir, "x.npy"), x)
int8 = os.path.join(args.workdir, "int8.mlir")
subprocess.run([args.quant_opt, model, "-o", int8, "--qa-calibrate=samples=" + os.path.join(args.workdir, "x.npy"),
                "--qa-quantize"], check=True)
for name, path in (("float", model), ("int8", int8)):
    subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "x.npy"),
                    "--outputs", os.path.join(args.workdir, name + ".npy")], check=True)
y_f = np.load(os.path.join(args.workdir, "float.npy"))[:, 0]
y_q = np.load(os.path.join(args.workdir, "int8.npy"))[:, 0]

# The scales the compiler chose, read from the quantized IR.
text = open(int8).read()
s_in = float(re.search(r"qa.quantize %arg0 : .*?!quant.uniform<i8:f32, ([^:>]+):", text).group(1))
s_w = [float(v) for v in re.search(r"i8<-127:127>:f32:0, \{([^}]*)\}", text).group(1).split(",")]
s_out = float(re.search(r"qa.conv2d .*-> tensor<1x\d+x\d+x\d+x!quant.uniform<i8[^:]*:f32, ([^:>]+):", text).group(1))

padded = np.pad(x[:, 0].astype(np.float64), ((0, 0), (1, 1), (1, 1), (0, 0)))
worst = 0.0
for n in range(x.shape[0]):
    for i in range(H):
        for j in range(W):
            window = padded[n, i:i + K, j:j + K, :]
            for o in range(O):
                d_in, d_w = s_in / 2, s_w[o] / 2
                bound = (np.sum(np.abs(w[o]) * d_in + window * d_w + d_in * d_w)
                         + s_in * s_w[o] / 2 + s_out)
                error = abs(float(y_q[n, i, j, o]) - float(y_f[n, i, j, o]))
                worst = max(worst, error / bound)
                if error > bound:
                    print("sample %d [%d, %d, %d]: int8 %.6f, float %.6f, error %.6f > bound %.6f"
                          % (n, i, j, o, y_q[n, i, j, o], y_f[n, i, j, o], error, bound))
                    sys.exit(1)
print("int8 conv within the quantization error bound everywhere (worst %.0f%% of it)" % (100 * worst))
