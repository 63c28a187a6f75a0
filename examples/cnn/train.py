#!/usr/bin/python3
"""Trains the example CNN on scikit-learn's digits and writes it as MLIR.

A small convolutional network on 8x8 digit images (NHWC, one channel, pixels
scaled to [0, 1]):

  conv 3x3, 8 channels, padding 1 -> ReLU -> max pool 2x2/2   [1, 4, 4, 8]
  conv 3x3, 16 channels, padding 1 -> ReLU -> max pool 2x2/2  [1, 2, 2, 16]
  reshape to [1, 1, 64] (row-major NHWC) -> matmul 64x10 + bias -> logits

trained with minibatch Adam in numpy (im2col convolutions, manual backprop,
softmax cross-entropy) from a fixed seed, so the output is the same on every
run. Uses the same train/test split as examples/mlp/train.py. Writes:

  float.mlir         the float model in TOSA, input range [0, 1] as #qa.range
  samples.npy        256 training images for calibration, [256, 1, 8, 8, 1] float32
  sample_labels.npy  their labels, int64 (for precision assignment)
  test_images.npy    the 360 held-out images, [360, 1, 8, 8, 1] float32
  test_labels.npy    their labels, int64

Run: /usr/bin/python3 examples/cnn/train.py [output-dir]
"""

import os
import sys
import time

import numpy as np
from sklearn.datasets import load_digits

C1 = 8
C2 = 16
EPOCHS = 60
BATCH = 32
SEED = 0


def load_split():
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(SEED).permutation(len(x))
    test = order[:360]
    train = order[360:]
    # Rows of 64 pixels are row-major 8x8 images: NHWC with one channel.
    x = x.reshape(-1, 8, 8, 1)
    return x[train], y[train], x[test], y[test]


# --- Layers (NHWC, float32) -------------------------------------------------


def im2col(x):
    """[N, H, W, C] -> [N, H, W, 3, 3, C] patches of a 3x3, padding 1 window,
    ordered like OHWI weights' (KH, KW, I)."""
    n, h, w, c = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    cols = np.empty((n, h, w, 3, 3, c), x.dtype)
    for kh in range(3):
        for kw in range(3):
            cols[:, :, :, kh, kw, :] = xp[:, kh:kh + h, kw:kw + w, :]
    return cols


def col2im(dcols):
    """The adjoint of im2col: [N, H, W, 3, 3, C] -> [N, H, W, C]."""
    n, h, w, _, _, c = dcols.shape
    dxp = np.zeros((n, h + 2, w + 2, c), dcols.dtype)
    for kh in range(3):
        for kw in range(3):
            dxp[:, kh:kh + h, kw:kw + w, :] += dcols[:, :, :, kh, kw, :]
    return dxp[:, 1:-1, 1:-1, :]


def conv(x, weight, bias):
    """3x3 convolution, stride 1, padding 1, OHWI weights; returns the
    output and the im2col patches."""
    n, h, w, c = x.shape
    cols = im2col(x).reshape(n * h * w, 9 * c)
    out = cols @ weight.reshape(len(weight), -1).T + bias
    return out.reshape(n, h, w, len(weight)), cols


