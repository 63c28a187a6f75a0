"""Checks qa-calibrate's statistics and range methods against an independent
implementation of their specification (include/quantaware/Calibration/
Statistics.h), written here from the raw sample data.

The samples are dyadic (k / 64), so the float32 model computes every value
exactly and numpy's float64 results are the same numbers. Sums run in the
order the specification gives and use the C library's log, so results must
agree exactly: any difference fails the test.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys

import numpy as np

BINS = 512
BITS = 8

parser = argparse.ArgumentParser()
parser.add_argument("--quant-opt", required=True)
parser.add_argument("--model", required=True)
parser.add_argument("--workdir", required=True)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)

rng = np.random.default_rng(2026)
samples = np.round(rng.normal(0.0, 1.0, size=(400, 1, 64)) * 64) / 64
samples[rng.random(samples.shape) < 0.002] *= 8  # a few outliers
samples = samples.astype(np.float32)
samples_path = os.path.join(args.workdir, "samples.npy")
np.save(samples_path, samples)

x = samples.reshape(400, 64).astype(np.float64)
tensors = {"arg0": x}
tensors["tosa.mul_0"] = x * 0.5
tensors["tosa.sub_0"] = tensors["tosa.mul_0"] - 0.25
tensors["tosa.clamp_0"] = np.maximum(tensors["tosa.sub_0"], 0.0)


def histogram(values, lo, hi):
    counts = [0] * BINS
    for v in values.ravel():
        b = 0 if hi == lo else math.floor((v - lo) / (hi - lo) * BINS)
        counts[min(max(b, 0), BINS - 1)] += 1
    return counts


def round_half_away(v):  # v >= 0
    whole = math.floor(v)
    return whole + (1.0 if v - whole >= 0.5 else 0.0)


def percentile_threshold(counts, width, p):
    target = p / 100.0 * float(sum(counts))
    cumulative = 0
    for k, c in enumerate(counts):
        cumulative += c
        if float(cumulative) >= target:
            return float(k + 1) * width
    raise AssertionError("percentile not reached")


def entropy_threshold(counts, width, levels):
    best, best_kl = len(counts), math.inf
    counts = [float(c) for c in counts]
    for i in range(levels, len(counts) + 1):
        p = counts[:i]
        for k in range(i, len(counts)):
            p[i - 1] += counts[k]
        group_sum, group_nonzero = [0.0] * levels, [0.0] * levels
        for k in range(i):
            g = k * levels // i
            group_sum[g] += counts[k]
            group_nonzero[g] += 1.0 if counts[k] != 0 else 0.0
        q = [group_sum[k * levels // i] / group_nonzero[k * levels // i]
             if counts[k] != 0 else 0.0 for k in range(i)]
        p_total, q_total = 0.0, 0.0
        for v in p:
            p_total += v
        for v in q:
            q_total += v
        if p_total == 0 or q_total == 0:
            continue
        kl = 0.0
        for k in range(i):
            if p[k] == 0:
                continue
            pk, qk = p[k] / p_total, q[k] / q_total
            if qk == 0:
                kl = math.inf
                break
            kl += pk * math.log(pk / qk)
        if kl < best_kl:
            best_kl, best = kl, i
    return float(best) * width


def mse_threshold(counts, width, qmax):
    best, best_error = None, math.inf
    for i in range(1, len(counts) + 1):
        threshold = float(i) * width
        scale = threshold / qmax
        error = 0.0
        for k, c in enumerate(counts):
            if c == 0:
                continue
            center = (float(k) + 0.5) * width
            level = min(round_half_away(center / scale), qmax)
            difference = center - level * scale
            error += float(c) * difference * difference
        if error < best_error:
            best_error, best = error, threshold
    return best


def run(options):
    out = subprocess.run([args.quant_opt, args.model,
                          "--qa-calibrate=samples=%s bins=%d %s" % (samples_path, BINS, options)],
                         check=True, capture_output=True, text=True).stdout
    ranges = {}
    arg = re.search(r"%arg0: tensor<1x64xf32> \{qa.range = #qa.range<([^,]+), ([^>]+)>\}", out)
    ranges["arg0"] = (float(arg.group(1)), float(arg.group(2)))
    for name in ("tosa.mul", "tosa.sub", "tosa.clamp"):
        m = re.search(name + r" .*qa.range = #qa.range<([^,]+), ([^>]+)>", out)
        ranges[name + "_0"] = (float(m.group(1)), float(m.group(2)))
    return ranges


failures = []


def expect(what, got, want):
    if got != want:
        failures.append("%s: got %r, expected %r" % (what, got, want))


# Statistics file: extremes and histograms.
stats_path = os.path.join(args.workdir, "stats.json")
run("stats-out=" + stats_path)
with open(stats_path) as f:
    stats = {t["name"]: t for t in json.load(f)["tensors"]}
expected = {}
for name, values in tensors.items():
    lo, hi = float(values.min()), float(values.max())
    magnitude = max(abs(lo), abs(hi))
    expected[name] = (lo, hi, histogram(np.abs(values), 0.0, magnitude), magnitude / BINS)
    expect(name + " min", stats[name]["min"], lo)
    expect(name + " max", stats[name]["max"], hi)
    expect(name + " value histogram", stats[name]["values"]["counts"], histogram(values, lo, hi))
    expect(name + " magnitude histogram", stats[name]["magnitudes"]["counts"], expected[name][2])

# Each method's ranges.
methods = {
    "method=min-max": lambda lo, hi, counts, width: None,
    "method=percentile percentile=99.9": lambda lo, hi, counts, width:
        percentile_threshold(counts, width, 99.9),
    "method=entropy": lambda lo, hi, counts, width:
        entropy_threshold(counts, width, 2 ** (BITS if lo >= 0 else BITS - 1)),
    "method=mse": lambda lo, hi, counts, width:
        mse_threshold(counts, width, float(2 ** (BITS if lo >= 0 else BITS - 1) - 1)),
}
for options, threshold_of in methods.items():
    ranges = run(options)
    for name, (lo, hi, counts, width) in expected.items():
        t = threshold_of(lo, hi, counts, width)
        want = (lo, hi) if t is None else (max(lo, -t), min(hi, t))
        expect("%s of %s" % (options, name), ranges[name], want)
    # The thresholds must matter: a clipping method clips something.
    if options != "method=min-max":
        clipped = [n for n in expected if ranges[n] != expected[n][:2]]
        if not clipped:
            failures.append(options + " clipped nothing: the test data cannot tell it apart")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("calibration methods agree with the independent implementation")
