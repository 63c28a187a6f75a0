"""Writes a small random float model without ReLU, in the layout of
examples/ (float.mlir, samples.npy, test_images.npy), whose activations
change sign: the model network_reference.py runs with binary activations and
binary weights, where the later layers' inputs are the signs of integers
(qa.requantize) and the first layer's those of floats (qa.quantize).

Usage: binary_mlp_example.py DIR [conv | wide]
  an MLP 48 -> 64 -> 32 -> 10, or with `conv` two unpadded 3x3
  convolutions (6x6x2 -> 4x4x4 -> 2x2x4), a reshape and a 16 -> 10 layer,
  or with `wide` an MLP 200 -> 136 -> 10 (rows of 200 and 136 bits: more
  than one 128-bit vector register, with a tail).
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


variant = sys.argv[2] if len(sys.argv) > 2 else ""
convolutional = variant == "conv"
if variant == "wide":
    sizes = [200, 136, 10]
input_shape = [1, 6, 6, 2] if convolutional else [1, 1, sizes[0]]
input_type = "tensor<%sxf32>" % "x".join(map(str, input_shape))
lines = ['func.func @model(%%x: %s {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x1x10xf32> {' % input_type,
         '  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>']
value = "%x"
if convolutional:
    for i, (size, cin, cout) in enumerate([(6, 2, 4), (4, 4, 4)]):
        w = rng.uniform(-1, 1, (cout, 3, 3, cin)).astype(np.float32)
        b = rng.uniform(-2, 2, (cout,)).astype(np.float32)
        lines.append('  %%f%d = "tosa.const"() <{values = %s : tensor<%dx3x3x%dxf32>}> : () -> tensor<%dx3x3x%dxf32>'
                     % (i, dense(w), cout, cin, cout, cin))
        lines.append('  %%c%d = "tosa.const"() <{values = %s : tensor<%dxf32>}> : () -> tensor<%dxf32>'
                     % (i, dense(b), cout, cout))
        lines.append("  %%v%d = tosa.conv2d %s, %%f%d, %%c%d, %%zp, %%zp {acc_type = f32, dilation = array<i64: 1, 1>, "
                     "pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x%dx%dx%dxf32>, "
                     "tensor<%dx3x3x%dxf32>, tensor<%dxf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x%dx%dx%dxf32>"
                     % (i, value, i, i, size, size, cin, cout, cin, cout, size - 2, size - 2, cout))
        value = "%%v%d" % i
    lines.append('  %shape = tosa.const_shape {values = dense<[1, 1, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>')
    lines.append("  %%flat = tosa.reshape %s, %%shape : (tensor<1x2x2x4xf32>, !tosa.shape<3>) -> tensor<1x1x16xf32>" % value)
    value = "%flat"
    sizes = [16, 10]
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
np.save(os.path.join(out, "samples.npy"), rng.uniform(-1, 1, [64] + input_shape).astype(np.float32))
np.save(os.path.join(out, "test_images.npy"), rng.uniform(-1, 1, [40] + input_shape).astype(np.float32))
