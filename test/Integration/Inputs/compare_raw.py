"""Compares a raw float32 file written by a C driver with a .npy file, bit
for bit (NaNs and signed zeros included), and prints how many values agree.
"""
import sys

import numpy as np

raw = np.fromfile(sys.argv[1], dtype="<f4")
reference = np.load(sys.argv[2]).astype("<f4", copy=False).reshape(-1)
if raw.shape != reference.shape:
    print("sizes differ: %d values, reference %d" % (raw.size, reference.size))
    sys.exit(1)
different = np.flatnonzero(raw.view("<u4") != reference.view("<u4"))
if different.size:
    i = different[0]
    print("%d of %d values differ, first at %d: %r vs %r"
          % (different.size, raw.size, i, raw[i], reference[i]))
    sys.exit(1)
print("%d values bit-identical" % raw.size)
