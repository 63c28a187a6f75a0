"""ONNX's own QLinearMatMul and QLinearConv test cases (Debian
libonnx-testdata), compiled with rounding half_even and run on the host,
must reproduce ONNX's expected outputs exactly.

QLinearMatMul: the constant operand B becomes the weights of a
qa.fully_connected (transposed to [N, K]). QLinearConv: NCHW/OIHW become
NHWC/OHWI for qa.conv2d. Scales are taken as their exact float32 values.

With `--form qdq` the same case is written as an ONNX QDQ exporter writes
it instead: a float tosa.matmul / tosa.conv2d between quantize/dequantize
pairs, with dequantized constant weights; qa-quantize must fold it into the
quantized layer keeping the given scales (no calibration), and the result
must still equal ONNX's.
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
parser.add_argument("--form", choices=["qlinear", "qdq"], default="qlinear")
parser.add_argument("--quant-opt")
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)


def load(name):
    tensor = onnx.TensorProto()
    with open(os.path.join(args.case, "test_data_set_0", name), "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


inputs = [load("input_%d.pb" % i) for i in range(8)]
expected = load("output_0.pb")


def uniform(scale, zp, axis=None):
    if axis is None:
        return "!quant.uniform<u8:f32, %r:%d>" % (float(np.float32(scale.item())), int(zp.item()))
    body = ", ".join("%r:%d" % (float(np.float32(s)), int(z)) for s, z in zip(scale.ravel(), zp.ravel()))
    return "!quant.uniform<u8:f32:%d, {%s}>" % (axis, body)


def as_i8(array):  # u8 values as the signless i8 literal
    return np.array2string((array.astype(np.int64) + 128) % 256 - 128, separator=", ",
                           max_line_width=1 << 20, threshold=1 << 20)


def run(model_text, x):
    model = os.path.join(args.workdir, "model.mlir")
    with open(model, "w") as f:
        f.write(model_text)
    if args.form == "qdq":
        float_model, model = model, os.path.join(args.workdir, "quantized.mlir")
        subprocess.run([args.quant_opt, float_model, "-o", model, "--qa-quantize=rounding=half_even"], check=True)
        quantized = open(model).read()
        assert "tosa.matmul" not in quantized and "tosa.conv2d" not in quantized, quantized
        np.save(os.path.join(args.workdir, "x.npy"), x[None])
    else:
        np.save(os.path.join(args.workdir, "x.npy"), x.astype(np.int64)[None])
    subprocess.run([args.quant_run, model, "--inputs", os.path.join(args.workdir, "x.npy"),
                    "--outputs", os.path.join(args.workdir, "y.npy")], check=True)
    y = np.load(os.path.join(args.workdir, "y.npy"))
    assert y.dtype == np.uint8, "quant-run writes u8 results as uint8"
    return y[0].astype(np.int64)


def dequantized(q, scale, zp):
    """The float input whose quantization is q: (q - zp) * scale in float32."""
    return (q.astype(np.float32) - np.float32(zp.item())) * np.float32(scale.item())


def qdq_model(op, x_shape, t_x, w_shape, w_literal, t_w, y_shape, t_y):
    """A float `op` (%dx, %dw -> %y, given its operand and result types)
    between QDQ pairs, returning the
    quantized result as a QDQ exporter's graph would feed the next node."""
    return ("func.func @qdq(%%x: tensor<%sxf32>) -> tensor<%sx%s> {\n"
            "  %%qx = qa.quantize %%x {rounding = #qa.rounding<half_even>} : tensor<%sxf32> -> tensor<%sx%s>\n"
            "  %%dx = qa.dequantize %%qx : tensor<%sx%s> -> tensor<%sxf32>\n"
            "  %%w = qa.constant dense<%s> : tensor<%sxi8> : tensor<%sx%s>\n"
            "  %%dw = qa.dequantize %%w : tensor<%sx%s> -> tensor<%sxf32>\n"
            "  %%zp = \"tosa.const\"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>\n"
            "  " % (x_shape, y_shape, t_y, x_shape, x_shape, t_x, x_shape, t_x, x_shape,
                    w_literal, w_shape, w_shape, t_w, w_shape, t_w, w_shape)
            + op("tensor<%sxf32>" % x_shape, "tensor<%sxf32>" % w_shape, "tensor<%sxf32>" % y_shape) + "\n"
            "  %%qy = qa.quantize %%y {rounding = #qa.rounding<half_even>} : tensor<%sxf32> -> tensor<%sx%s>\n"
            "  return %%qy : tensor<%sx%s>\n}\n" % (y_shape, y_shape, t_y, y_shape, t_y))


