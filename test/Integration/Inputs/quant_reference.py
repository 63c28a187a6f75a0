"""The integer reference of the lowering tests: TFLite's QuantizeMultiplier
and MultiplyByQuantizedMultiplier (gemmlowp SaturatingRoundingDoublingHighMul
and RoundingDivideByPOT), TFLite's single-rounding variant and ONNX
Runtime's float32 rescale with round-half-to-even, written here from their
published definitions in Python integers and numpy float32, independently of
the compiler. Also small helpers to write quantized MLIR types and literals.
"""
import math
import sys

import numpy as np


def storage_range(bits, signed, narrow=False):
    if signed:
        hi = (1 << (bits - 1)) - 1
        return (-hi if narrow else -hi - 1), hi
    return 0, (1 << bits) - 1


def quantize_multiplier(real):
    if real == 0:
        return 0, 0
    q, shift = math.frexp(real)
    fixed = int(math.floor(q * (1 << 31) + 0.5))  # q > 0: half away from zero
    if fixed == 1 << 31:
        fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    if shift > 30:
        return (1 << 31) - 1, 30
    return fixed, shift


def wrap32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def srdhm(a, b):  # SaturatingRoundingDoublingHighMul, b >= 0 here
    return (a * b + (1 << 30)) >> 31


def rdbpot(x, e):  # RoundingDivideByPOT
    mask = (1 << e) - 1
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> e) + (1 if (x & mask) > threshold else 0)


def rescale(acc, real, float_multiplier, mode):
    m, shift = quantize_multiplier(real)
    if mode == "tflite_double":
        return rdbpot(srdhm(wrap32(acc << max(shift, 0)), m), max(-shift, 0))
    if mode == "tflite_single":
        total = 31 - shift
        return (acc * m + (1 << (total - 1))) >> total
    product = np.float32(acc) * float_multiplier  # float32 arithmetic
    return int(np.rint(product))  # ties to even


def rescale64(acc, real):
    """TFLite's int64 MultiplyByQuantizedMultiplier (for accumulators beyond
    i32, |acc| < 2^47): the Q31 multiplier reduced to 16 bits, rounded, then
    one rounding right shift by 15 - shift."""
    m, shift = quantize_multiplier(real)
    reduced = (m + (1 << 15)) >> 16 if m < 0x7FFF0000 else 0x7FFF
    total = 15 - shift
    return (acc * reduced + (1 << (total - 1))) >> total


def quant_type(bits, signed, scales, zps, axis=None, storage=None):
    prefix = ("i" if signed else "u") + str(bits)
    if storage:
        prefix += "<%d:%d>" % storage
    if axis is None:
        return "!quant.uniform<%s:f32, %r:%d>" % (prefix, scales[0], zps[0])
    body = ", ".join("%r:%d" % (s, z) for s, z in zip(scales, zps))
    return "!quant.uniform<%s:f32:%d, {%s}>" % (prefix, axis, body)


def dense(values):
    return "dense<%s>" % np.array2string(np.asarray(values), separator=", ",
                                          threshold=sys.maxsize, max_line_width=1 << 20)


