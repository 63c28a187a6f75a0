"""Random qa.fully_connected layers, run by quant-run, against an independent
integer reference written here (Python integers and numpy float32), bit for
bit.

Each case draws widths (2/4/8/16; sub-byte activations held one per byte,
sub-byte weights stored packed), signedness, per-tensor or per-channel weights,
symmetric or asymmetric weight zero points, a narrowed (fused ReLU) result
range, a bias or none, and one of the three #qa.rounding modes. The
reference follows the published definitions: TFLite's QuantizeMultiplier and
MultiplyByQuantizedMultiplier (gemmlowp SaturatingRoundingDoublingHighMul and
RoundingDivideByPOT), TFLite's single-rounding variant, and ONNX Runtime's
float32 rescale with round-half-to-even.
"""
import argparse
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--quant-run", required=True)
parser.add_argument("--workdir", required=True)
parser.add_argument("--cases", type=int, default=64)
args = parser.parse_args()
os.makedirs(args.workdir, exist_ok=True)
rng = random.Random(20261122)


from quant_reference import dense, quant_type, quantize_multiplier, rescale, rescale64, storage_range


failures = refused = wide = 0
for case in range(args.cases):
    M, K, N = rng.choice([1, 3]), rng.choice([4, 17, 64]), rng.choice([1, 5, 16])
    in_bits, in_signed = rng.choice([2, 4, 8, 16, 16]), rng.random() < 0.5
    w_bits, w_signed = rng.choice([2, 4, 8, 16, 16]), rng.random() < 0.7
    out_bits, out_signed = rng.choice([2, 4, 8, 16]), rng.random() < 0.5
    per_channel = rng.random() < 0.5
    asymmetric = rng.random() < 0.4
    mode = rng.choice(["tflite_double", "tflite_single", "half_even"])
    with_bias = rng.random() < 0.7

    in_lo, in_hi = storage_range(in_bits, in_signed)
    w_lo, w_hi = storage_range(w_bits, w_signed)
    out_lo, out_hi = storage_range(out_bits, out_signed)
    zp_in = rng.randint(in_lo, in_hi) if rng.random() < 0.6 else 0
    channels = N if per_channel else 1
    zp_w = [rng.randint(w_lo, w_hi) if asymmetric else 0 for _ in range(channels)]
    spread = (in_hi - in_lo) * (w_hi - w_lo) * math.sqrt(K) / 6
    if rng.random() < 0.4:
        # Power-of-two scales: rescaling by 2^-j makes exact ties common, the
        # cases where the three rounding modes differ.
        s_in = 2.0 ** -rng.randint(4, 8)
        s_w = [2.0 ** -rng.randint(4, 8) for _ in range(channels)]
        j = max(1, round(math.log2(spread / (out_hi - out_lo))))
        s_out = s_in * max(s_w) * 2.0 ** rng.randint(1, j + 1)
    else:
        s_in = rng.uniform(0.002, 0.05)
        s_w = [rng.uniform(0.001, 0.05) for _ in range(channels)]
        # Result scale near the accumulator's spread: outputs use the range.
        s_out = spread * s_in * max(s_w) / (out_hi - out_lo) * rng.uniform(0.3, 3)
    zp_out = rng.randint(out_lo, out_hi)
    narrowed = (zp_out, out_hi) if rng.random() < 0.3 and zp_out < out_hi else None  # fused ReLU
    res_lo, res_hi = narrowed or (out_lo, out_hi)

    x = [[rng.randint(in_lo, in_hi) for _ in range(K)] for _ in range(M)]
    w = [[rng.randint(w_lo, w_hi) for _ in range(K)] for _ in range(N)]
    b = [rng.randint(-(1 << 20), 1 << 20) for _ in range(N)] if with_bias else [0] * N

    t_in = quant_type(in_bits, in_signed, [s_in], [zp_in])
    t_w = quant_type(w_bits, w_signed, s_w, zp_w, axis=0 if per_channel else None)
    bias_scales = [s_in * s for s in s_w]
    t_b = quant_type(32, True, bias_scales, [0] * channels, axis=0 if per_channel else None)
    t_out = quant_type(out_bits, out_signed, [s_out], [zp_out], storage=narrowed)

    def stored(values, bits):  # signless storage literal
        return [[v - (1 << bits) if v >= 1 << (bits - 1) else v for v in row] for row in values]

    model = ["func.func @fc(%%x: tensor<%dx%dx%s>) -> tensor<%dx%dx%s> {" % (M, K, t_in, M, N, t_out),
             "  %%w = qa.constant %s : tensor<%dx%dxi%d> : tensor<%dx%dx%s>" % (dense(stored(w, w_bits)), N, K, w_bits, N, K, t_w)]
    operands, types = "%x, %w", "tensor<%dx%dx%s>, tensor<%dx%dx%s>" % (M, K, t_in, N, K, t_w)
    if with_bias:
        model.append("  %%b = qa.constant %s : tensor<%dxi32> : tensor<%dx%s>" % (dense(b), N, N, t_b))
        operands += ", %b"
        types += ", tensor<%dx%s>" % (N, t_b)
    model.append("  %%y = qa.fully_connected %s {rounding = #qa.rounding<%s>} : (%s) -> tensor<%dx%dx%s>" % (operands, mode, types, M, N, t_out))
    model += ["  return %%y : tensor<%dx%dx%s>" % (M, N, t_out), "}"]
    path = os.path.join(args.workdir, "fc%d.mlir" % case)
    with open(path, "w") as f:
        f.write("\n".join(model) + "\n")
    np.save(os.path.join(args.workdir, "x%d.npy" % case), np.array([x], dtype=np.int64))
    out_path = os.path.join(args.workdir, "y%d.npy" % case)
    run = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "x%d.npy" % case),
                          "--outputs", out_path], capture_output=True, text=True)
    # Independently: can some output channel's accumulator leave i32 (any
    # partial sum, as the lowering's proof)? Then the layer accumulates in
    # i64 and requantizes as TFLite's int64 MultiplyByQuantizedMultiplier,
    # which takes |acc| < 2^47, shifts below 8 and the TFLite modes only;
    # beyond those compilation must refuse.
    centered_in = (in_lo - zp_in, in_hi - zp_in)
    overflow = beyond48 = False
    for n in range(N):
        c = n if per_channel else 0
        lo = hi = 0
        for k in range(K):
            terms = [v * (w[n][k] - zp_w[c]) for v in centered_in]
            lo += min(min(terms), 0)
            hi += max(max(terms), 0)
        lo += min(b[n], 0)
        hi += max(b[n], 0)
        overflow |= lo < -(1 << 31) or hi > (1 << 31) - 1
        beyond48 |= lo < -(1 << 47) or hi > (1 << 47) - 1
    shifts = [quantize_multiplier(s_in * s / s_out)[1] for s in s_w]
    refusal = None
    if beyond48:
        refusal = "beyond TFLite's 48-bit range"
    elif overflow and mode == "half_even":
        refusal = "half_even rounding of an accumulator beyond i32"
    elif overflow and max(shifts) >= 8:
        refusal = "TFLite's int64 rescale takes less than 8"
    if refusal:
        refused += 1
        if run.returncode == 0 or refusal not in run.stderr:
            print("case %d: compilation should refuse (%s):\n%s" % (case, refusal, run.stderr))
            failures += 1
        continue
    wide += overflow
    if run.returncode != 0:
        print("case %d: quant-run failed:\n%s" % (case, run.stderr))
        failures += 1
        continue
    got = np.load(out_path)[0].astype(np.int64)
    if not out_signed:
        got &= (1 << out_bits) - 1

    for m in range(M):
        for n in range(N):
            c = n if per_channel else 0
            acc = sum((x[m][k] - zp_in) * (w[n][k] - zp_w[c]) for k in range(K)) + b[n]
            real = s_in * s_w[c] / s_out
            float_multiplier = np.float32(np.float32(s_in) * np.float32(s_w[c])) / np.float32(s_out)
            level = rescale64(acc, real) if overflow else rescale(acc, real, float_multiplier, mode)
            want = min(max(level + zp_out, res_lo), res_hi)
            if got[m][n] != want:
                failures += 1
                print("case %d (%s, in %s%d zp %d, w %s%d %s%s, out %s%d): [%d, %d] got %d, want %d (acc %d)"
                      % (case, mode, "i" if in_signed else "u", in_bits, zp_in, "i" if w_signed else "u", w_bits,
                         "per-channel" if per_channel else "per-tensor", " asymmetric" if asymmetric else "",
                         "i" if out_signed else "u", out_bits, m, n, got[m][n], want, acc))
                break

