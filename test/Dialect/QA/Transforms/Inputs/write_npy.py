"""Writes small .npy sample files for the calibration tests.

Usage: write_npy.py DIR   (creates DIR and the files below in it)
"""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
x = np.array([[-1.0, 2.0, 0.5, 3.0], [4.0, -2.0, 1.0, 0.0], [0.25, 0.5, -3.0, 1.0]],
             dtype=np.float32)
np.save(os.path.join(out, "x.npy"), x.reshape(3, 1, 4))
np.save(os.path.join(out, "x_flat.npy"), x)  # leading 1 of the argument left out
os.makedirs(os.path.join(out, "x_dir"), exist_ok=True)
np.save(os.path.join(out, "x_dir", "a.npy"), x[:2].reshape(2, 1, 4))
np.save(os.path.join(out, "x_dir", "b.npy"), x[2:].reshape(1, 1, 4))
np.save(os.path.join(out, "x64.npy"), x.astype(np.float64).reshape(3, 1, 4))
np.save(os.path.join(out, "ints.npy"), np.zeros((3, 1, 4), dtype=np.int64))
np.save(os.path.join(out, "wide.npy"), np.zeros((3, 1, 5), dtype=np.float32))
nan = x.copy().reshape(3, 1, 4)
nan[1, 0, 2] = np.nan
np.save(os.path.join(out, "nan.npy"), nan)
negative = -np.abs(x).reshape(3, 1, 4) - 1
np.save(os.path.join(out, "negative.npy"), negative)
with open(os.path.join(out, "garbage.npy"), "wb") as f:
    f.write(b"not numpy")
# A header whose shape product overflows 64 bits, with 8 bytes of data.
header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693953, 1), }"
header += b" " * ((64 - (10 + len(header) + 1) % 64) % 64) + b"\n"
with open(os.path.join(out, "huge.npy"), "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + b"\0" * 8)