if "qlinearmatmul" in args.case:
    a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp = inputs
    assert a.dtype == np.uint8 and b.dtype == np.uint8 and a.ndim == 2, "2-D uint8 case expected"
    (m, k), n = a.shape, b.shape[1]
    t_a, t_b, t_y = uniform(a_scale, a_zp), uniform(b_scale, b_zp), uniform(y_scale, y_zp)
    if args.form == "qdq":
        matmul = "%%y = tosa.matmul %%dx, %%dw, %%zp, %%zp : (%s, %s, tensor<1xf32>, tensor<1xf32>) -> %s"
        got = run(qdq_model(lambda tx, tw, ty: matmul % (tx, tw, ty),
                            "1x%dx%d" % (m, k), t_a, "1x%dx%d" % (k, n), as_i8(b[None]), t_b,
                            "1x%dx%d" % (m, n), t_y), dequantized(a, a_scale, a_zp)[None])[0]
    else:
        got = run("func.func @qlinearmatmul(%%a: tensor<%dx%dx%s>) -> tensor<%dx%dx%s> {\n"
              "  %%b = qa.constant dense<%s> : tensor<%dx%dxi8> : tensor<%dx%dx%s>\n"
              "  %%y = qa.fully_connected %%a, %%b {rounding = #qa.rounding<half_even>} "
              ": (tensor<%dx%dx%s>, tensor<%dx%dx%s>) -> tensor<%dx%dx%s>\n"
              "  return %%y : tensor<%dx%dx%s>\n}\n"
              % (m, k, t_a, m, n, t_y, as_i8(b.T), n, k, n, k, t_b,
                 m, k, t_a, n, k, t_b, m, n, t_y, m, n, t_y), a)
    description = "QLinearMatMul %dx%d x %dx%d" % (m, k, k, n)
else:
    x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp = inputs
    assert x.dtype == np.uint8 and w.dtype == np.uint8 and x.shape[0] == 1
    nchw_to_nhwc = (0, 2, 3, 1)
    xh = x.transpose(nchw_to_nhwc)
    wh = w.transpose(nchw_to_nhwc)  # OIHW -> OHWI
    _, h, wd, c = xh.shape
    o, kh, kw, _ = wh.shape
    oh, ow = h - kh + 1, wd - kw + 1
    t_x, t_y = uniform(x_scale, x_zp), uniform(y_scale, y_zp)
    t_w = uniform(w_scale, w_zp, axis=0)
    tx, tw, ty = ("tensor<1x%dx%dx%dx%s>" % (h, wd, c, t_x), "tensor<%dx%dx%dx%dx%s>" % (o, kh, kw, c, t_w),
                  "tensor<1x%dx%dx%dx%s>" % (oh, ow, o, t_y))
    if args.form == "qdq":
        conv = ("%%bias = \"tosa.const\"() <{values = dense<0.0> : tensor<%dxf32>}> : () -> tensor<%dxf32>\n"
                "  %%y = tosa.conv2d %%dx, %%dw, %%bias, %%zp, %%zp {acc_type = f32, dilation = array<i64: 1, 1>, "
                "pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} "
                ": (%s, %s, tensor<%dxf32>, tensor<1xf32>, tensor<1xf32>) -> %s")
        got = run(qdq_model(lambda tx, tw, ty: conv % (o, o, tx, tw, o, ty),
                            "1x%dx%dx%d" % (h, wd, c), t_x, "%dx%dx%dx%d" % (o, kh, kw, c), as_i8(wh), t_w,
                            "1x%dx%dx%d" % (oh, ow, o), t_y), dequantized(xh, x_scale, x_zp))
    else:
        got = run("func.func @qlinearconv(%%x: %s) -> %s {\n"
              "  %%w = qa.constant dense<%s> : tensor<%dx%dx%dx%dxi8> : %s\n"
              "  %%y = qa.conv2d %%x, %%w {rounding = #qa.rounding<half_even>} : (%s, %s) -> %s\n"
              "  return %%y : %s\n}\n" % (tx, ty, as_i8(wh), o, kh, kw, c, tw, tx, tw, ty, ty), xh)
    got = got.transpose(0, 3, 1, 2)  # back to NCHW
    description = "QLinearConv %s" % "x".join(map(str, x.shape))

if not np.array_equal(got, expected.astype(np.int64)):
    print("got\n%s\nexpected\n%s" % (got, expected))
    sys.exit(1)
print("%s%s: equal to ONNX's expected output" % (description, " as QDQ" if args.form == "qdq" else ""))
