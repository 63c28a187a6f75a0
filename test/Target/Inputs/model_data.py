"""Writes the bare-metal harness's harness_data.h (bochs/harness.c) for a
whole model that quant-compile compiled with a float32 interface: calls of
ENTRY on the first COUNT inputs of INPUTS.npy, each expected to give its row
of REFERENCE.npy bit for bit. Values are written as exact hexadecimal
float literals.

Usage: model_data.py ENTRY INPUTS.npy REFERENCE.npy COUNT > harness_data.h
"""
import sys

import numpy as np

entry, inputs, reference, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
x = np.load(inputs).astype(np.float32)[:count]
y = np.load(reference).astype(np.float32)[:count]
if len(x) != count or len(y) != count:
    sys.exit("model_data.py: fewer than %d inputs or results" % count)
if not (np.isfinite(x).all() and np.isfinite(y).all()):
    sys.exit("model_data.py: only finite values have literals here")


def literals(values):
    return ", ".join(float(v).hex() + "f" for v in values.reshape(-1))


print('#include "model.h"')
print("#define HARNESS_CALL(input, output) %s((input), (output))" % entry)
print("#define HARNESS_INPUTS %d" % count)
print("#define HARNESS_INPUT_ELEMENTS %d" % (x.size // count))
print("#define HARNESS_OUTPUT_ELEMENTS %d" % (y.size // count))
print("typedef float harness_output_t;")
print("static const float harness_input[] = {%s};" % literals(x))
print("static const harness_output_t harness_expected[] = {%s};" % literals(y))
