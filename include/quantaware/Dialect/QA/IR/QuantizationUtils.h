//===- QuantizationUtils.h - Storage ranges, scales, multipliers -*- C++ -*-===//
//
// The numeric helpers every stage shares: storage ranges from bit widths,
// scale and zero point from an interval, and the Q31 fixed-point multiplier
// of a requantization. They are pure functions; the numerics contract in
// docs/Numerics.md states their rounding choices.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QUANTIZATIONUTILS_H
#define QUANTAWARE_DIALECT_QA_IR_QUANTIZATIONUTILS_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace mlir::qa {

/// Inclusive range of stored integers.
struct StorageRange {
  int64_t min;
  int64_t max;
  bool operator==(const StorageRange &other) const {
    return min == other.min && max == other.max;
  }
};

/// Storage range of a `bits`-wide integer (1 <= bits <= 32). `narrow` drops
/// the most negative signed value so the range is symmetric (-127..127).
StorageRange getStorageRange(unsigned bits, bool isSigned, bool narrow = false);

/// Scale and zero point of a uniform quantization.
struct QuantParams {
  double scale;
  int64_t zeroPoint;
};

/// Chooses the scale and zero point that map the real interval [lo, hi] onto
/// `bits`-wide storage. The interval is first widened to contain 0 so that
/// real zero is exactly representable (zero padding, ReLU).
///
/// * symmetric: zero point 0; signed storage uses the narrow range, so
///   scale = max(|lo|, |hi|) / (2^(bits-1) - 1); unsigned storage requires
///   lo >= 0 and scale = hi / (2^bits - 1).
/// * asymmetric: scale = (hi - lo) / (qmax - qmin); the zero point is derived
///   from whichever end of the interval gives the smaller rounding error
///   (gemmlowp's ChooseQuantizationParams), rounded half away from zero and
///   clamped to [qmin, qmax].
///
/// A degenerate interval [0, 0] gets scale 1. Fails, with a message, for
/// non-finite bounds, lo > hi, unsupported widths, or a signed/unsigned
/// combination that cannot hold the interval.
llvm::Expected<QuantParams> chooseQuantParams(double lo, double hi,
                                              unsigned bits, bool isSigned,
                                              bool symmetric);

/// A real multiplier M represented as `multiplier * 2^(shift - 31)` with
/// `multiplier` in [2^30, 2^31) (Q31) or 0.
struct FixedPointMultiplier {
  int32_t multiplier;
  int32_t shift;
  bool operator==(const FixedPointMultiplier &other) const {
    return multiplier == other.multiplier && shift == other.shift;
  }
};

/// TFLite's QuantizeMultiplier: frexp, round half away from zero to Q31,
/// renormalize when rounding reaches 2^31; a multiplier below 2^-32 flushes
/// to {0, 0}, and one of 2^30 or more saturates to {2^31 - 1, 30}.
/// Fails for negative, NaN or infinite inputs; 0 gives {0, 0}.
llvm::Expected<FixedPointMultiplier> quantizeMultiplier(double real);

/// The real value `multiplier * 2^(shift - 31)` (exact in double).
double toDouble(FixedPointMultiplier fixedPoint);

//===----------------------------------------------------------------------===//
// Requantization arithmetic: the reference semantics of #qa.rounding, which
// every lowering must reproduce bit for bit.
//===----------------------------------------------------------------------===//

/// round(a * b / 2^31), ties toward +infinity, saturating the one overflow
/// (INT32_MIN * INT32_MIN) to INT32_MAX: gemmlowp's
/// SaturatingRoundingDoublingHighMul.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// round(x / 2^exponent), ties away from zero, 0 <= exponent <= 31:
/// gemmlowp's RoundingDivideByPOT.
int32_t roundingDivideByPowerOfTwo(int32_t x, int exponent);

/// `tflite_double`: TFLite's MultiplyByQuantizedMultiplier,
/// RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^max(shift, 0),
/// multiplier), max(-shift, 0)). The left shift wraps in two's complement
/// (TFLite's overflow is undefined; no valid requantization reaches it).
int32_t multiplyByQuantizedMultiplier(int32_t x, FixedPointMultiplier m);

/// `tflite_single`: TFLite's single-rounding variant, one rounding of the
/// exact product: round(x * multiplier / 2^(31 - shift)), ties toward
/// +infinity, saturated to int32.
int32_t multiplyByQuantizedMultiplierSingleRounding(int32_t x,
                                                    FixedPointMultiplier m);

/// `half_even`: ONNX QLinearMatMul/QLinearConv as ONNX Runtime computes it:
/// float(x) * multiplier in float32, rounded half to even, saturated to
/// int32.
int32_t multiplyRoundHalfEven(int32_t x, float multiplier);

} // namespace mlir::qa

#endif // QUANTAWARE_DIALECT_QA_IR_QUANTIZATIONUTILS_H