def pool(x):
    """2x2 max pool, stride 2; returns the output and the argmax per window."""
    n, h, w, c = x.shape
    windows = (x.reshape(n, h // 2, 2, w // 2, 2, c)
               .transpose(0, 1, 3, 5, 2, 4).reshape(n, h // 2, w // 2, c, 4))
    index = windows.argmax(axis=-1)
    return np.take_along_axis(windows, index[..., None], -1)[..., 0], index


def unpool(dout, index):
    n, h, w, c = dout.shape
    dwindows = np.zeros((n, h, w, c, 4), dout.dtype)
    np.put_along_axis(dwindows, index[..., None], dout[..., None], -1)
    return (dwindows.reshape(n, h, w, c, 2, 2).transpose(0, 1, 4, 2, 5, 3)
            .reshape(n, 2 * h, 2 * w, c))


def forward(params, x):
    """The float32 forward pass, in the order of the TOSA ops; returns the
    logits [N, 10] and what backprop needs."""
    w1, b1, w2, b2, w3, b3 = params
    z1, cols1 = conv(x, w1, b1)
    a1 = np.maximum(z1, 0.0)
    p1, i1 = pool(a1)
    z2, cols2 = conv(p1, w2, b2)
    a2 = np.maximum(z2, 0.0)
    p2, i2 = pool(a2)
    flat = p2.reshape(len(x), -1)  # row-major NHWC, as tosa.reshape
    logits = flat @ w3 + b3
    return logits, (cols1, z1, p1, i1, cols2, z2, p2, i2, flat)


def backward(params, x, y_onehot):
    w1, b1, w2, b2, w3, b3 = params
    logits, (cols1, z1, p1, i1, cols2, z2, p2, i2, flat) = forward(params, x)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    n = len(x)
    dlogits = (probs - y_onehot) / n
    dw3 = flat.T @ dlogits
    db3 = dlogits.sum(0)
    dp2 = (dlogits @ w3.T).reshape(p2.shape)
    dz2 = unpool(dp2, i2) * (z2 > 0)
    dz2m = dz2.reshape(-1, C2)
    dw2 = (dz2m.T @ cols2).reshape(w2.shape)
    db2 = dz2m.sum(0)
    dcols2 = (dz2m @ w2.reshape(C2, -1)).reshape(n, 4, 4, 3, 3, C1)
    dp1 = col2im(dcols2)
    dz1 = unpool(dp1, i1) * (z1 > 0)
    dz1m = dz1.reshape(-1, C1)
    dw1 = (dz1m.T @ cols1).reshape(w1.shape)
    db1 = dz1m.sum(0)
    return [dw1, db1, dw2, db2, dw3, db3]


def train(x, y):
    rng = np.random.RandomState(SEED)
    params = [
        (rng.randn(C1, 3, 3, 1) * np.sqrt(2.0 / 9)).astype(np.float32),
        np.zeros(C1, np.float32),
        (rng.randn(C2, 3, 3, C1) * np.sqrt(2.0 / (9 * C1))).astype(np.float32),
        np.zeros(C2, np.float32),
        (rng.randn(4 * C2, 10) * np.sqrt(1.0 / (4 * C2))).astype(np.float32),
        np.zeros(10, np.float32),
    ]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    onehot = np.eye(10, dtype=np.float32)[y]
    beta1, beta2 = 0.9, 0.999
    step = 0
    for epoch in range(EPOCHS):
        # Cosine decay from 0.01 to 0.0005 over the epochs.
        rate = 0.0005 + 0.5 * (0.01 - 0.0005) * (1 + np.cos(np.pi * epoch / EPOCHS))
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            batch = order[start:start + BATCH]
            grads = backward(params, x[batch], onehot[batch])
            step += 1
            for i, (param, grad) in enumerate(zip(params, grads)):
                m, v = moments[i]
                m[:] = beta1 * m + (1 - beta1) * grad
                v[:] = beta2 * v + (1 - beta2) * grad * grad
                mhat = m / (1 - beta1**step)
                vhat = v / (1 - beta2**step)
                param -= (rate * mhat / (np.sqrt(vhat) + 1e-8)).astype(np.float32)
    return params


def accuracy(params, x, y):
    return float((forward(params, x)[0].argmax(axis=1) == y).mean())


# --- MLIR text -------------------------------------------------------------


def dense(values):
    """A dense literal: nested lists of exactly printed float32."""
    text = np.array2string(values, separator=", ", threshold=sys.maxsize,
                           max_line_width=100,
                           formatter={"float_kind": lambda v: repr(float(v))})
    # numpy separates the blocks of rank 3 and up with blank lines; drop them.
    text = "\n".join(line for line in text.splitlines() if line.strip())
    return "dense<" + text + ">"


def tensor(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def float_model(params):
    w1, b1, w2, b2, w3, b3 = params

    def const(name, array):
        t = tensor(array.shape)
        return (f'  %{name} = "tosa.const"() <{{values = {dense(array)} : '
                f'{t}}}> : () -> {t}\n')

    def conv2d(result, x, w, b, x_shape, w_shape, out_shape):
        return (
            f"  %{result} = tosa.conv2d %{x}, %{w}, %{b}, %zp, %zp {{acc_type = f32, "
            "dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, "
            "stride = array<i64: 1, 1>}\n"
            f"      : ({tensor(x_shape)}, {tensor(w_shape)}, {tensor([w_shape[0]])}, "
            f"tensor<1xf32>, tensor<1xf32>) -> {tensor(out_shape)}\n")

    def relu(result, x, shape):
        t = tensor(shape)
        return (f"  %{result} = tosa.clamp %{x} {{min_val = 0.0 : f32, "
                f"max_val = 3.40282347E+38 : f32}} : ({t}) -> {t}\n")

    def max_pool(result, x, shape, out_shape):
        return (f"  %{result} = tosa.max_pool2d %{x} {{kernel = array<i64: 2, 2>, "
                "pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}\n"
                f"      : ({tensor(shape)}) -> {tensor(out_shape)}\n")

    return (
        "// Generated by examples/cnn/train.py: a small CNN (two 3x3 convolutions\n"
        "// with ReLU and 2x2 max pooling, then a 64x10 matmul) trained on\n"
        "// scikit-learn's digits (pixels scaled to [0, 1]). Do not edit.\n"
        "func.func @cnn(%image: tensor<1x8x8x1xf32> {qa.range = #qa.range<0.0, 1.0, proven>})\n"
        "    -> tensor<1x1x10xf32> {\n"
        + const("w1", w1) + const("b1", b1)
        + const("w2", w2) + const("b2", b2)
        + const("w3", w3[None]) + const("b3", b3[None, None])
        + '  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>\n'
        "  %shape = tosa.const_shape {values = dense<[1, 1, 64]> : tensor<3xindex>} : () -> !tosa.shape<3>\n"
        + conv2d("0", "image", "w1", "b1", [1, 8, 8, 1], w1.shape, [1, 8, 8, C1])
        + relu("1", "0", [1, 8, 8, C1])
        + max_pool("2", "1", [1, 8, 8, C1], [1, 4, 4, C1])
        + conv2d("3", "2", "w2", "b2", [1, 4, 4, C1], w2.shape, [1, 4, 4, C2])
        + relu("4", "3", [1, 4, 4, C2])
        + max_pool("5", "4", [1, 4, 4, C2], [1, 2, 2, C2])
        + f"  %6 = tosa.reshape %5, %shape : ({tensor([1, 2, 2, C2])}, !tosa.shape<3>) -> tensor<1x1x64xf32>\n"
        "  %7 = tosa.matmul %6, %w3, %zp, %zp : (tensor<1x1x64xf32>, tensor<1x64x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x10xf32>\n"
        "  %logits = tosa.add %7, %b3 : (tensor<1x1x10xf32>, tensor<1x1x10xf32>) -> tensor<1x1x10xf32>\n"
        "  return %logits : tensor<1x1x10xf32>\n"
        "}\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    x_train, y_train, x_test, y_test = load_split()
    start = time.time()
    params = train(x_train, y_train)
    print(f"trained in {time.time() - start:.1f} s")
    print(f"float accuracy: train {accuracy(params, x_train, y_train):.4f}, "
          f"test {accuracy(params, x_test, y_test):.4f} ({len(x_test)} images)")
    with open(os.path.join(out, "float.mlir"), "w") as f:
        f.write(float_model(params))
    np.save(os.path.join(out, "samples.npy"), x_train[:256].reshape(256, 1, 8, 8, 1))
    np.save(os.path.join(out, "sample_labels.npy"), y_train[:256])
    np.save(os.path.join(out, "test_images.npy"), x_test.reshape(-1, 1, 8, 8, 1))
    np.save(os.path.join(out, "test_labels.npy"), y_test)


if __name__ == "__main__":
    main()
