"""Fully-connected layers whose int8 contractions exercise every micro-kernel
of qa-lower-to-target-kernels, with an independent exact reference.

  kernel_layers.py gen DIR          writes DIR/<case>.mlir and <case>.in.raw
  kernel_layers.py check DIR CASE OUT.raw
                                    compares OUT.raw (int16) with the exact
                                    integer reference, prints the count
  kernel_layers.py cheader CASE     prints the bare-metal harness's
                                    harness_data.h: the call, the input
                                    bytes and the reference

Shapes leave tails in every dimension (N = 19 channels, K = 37; M = 7 rows,
one block of rows on RISC-V V, or 17, several blocks and a rest everywhere,
or 50 for AVX2's weights extended once per call).
Output: i16, scale 2, zero point 0, rounding tflite_double (TFLite's
fixed-point rescale, quant_reference.rescale), so an accumulator off by one
changes about half the outputs. (Not half_even: its vectorized float
rounding on RISC-V V hits a QEMU 7.2 translation bug.)
Batches of one: s8_row with K = 37, and u8_row with K = 1037, many blocks
of AVX2's split activations (u = (u & 31) + 32 (u >> 5): i16 sums of the
low parts over 4 steps, of the top parts over 16), its first 520
activations at 255 so that channel 0's weights at -128 take both i16 sums
to their extremes there (-31744 and -28672); its accumulators reach about
2^25, so its output scale is 2^11 (a wrapped i16 sum is off by 2^16 times
32 or more). s4_row, with K = 1037 too (output scale 2^8), does the same for
AVX2's unsigned 4-bit fields: channel 1's weights at 7, stored as 15, take
the i16 sums of 4 steps to 4 * 2 * 255 * 15 = 30600.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Integration", "Inputs"))
from quant_reference import rescale  # noqa: E402

N, K = 19, 37
SHIFT = 1

# name: (rows, input signed, input zero point, weight signed, weight zero
#        point, weight range)
CASES = {
    # Full-range signed weights: vpmaddwd on AVX2, vpdpbusd with the +128
    # bias on VNNI, sdot, smull + sadalp; weights widened once per call on
    # RISC-V V.
    "s8_full": (17, True, -128, True, 0, (-128, 127)),
    # Signed activations and 7-bit weights: vpmaddubsw with the +128 bias
    # on AVX2, vpdpbusd with it on VNNI, sdot.
    "s8_small": (7, True, 0, True, 0, (-64, 63)),
    # Unsigned activations and small weights: vpmaddubsw on AVX2, usmmla on
    # i8mm, sdot / smull with the -128 bias elsewhere.
    "u8_small": (7, False, 3, True, 0, (-60, 60)),
    # Unsigned weights beyond 127 (zero point 128): vpmaddwd with zero
    # extension on AVX2, vpdpbusd with the weights as its u8 operand on VNNI,
    # udot / umull with the +128 bias on AArch64, zero-extending widening on
    # RISC-V V.
    "u8_weights": (17, True, 5, False, 128, (0, 255)),
    # Both unsigned: on VNNI the weights as the u8 operand and the
    # activations biased by -128 to s8, with the +128 * sum_k w correction.
    "u8_both": (7, False, 3, False, 128, (0, 255)),
    # 50 rows, 8 blocks of 6 and 2: on AVX2 the first block extends the
    # whole tile's weights to i16 (sign or zero) and stores them for the
    # other blocks (the last 3 channels are a partial tile, read packed).
    "s8_batch": (50, True, -128, True, 0, (-128, 127)),
    "u8_batch": (50, False, 3, False, 128, (0, 255)),
    # Batches of one with full-range weights: on AVX2 vpmaddubsw on the
    # activations split into low 5 bits and top 3 (signed ones biased).
    "s8_row": (1, True, -128, True, 0, (-128, 127)),
    "u8_row": (1, False, 3, True, 0, (-128, 127)),
    # 4- and 2-bit weights, stored packed (WEIGHT_BITS): the kernels read
    # each field at the top of its byte (times 16 or 64), as s8 (u8 for
    # unsigned storage), and shift the sums back; on AVX2 where it is, for
    # vpmaddubsw.
    "s4": (17, True, -128, True, 0, (-8, 7)),
    "u4": (7, False, 3, False, 8, (0, 15)),
    "s2_row": (1, True, -128, True, 0, (-2, 1)),
    "u2": (7, True, 5, False, 1, (0, 3)),
    # Batches of one on AVX2 read the fields as unsigned values, signed ones
    # stored as w + 8 (w + 2), and take 8 sum_k x back at run time; the i16
    # sums of 4 steps' pair sums reach 4 * 2 * 255 * 15 = 30600 in s4_row.
    "s4_row": (1, False, 3, True, 0, (-8, 7)),
    "u4_row": (1, True, 5, False, 8, (0, 15)),
    # One block of rows (the fields read in the loop over K), and 17 rows
    # by N = 32, whole tiles only, so that on AVX2 each block of rows packs
    # its own activations (and their sums) right before it.
    "s4_block": (5, False, 3, True, 0, (-8, 7)),
    "s4_tiles": (17, True, -128, True, 0, (-8, 7)),
    "s2_block": (5, True, -128, True, 0, (-2, 1)),
    # 17 rows of signed input by signed 2-bit weights: on AVX2 the whole
    # tile's fields are read once per call as the signed weights, the
    # partial tile's as w + 2 (steps rounded up to 4 fields: K = 40).
    "s2_rows": (17, True, -128, True, 0, (-2, 1)),
    # N = 147 and long K: on AVX2 the weights read once per call (extended
    # to i16, or 4-bit fields read into bytes) fill more than one block of
    # tiles (7 of the 9 whole tiles, then 2), then the partial tile.
    "s8_tile_blocks": (50, True, -128, True, 0, (-128, 127)),
    "s4_tile_blocks": (13, False, 3, True, 0, (-8, 7)),
}
# Storage bits of the weights (others: 8).
WEIGHT_BITS = {"s4": 4, "u4": 4, "s2_row": 2, "u2": 2, "s4_row": 4,
               "u4_row": 4, "s4_block": 4, "s4_tiles": 4, "s2_block": 2,
               "s2_rows": 2, "s4_tile_blocks": 4}
# Cases with their own depth and output shift (others: K, SHIFT).
LONG_CASES = {"u8_row": (1037, 11), "s4_row": (1037, 8),
              "s8_tile_blocks": (1170, 10), "s4_tile_blocks": (2340, 8)}
# Cases with their own number of channels (others: N).
WIDE_CASES = {"s4_tiles": 32, "s8_tile_blocks": 147, "s4_tile_blocks": 147}


def channels(case):
    return WIDE_CASES.get(case, N)


def depth(case):
    return LONG_CASES.get(case, (K, SHIFT))[0]


def shift(case):
    return LONG_CASES.get(case, (K, SHIFT))[1]


def data(case):
    M, in_signed, _, w_signed, _, (lo, hi) = CASES[case]
    K = depth(case)
    rng = np.random.default_rng(sum(map(ord, case)))
    x = rng.integers(-128, 128, (M, K)) if in_signed else rng.integers(0, 256, (M, K))
    if M > 1:
        x[0, :] = -128 if in_signed else 255  # extremes
    elif K > 512:
        x[0, :520] = 127 if in_signed else 255  # top bits set
    w = rng.integers(lo, hi + 1, (channels(case), K))
    w[0, :] = lo
    w[1, :] = hi
    return x, w


def gen(directory):
    for case, (M, in_signed, zp_in, w_signed, zp_w, _) in CASES.items():
        x, w = data(case)
        K = depth(case)
        N = channels(case)
        storage_in = "i8" if in_signed else "u8"
        bits = WEIGHT_BITS.get(case, 8)
        storage_w = ("i" if w_signed else "u") + str(bits)
        half = 1 << (bits - 1)
        raw_w = np.where(w >= half, w - 2 * half, w)  # the i<bits> patterns
        dense = "[" + ", ".join("[" + ", ".join(map(str, row)) + "]" for row in raw_w) + "]"
        with open(f"{directory}/{case}.mlir", "w") as f:
            f.write(f"""!in = !quant.uniform<{storage_in}:f32, 1.0:{zp_in}>
