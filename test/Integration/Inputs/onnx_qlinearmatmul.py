"""ONNX's own QLinearMatMul test case (Debian libonnx-testdata), compiled
with rounding half_even and run on the host, must reproduce ONNX's expected
output exactly.

The constant operand B becomes the weights of a qa.fully_connected
(transposed to [N, K]); A is the runtime input. Scales are taken as their
exact float32 values.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

parser = argparse.ArgumentParser()
parser.add_argument("--quant-run", required=True)
parser.add_argument("--case", required=True)
parser.add_argument("--workdir", required=True)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)


def load(name):
    tensor = onnx.TensorProto()
    with open(os.path.join(args.case, "test_data_set_0", name), "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp = (load("input_%d.pb" % i) for i in range(8))
expected = load("output_0.pb")
assert a.dtype == np.uint8 and b.dtype == np.uint8 and a.ndim == 2, "2-D uint8 case expected"
m, k = a.shape
n = b.shape[1]


def uniform(scale, zp):
    return "!quant.uniform<u8:f32, %r:%d>" % (float(np.float32(scale.item())), int(zp.item()))


t_a, t_b, t_y = uniform(a_scale, a_zp), uniform(b_scale, b_zp), uniform(y_scale, y_zp)
stored = (b.T.astype(np.int64) + 128) % 256 - 128  # u8 as signless i8
weights = np.array2string(stored, separator=", ", max_line_width=1 << 20)
model = os.path.join(args.workdir, "qlinearmatmul.mlir")
with open(model, "w") as f:
    f.write("func.func @qlinearmatmul(%%a: tensor<%dx%dx%s>) -> tensor<%dx%dx%s> {\n" % (m, k, t_a, m, n, t_y))
    f.write("  %%b = qa.constant dense<%s> : tensor<%dx%dxi8> : tensor<%dx%dx%s>\n" % (weights, n, k, n, k, t_b))
    f.write("  %%y = qa.fully_connected %%a, %%b {rounding = #qa.rounding<half_even>} "
            ": (tensor<%dx%dx%s>, tensor<%dx%dx%s>) -> tensor<%dx%dx%s>\n" % (m, k, t_a, n, k, t_b, m, n, t_y))
    f.write("  return %%y : tensor<%dx%dx%s>\n}\n" % (m, n, t_y))
np.save(os.path.join(args.workdir, "a.npy"), a.astype(np.int64)[None])
subprocess.run([args.quant_run, model, "--inputs", os.path.join(args.workdir, "a.npy"),
                "--outputs", os.path.join(args.workdir, "y.npy")], check=True)
got = np.load(os.path.join(args.workdir, "y.npy"))[0].astype(np.int64) & 0xFF
if not np.array_equal(got, expected.astype(np.int64)):
    print("got\n%s\nexpected\n%s" % (got, expected))
    sys.exit(1)
print("QLinearMatMul %dx%d x %dx%d: equal to ONNX's expected output" % (m, k, k, n))
