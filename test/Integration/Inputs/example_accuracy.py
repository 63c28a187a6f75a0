"""An example digits model (examples/mlp, examples/cnn) through the whole
flow: calibrate on training images, quantize (8-bit activations,
`--weight-bits` weights), lower to integers, run on the 360 held-out images,
and compare accuracy with the float model run the same way.

Fails when the quantized model loses more than `--max-drop` points of
accuracy.
"""
import argparse
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
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)


def path(name):
    return os.path.join(args.workdir, name)


model = os.path.join(args.example, "float.mlir")
images = os.path.join(args.example, "test_images.npy")
labels = np.load(os.path.join(args.example, "test_labels.npy"))
subprocess.run([args.quant_opt, model, "-o", path("quantized.mlir"),
                "--qa-calibrate=samples=%s method=%s" % (os.path.join(args.example, "samples.npy"), args.method),
                "--qa-quantize=weight-bits=%d weight-group-size=%d" % (args.weight_bits, args.weight_group_size)],
               check=True)
subprocess.run([args.quant_run, path("quantized.mlir"), "--inputs", images, "--outputs", path("quantized.npy")], check=True)
subprocess.run([args.quant_run, model, "--inputs", images, "--outputs", path("float.npy")], check=True)

float_predictions = np.load(path("float.npy")).reshape(len(labels), -1).argmax(1)
quantized_predictions = np.load(path("quantized.npy")).reshape(len(labels), -1).argmax(1)
float_accuracy = 100 * (float_predictions == labels).mean()
quantized_accuracy = 100 * (quantized_predictions == labels).mean()
agreement = 100 * (float_predictions == quantized_predictions).mean()
grouping = " in groups of %d" % args.weight_group_size if args.weight_group_size else ""
print("float %.2f%%, %d-bit weights%s %.2f%% (%s calibration), agreement %.2f%% on %d images"
      % (float_accuracy, args.weight_bits, grouping, quantized_accuracy, args.method, agreement, len(labels)))
if float_accuracy - quantized_accuracy > args.max_drop:
    print("quantized loses %.2f points, more than %.2f" % (float_accuracy - quantized_accuracy, args.max_drop))
    sys.exit(1)
print("within %.2f points of float" % args.max_drop)
