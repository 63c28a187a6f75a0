"""An example digits model (examples/mlp, examples/cnn) through the whole
flow: calibrate on training images, quantize (8-bit activations,
`--weight-bits` weights), lower to integers, run on the 360 held-out images,
and compare accuracy with the float model run the same way.

Fails when the quantized model loses more than `--max-drop` points of
accuracy.
"""
import argparse
import json
import re
import os
import subprocess
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--quant-opt", required=True)
parser.add_argument("--quant-run", required=True)
parser.add_argument("--example", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--method", default="min-max")
parser.add_argument("--weight-bits", type=int, default=8)
parser.add_argument("--weight-group-size", type=int, default=0)
parser.add_argument("--max-drop", type=float, default=0.5)
parser.add_argument("--min-fewer-weight-bits", type=float, default=0,
                    help="with --assign: fail unless the assignment has at least this many "
                         "percent fewer weight bits than uniform 8-bit")
parser.add_argument("--assign", default=None,
                    help="qa-assign-precision options (mixed precision chosen on the "
                         "calibration samples and their labels) instead of --weight-bits")
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)


def path(name):
    return os.path.join(args.workdir, name)


model = os.path.join(args.example, "float.mlir")
images = os.path.join(args.example, "test_images.npy")
labels = np.load(os.path.join(args.example, "test_labels.npy"))
samples = os.path.join(args.example, "samples.npy")
passes = ["--qa-calibrate=samples=%s method=%s" % (samples, args.method)]
if args.assign is not None:
    passes.append("--qa-assign-precision=samples=%s labels=%s json=%s %s"
                  % (samples, os.path.join(args.example, "sample_labels.npy"), path("assignment.json"),
                     args.assign))
passes.append("--qa-quantize=weight-bits=%d weight-group-size=%d" % (args.weight_bits, args.weight_group_size))
subprocess.run([args.quant_opt, model, "-o", path("quantized.mlir")] + passes, check=True)
subprocess.run([args.quant_run, path("quantized.mlir"), "--inputs", images, "--outputs", path("quantized.npy")], check=True)
subprocess.run([args.quant_run, model, "--inputs", images, "--outputs", path("float.npy")], check=True)

float_predictions = np.load(path("float.npy")).reshape(len(labels), -1).argmax(1)
quantized_predictions = np.load(path("quantized.npy")).reshape(len(labels), -1).argmax(1)
float_accuracy = 100 * (float_predictions == labels).mean()
quantized_accuracy = 100 * (quantized_predictions == labels).mean()
agreement = 100 * (float_predictions == quantized_predictions).mean()
fewer = None
if args.assign is not None:
    report = json.load(open(path("assignment.json")))
    fewer = 100 * (1 - report["weight_bits"] / report["uniform_int8_weight_bits"])
    weights = "mixed-precision weights [%s] (%.1f%% fewer weight bits than 8-bit)" % (
        ", ".join(layer["choice"] for layer in report["layers"]), fewer)
else:
    grouping = " in groups of %d" % args.weight_group_size if args.weight_group_size else ""
    weights = "%d-bit weights%s" % (args.weight_bits, grouping)
print("float %.2f%%, %s %.2f%% (%s calibration), agreement %.2f%% on %d images"
      % (float_accuracy, weights, quantized_accuracy, args.method, agreement, len(labels)))
if float_accuracy - quantized_accuracy > args.max_drop:
    print("quantized loses %.2f points, more than %.2f" % (float_accuracy - quantized_accuracy, args.max_drop))
    sys.exit(1)
print("within %.2f points of float" % args.max_drop)
if fewer is not None and fewer < args.min_fewer_weight_bits:
    print("only %.1f%% fewer weight bits, not %.1f%%" % (fewer, args.min_fewer_weight_bits))
    sys.exit(1)
if fewer is not None:
    # Independently of the report: the weight constants qa-quantize wrote
    # (storage width x elements; i32 ones are biases) against 8 bits each.
    stored = actual = 0
    for line in open(path("quantized.mlir")):
        m = re.search(r"qa\.constant .* : tensor<((?:\d+x)+)i(\d+)> :", line)
        if m and m.group(2) != "32":
            count = int(np.prod([int(d) for d in m.group(1).rstrip("x").split("x")]))
            stored += 8 * count
            actual += int(m.group(2)) * count
    value_fewer = 100 * (1 - actual / stored)
    print("weight values in the quantized model: %d bits, %.1f%% fewer than 8-bit" % (actual, value_fewer))
    if value_fewer < args.min_fewer_weight_bits:
        sys.exit(1)
