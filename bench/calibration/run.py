#!/usr/bin/python3
"""Benchmark: calibration of a 3-layer MLP (784-256-128-10, TOSA) over 1000
samples with `quant-opt --qa-calibrate`, next to a numpy float32 forward
pass of the same model over the same samples, in one run.

Usage: bench/calibration/run.py [--quant-opt build/bin/quant-opt] [--repeat 3]
Prints the best of --repeat wall-clock times for each method and the ratio
to numpy. The goal for calibration is under 2 s on the 2-core CI machine.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

SIZES = [784, 256, 128, 10]
SAMPLES = 1000


def write_model(path, weights, biases):
    def dense(array):
        return "dense<" + np.array2string(
            array, separator=", ", threshold=sys.maxsize, max_line_width=1 << 30,
            formatter={"float_kind": lambda v: repr(float(v))}) + ">"

    lines = ["func.func @mlp(%x: tensor<1x1x784xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x1x10xf32> {",
             '  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>']
    value = "%x"
    for layer, (w, b) in enumerate(zip(weights, biases)):
        k, n = w.shape
        lines += [
            f'  %w{layer} = "tosa.const"() <{{values = {dense(w[None])} : tensor<1x{k}x{n}xf32>}}> : () -> tensor<1x{k}x{n}xf32>',
            f'  %b{layer} = "tosa.const"() <{{values = {dense(b[None, None])} : tensor<1x1x{n}xf32>}}> : () -> tensor<1x1x{n}xf32>',
            f"  %m{layer} = tosa.matmul {value}, %w{layer}, %zp, %zp : (tensor<1x1x{k}xf32>, tensor<1x{k}x{n}xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x{n}xf32>",
            f"  %a{layer} = tosa.add %m{layer}, %b{layer} : (tensor<1x1x{n}xf32>, tensor<1x1x{n}xf32>) -> tensor<1x1x{n}xf32>",
        ]
        value = f"%a{layer}"
        if layer + 1 < len(weights):
            lines.append(f"  %r{layer} = tosa.clamp %a{layer} {{min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32}} : (tensor<1x1x{n}xf32>) -> tensor<1x1x{n}xf32>")
            value = f"%r{layer}"
    lines += [f"  return {value} : tensor<1x1x10xf32>", "}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def best_of(repeat, fn):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--quant-opt", default=os.path.join(root, "build", "bin", "quant-opt"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    weights = [(rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
               for k, n in zip(SIZES, SIZES[1:])]
    biases = [(rng.standard_normal(n) * 0.1).astype(np.float32) for n in SIZES[1:]]
    samples = rng.random((SAMPLES, 1, 1, 784), dtype=np.float32)

    with tempfile.TemporaryDirectory() as work:
        model = os.path.join(work, "mlp.mlir")
        data = os.path.join(work, "samples.npy")
        write_model(model, weights, biases)
        np.save(data, samples)

        def numpy_forward():
            h = samples.reshape(SAMPLES, 784)
            for layer, (w, b) in enumerate(zip(weights, biases)):
                h = h @ w + b
                if layer + 1 < len(weights):
                    h = np.maximum(h, 0)
            return h

        def calibrate(method):
            subprocess.run([args.quant_opt, model, "-o", os.devnull,
                            f"--qa-calibrate=samples={data} method={method}"], check=True)

        reference = best_of(args.repeat, numpy_forward)
        print(f"3-layer MLP {'-'.join(map(str, SIZES))}, {SAMPLES} samples, best of {args.repeat}")
        print(f"{'what':<40} {'seconds':>8} {'vs numpy':>9}")
        print(f"{'numpy float32 forward pass (batched)':<40} {reference:8.3f} {1.0:9.1f}")
        for method in ("min-max", "entropy"):
            seconds = best_of(args.repeat, lambda: calibrate(method))
            print(f"{'quant-opt --qa-calibrate method=' + method:<40} {seconds:8.3f} {seconds / reference:9.1f}")


if __name__ == "__main__":
    main()