!w = !quant.uniform<{storage_w}:f32, 1.0:{zp_w}>
!out = !quant.uniform<i16:f32, {2.0 ** shift(case)}>
func.func @layer(%x: tensor<{M}x{K}x!in>) -> tensor<{M}x{N}x!out> {{
  %w = qa.constant dense<{dense}> : tensor<{N}x{K}xi{bits}> : tensor<{N}x{K}x!w>
  %y = qa.fully_connected %x, %w {{rounding = #qa.rounding<tflite_double>}} : (tensor<{M}x{K}x!in>, tensor<{N}x{K}x!w>) -> tensor<{M}x{N}x!out>
  return %y : tensor<{M}x{N}x!out>
}}
""")
        x.astype(np.int8 if in_signed else np.uint8).tofile(f"{directory}/{case}.in.raw")


def reference(case):
    _, _, zp_in, _, zp_w, _ = CASES[case]
    x, w = data(case)
    acc = (x - zp_in) @ (w - zp_w).T  # exact in int64
    scaled = [rescale(int(a), 2.0 ** -shift(case), None, "tflite_double")
              for a in acc.flatten()]
    return np.clip(scaled, -32768, 32767).astype(np.int16).reshape(acc.shape)


def cheader(case):
    x, _ = data(case)
    expected = reference(case)
    print('#include "model.h"')
    print("#define HARNESS_CALL(input, output) layer((const void *)(input), (output))")
    print("#define HARNESS_INPUTS 1")
    print("#define HARNESS_INPUT_ELEMENTS %d" % x.size)
    print("#define HARNESS_OUTPUT_ELEMENTS %d" % expected.size)
    print("typedef int16_t harness_output_t;")
    print("static const unsigned char harness_input[] = {%s};" %
          ", ".join(str(v & 255) for v in x.flatten()))
    print("static const harness_output_t harness_expected[] = {%s};" %
          ", ".join(map(str, expected.flatten())))


def check(directory, case, out):
    expected = reference(case)
    got = np.fromfile(out, dtype="<i2").reshape(expected.shape)
    bad = np.argwhere(got != expected)
    if len(bad):
        m, n = bad[0]
        print(f"{case}: {len(bad)} of {got.size} values differ, first "
              f"[{m}, {n}]: {got[m, n]} instead of {expected[m, n]}")
        return 1
    print(f"{case}: {got.size} values bit-identical")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif sys.argv[1] == "cheader":
        cheader(sys.argv[2])
    else:
        sys.exit(check(*sys.argv[2:5]))
