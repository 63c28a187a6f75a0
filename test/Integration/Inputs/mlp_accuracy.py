"""The example digits MLP through the whole flow: calibrate on training
images, quantize to int8, lower to integers, run on the 360 held-out images,
and compare accuracy with the float model run the same way.

Fails when int8 loses more than `--max-drop` points of accuracy, or when the
integer model disagrees with the float one on more images than it loses.
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
parser.add_argument("--max-drop", type=float, default=0.5)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)


def path(name):
    return os.path.join(args.workdir, name)


model = os.path.join(args.example, "float.mlir")
images = os.path.join(args.example, "test_images.npy")
labels = np.load(os.path.join(args.example, "test_labels.npy"))
subprocess.run([args.quant_opt, model, "-o", path("int8.mlir"),
                "--qa-calibrate=samples=%s method=%s" % (os.path.join(args.example, "samples.npy"), args.method),
                "--qa-quantize"], check=True)
subprocess.run([args.quant_run, path("int8.mlir"), "--inputs", images, "--outputs", path("int8.npy")], check=True)
subprocess.run([args.quant_run, model, "--inputs", images, "--outputs", path("float.npy")], check=True)

float_predictions = np.load(path("float.npy")).reshape(len(labels), -1).argmax(1)
int8_predictions = np.load(path("int8.npy")).reshape(len(labels), -1).argmax(1)
float_accuracy = 100 * (float_predictions == labels).mean()
int8_accuracy = 100 * (int8_predictions == labels).mean()
agreement = 100 * (float_predictions == int8_predictions).mean()
print("float %.2f%%, int8 %.2f%% (%s calibration), agreement %.2f%% on %d images"
      % (float_accuracy, int8_accuracy, args.method, agreement, len(labels)))
if float_accuracy - int8_accuracy > args.max_drop:
    print("int8 loses %.2f points, more than %.2f" % (float_accuracy - int8_accuracy, args.max_drop))
    sys.exit(1)
print("within %.2f points of float" % args.max_drop)