# Ties, deterministically: a 1x1 layer rescaling every accumulator in
# [-64, 64] by exactly 1/2 (multiplier 2^30, shift 0: only the high multiply
# rounds) and 1/4 (shift -1: both roundings), into a 16-bit result that does
# not saturate, for each mode.
tie_inputs = np.arange(-64, 65, dtype=np.int64).reshape(129, 1, 1)
np.save(os.path.join(args.workdir, "ties.npy"), tie_inputs)
for mode in ("tflite_double", "tflite_single", "half_even"):
    for ratio in (0.5, 0.25):
        t_in = "!quant.uniform<i8:f32, 1.0>"
        t_w = "!quant.uniform<i8:f32, 1.0>"
        t_out = "!quant.uniform<i16:f32, %r>" % (1 / ratio)
        path = os.path.join(args.workdir, "tie_%s_%s.mlir" % (mode, ratio))
        with open(path, "w") as f:
            f.write("func.func @tie(%%x: tensor<1x1x%s>) -> tensor<1x1x%s> {\n"
                    "  %%w = qa.constant dense<1> : tensor<1x1xi8> : tensor<1x1x%s>\n"
                    "  %%y = qa.fully_connected %%x, %%w {rounding = #qa.rounding<%s>} "
                    ": (tensor<1x1x%s>, tensor<1x1x%s>) -> tensor<1x1x%s>\n"
                    "  return %%y : tensor<1x1x%s>\n}\n"
                    % (t_in, t_out, t_w, mode, t_in, t_w, t_out, t_out))
        out_path = os.path.join(args.workdir, "tie_out.npy")
        run = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "ties.npy"),
                              "--outputs", out_path], capture_output=True, text=True)
        if run.returncode != 0:
            print("ties %s %s: quant-run failed:\n%s" % (mode, ratio, run.stderr))
            failures += 1
            continue
        got = np.load(out_path).reshape(-1)
        for acc, value in zip(range(-64, 65), got):
            want = rescale(acc, ratio, np.float32(ratio), mode)
            if value != want:
                print("ties %s x %s: acc %d got %d, want %d" % (mode, ratio, acc, value, want))
                failures += 1
                break

