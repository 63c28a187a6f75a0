"""qa-report-error's numbers against numpy: the example MLP is calibrated and
reported on (JSON), and, separately, quantized by qa-quantize and run by
quant-run on the same samples next to the float model; SQNR, absolute
errors, cosine, top-1 agreement and accuracies of the output are computed
here from those runs and must equal the report's (to 1e-9 relative: the
sums run in a different order).
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--quant-opt", required=True)
parser.add_argument("--quant-run", required=True)
parser.add_argument("--example", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--quantize-options", default="")
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)


def path(name):
    return os.path.join(args.workdir, name)


model = os.path.join(args.example, "float.mlir")
samples = os.path.join(args.example, "samples.npy")
labels = np.load(os.path.join(args.example, "sample_labels.npy"))
subprocess.run([args.quant_opt, model, "-o", path("calibrated.mlir"), "--qa-calibrate=samples=%s" % samples],
               check=True)
subprocess.run([args.quant_opt, path("calibrated.mlir"), "-o", os.devnull,
                "--qa-report-error=samples=%s labels=%s json=%s table=%s quantize-options='%s'"
                % (samples, os.path.join(args.example, "sample_labels.npy"), path("report.json"),
                   path("table.txt"), args.quantize_options)], check=True)
subprocess.run([args.quant_opt, path("calibrated.mlir"), "-o", path("quantized.mlir"),
                "--qa-quantize=%s" % args.quantize_options], check=True)
for name, mlir in (("float", model), ("quantized", path("quantized.mlir"))):
    subprocess.run([args.quant_run, mlir, "--inputs", samples, "--outputs", path(name + ".npy")], check=True)
count = len(labels)
r = np.load(path("float.npy")).astype(np.float64).reshape(count, -1)
q = np.load(path("quantized.npy")).astype(np.float64).reshape(count, -1)
e = q - r
want = {
    "sqnr_db": 10 * math.log10((r * r).sum() / (e * e).sum()),
    "max_abs_error": np.abs(e).max(),
    "mean_abs_error": np.abs(e).mean(),
    "cosine": (r * q).sum() / math.sqrt((r * r).sum() * (q * q).sum()),
    "top1_agreement": 100 * (r.argmax(1) == q.argmax(1)).mean(),
    "float_accuracy": 100 * (r.argmax(1) == labels).mean(),
    "quantized_accuracy": 100 * (q.argmax(1) == labels).mean(),
}
report = json.load(open(path("report.json")))
got = report["output"]
last = report["tensors"][-1]["cumulative"]  # the output tensor, everything quantized
failed = False
for key, value in want.items():
    for where, entry in (("output", got), ("last tensor", last)):
        if key not in entry:
            continue
        if not math.isclose(entry[key], value, rel_tol=1e-9, abs_tol=1e-12):
            print("%s %s: report %r, numpy %r" % (where, key, entry[key], value))
            failed = True
if failed:
    sys.exit(1)
print("output metrics match numpy:", ", ".join("%s %.6g" % kv for kv in sorted(want.items())))
print("tensors:", " ".join(t["name"] for t in report["tensors"]))
