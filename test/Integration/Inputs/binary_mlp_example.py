"""Writes a small random float MLP without ReLU (48 -> 64 -> 32 -> 10), in
the layout of examples/ (float.mlir, samples.npy, test_images.npy), whose
activations change sign: the model network_reference.py runs with binary
activations and binary weights, where the hidden layers' inputs are the
signs of integers (qa.requantize) and the first layer's those of floats
(qa.quantize).
"""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.RandomState(7)
sizes = [48, 64, 32, 10]


def dense(array):
    return "dense<%s>" % np.array2string(array, separator=", ", threshold=1 << 30,
                                         floatmode="unique").replace("\n", "")


lines = ['func.func @mlp(%x: tensor<1x1x48xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x1x10xf32> {',
         '  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>']
value = "%x"
for i, (k, n) in enumerate(zip(sizes, sizes[1:])):
    w = rng.uniform(-1, 1, (1, k, n)).astype(np.float32)
    b = rng.uniform(-2, 2, (1, 1, n)).astype(np.float32)
    lines.append('  %%w%d = "tosa.const"() <{values = %s : tensor<1x%dx%dxf32>}> : () -> tensor<1x%dx%dxf32>'
                 % (i, dense(w), k, n, k, n))
    lines.append('  %%b%d = "tosa.const"() <{values = %s : tensor<1x1x%dxf32>}> : () -> tensor<1x1x%dxf32>'
                 % (i, dense(b), n, n))
    lines.append("  %%m%d = tosa.matmul %s, %%w%d, %%zp, %%zp : (tensor<1x1x%dxf32>, tensor<1x%dx%dxf32>, "
                 "tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x%dxf32>" % (i, value, i, k, k, n, n))
    lines.append("  %%y%d = tosa.add %%m%d, %%b%d : (tensor<1x1x%dxf32>, tensor<1x1x%dxf32>) -> tensor<1x1x%dxf32>"
                 % (i, i, i, n, n, n))
    value = "%%y%d" % i
lines.append("  return %s : tensor<1x1x10xf32>" % value)
lines.append("}")
with open(os.path.join(out, "float.mlir"), "w") as f:
    f.write("\n".join(lines) + "\n")
np.save(os.path.join(out, "samples.npy"), rng.uniform(-1, 1, (64, 1, 1, 48)).astype(np.float32))
np.save(os.path.join(out, "test_images.npy"), rng.uniform(-1, 1, (40, 1, 1, 48)).astype(np.float32))
