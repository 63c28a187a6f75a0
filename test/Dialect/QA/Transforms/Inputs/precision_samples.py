"""Writes the samples of the precision tests: x.npy, 64 inputs [64, 1, 1, 4]
uniform in [-1, 1] (seeded), and labels.npy, the index of each input's
largest element, as classes for accuracy budgets (and labels_inf.npy, not
class indices).

Usage: precision_samples.py DIR
"""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
x = np.random.RandomState(3).uniform(-1, 1, (64, 1, 1, 4)).astype(np.float32)
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "labels.npy"), x.reshape(64, 4).argmax(1).astype(np.int64))
# Labels that are no class indices: the measuring passes reject them.
np.save(os.path.join(out, "labels_inf.npy"), np.full(64, np.inf))