# TFLite's int64 rescale rounds the multiplier to 16 bits: a 16 x 16-bit
# layer (accumulator 4 * 32767^2, beyond i32) with a result scale chosen so
# that rounding and truncating that multiplier give different results.
acc64 = 4 * 32767 * 32767
s_out = acc64 / 30000.0
while True:
    m, shift = quantize_multiplier(1 / s_out)
    truncated = (acc64 * (m >> 16) + (1 << (14 - shift))) >> (15 - shift)
    if (m & 0xFFFF) >= 0x8000 and truncated != rescale64(acc64, 1 / s_out):
        break
    s_out *= 1.0000001
path = os.path.join(args.workdir, "wide.mlir")
t16, t_wide = "!quant.uniform<i16:f32, 1.0>", "!quant.uniform<i16:f32, %r>" % s_out
with open(path, "w") as f:
    f.write("func.func @wide(%%x: tensor<1x4x%s>) -> tensor<1x1x%s> {\n"
            "  %%w = qa.constant dense<32767> : tensor<1x4xi16> : tensor<1x4x%s>\n"
            "  %%y = qa.fully_connected %%x, %%w : (tensor<1x4x%s>, tensor<1x4x%s>) -> tensor<1x1x%s>\n"
            "  return %%y : tensor<1x1x%s>\n}\n" % (t16, t_wide, t16, t16, t16, t_wide, t_wide))
np.save(os.path.join(args.workdir, "wide_x.npy"), np.full((1, 1, 4), 32767, dtype=np.int64))
run = subprocess.run([args.quant_run, path, "--inputs", os.path.join(args.workdir, "wide_x.npy"),
                      "--outputs", os.path.join(args.workdir, "wide_y.npy")], capture_output=True, text=True)
want = rescale64(acc64, 1 / s_out)
got = np.load(os.path.join(args.workdir, "wide_y.npy")).item() if run.returncode == 0 else None
if got != want:
    print("i64 rescale of %d by 1/%r: got %s, want %d (truncated multiplier: %d)\n%s"
          % (acc64, s_out, got, want, truncated, run.stderr))
    failures += 1

if wide == 0 or refused == 0:
    print("i64 accumulation ran %d times and was refused %d times: both must be tested" % (wide, refused))
    failures += 1
if args.cases - refused < args.cases // 2:
    print("only %d of %d cases ran: the generator no longer tests the lowering"
          % (args.cases - refused, args.cases))
    failures += 1
if failures:
    sys.exit(1)
print("%d fully_connected cases bit-exact (%d accumulating in i64), %d refused"
      % (args.cases - refused, wide, refused))
