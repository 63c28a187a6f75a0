//===- QuantizationUtils.cpp - Storage ranges, scales, multipliers --------===//
//
// Implements the shared numeric helpers. Each rounding here is part of the
// numerics contract and tested against independent references.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QuantizationUtils.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::qa;

StorageRange mlir::qa::getStorageRange(unsigned bits, bool isSigned,
                                       bool narrow) {
  assert(bits >= 1 && bits <= 32 && "storage width out of range");
  if (!isSigned)
    return {0, static_cast<int64_t>((uint64_t{1} << bits) - 1)};
  int64_t max = (int64_t{1} << (bits - 1)) - 1;
  return {narrow ? -max : -max - 1, max};
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<QuantParams> mlir::qa::chooseQuantParams(double lo, double hi,
                                                        unsigned bits,
                                                        bool isSigned,
                                                        bool symmetric) {
  if (!std::isfinite(lo) || !std::isfinite(hi))
    return makeError(llvm::formatv("range [{0}, {1}] is not finite", lo, hi));
  if (lo > hi)
    return makeError(llvm::formatv("range [{0}, {1}] has lo > hi", lo, hi));
  if (bits < 2 || bits > 16)
    return makeError(llvm::formatv(
        "uniform quantization needs 2 to 16 bits, got {0}", bits));
  if (!isSigned && symmetric && lo < 0)
    return makeError(llvm::formatv(
        "unsigned symmetric quantization cannot hold negative range [{0}, {1}]",
        lo, hi));

  // Real zero must be exactly representable.
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (lo == 0.0 && hi == 0.0)
    return QuantParams{1.0, 0};

  StorageRange storage = getStorageRange(bits, isSigned, /*narrow=*/symmetric);
  auto qmin = static_cast<double>(storage.min);
  auto qmax = static_cast<double>(storage.max);
  if (symmetric) {
    double bound = isSigned ? std::max(-lo, hi) : hi;
    return QuantParams{bound / qmax, 0};
  }

  double scale = (hi - lo) / (qmax - qmin);
  double zeroFromMin = qmin - lo / scale;
  double zeroFromMax = qmax - hi / scale;
  double errorFromMin = std::abs(qmin) + std::abs(lo / scale);
  double errorFromMax = std::abs(qmax) + std::abs(hi / scale);
  double zero = errorFromMin < errorFromMax ? zeroFromMin : zeroFromMax;
  // std::round rounds half away from zero.
  double nudged = std::clamp(std::round(zero), qmin, qmax);
  return QuantParams{scale, static_cast<int64_t>(nudged)};
}

llvm::Expected<FixedPointMultiplier>
mlir::qa::quantizeMultiplier(double real) {
  if (!std::isfinite(real) || real < 0)
    return makeError(llvm::formatv(
        "requantization multiplier {0} is not a finite non-negative number",
        real));
  if (real == 0)
    return FixedPointMultiplier{0, 0};

  int shift = 0;
  double fraction = std::frexp(real, &shift); // in [0.5, 1)
  auto fixed = static_cast<int64_t>(std::round(fraction * (int64_t{1} << 31)));
  if (fixed == (int64_t{1} << 31)) {
    fixed /= 2;
    ++shift;
  }
  // Shifting right by more than 31 would clear every bit: flush to zero.
  if (shift < -31)
    return FixedPointMultiplier{0, 0};
  // A left shift above 30 overflows the rounding shift: saturate.
  if (shift > 30)
    return FixedPointMultiplier{INT32_MAX, 30};
  return FixedPointMultiplier{static_cast<int32_t>(fixed), shift};
}

double mlir::qa::toDouble(FixedPointMultiplier fixedPoint) {
  return std::ldexp(static_cast<double>(fixedPoint.multiplier),
                    fixedPoint.shift - 31);
}

//===----------------------------------------------------------------------===//
// Requantization arithmetic
//===----------------------------------------------------------------------===//

/// floor(value / 2^shift) of a 64-bit value (arithmetic shift).
static int64_t floorShift(int64_t value, int shift) { return value >> shift; }

static int32_t saturateToInt32(int64_t value) {
  return static_cast<int32_t>(
      std::clamp<int64_t>(value, INT32_MIN, INT32_MAX));
}

int32_t mlir::qa::saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN)
    return INT32_MAX;
  // Adding half of 2^31 before flooring rounds ties toward +infinity.
  int64_t product = static_cast<int64_t>(a) * b;
  return static_cast<int32_t>(floorShift(product + (int64_t{1} << 30), 31));
}

int32_t mlir::qa::roundingDivideByPowerOfTwo(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31 && "exponent out of range");
  if (exponent == 0)
    return x;
  // Round the magnitude half up, then restore the sign: ties away from 0.
  int64_t magnitude = std::abs(static_cast<int64_t>(x));
  int64_t rounded = (magnitude + (int64_t{1} << (exponent - 1))) >> exponent;
  return static_cast<int32_t>(x < 0 ? -rounded : rounded);
}

int32_t mlir::qa::multiplyByQuantizedMultiplier(int32_t x,
                                                FixedPointMultiplier m) {
  int leftShift = std::max(m.shift, 0);
  int rightShift = std::max(-m.shift, 0);
  auto shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << leftShift);
  return roundingDivideByPowerOfTwo(
      saturatingRoundingDoublingHighMul(shifted, m.multiplier), rightShift);
}

int32_t mlir::qa::multiplyByQuantizedMultiplierSingleRounding(
    int32_t x, FixedPointMultiplier m) {
  assert(m.shift >= -31 && m.shift <= 30 && "shift out of range");
  int totalShift = 31 - m.shift;
  // |x * multiplier| < 2^62: the rounding term cannot overflow int64.
  int64_t product = static_cast<int64_t>(x) * m.multiplier;
  return saturateToInt32(
      floorShift(product + (int64_t{1} << (totalShift - 1)), totalShift));
}

int32_t mlir::qa::multiplyRoundHalfEven(int32_t x, float multiplier) {
  float scaled = static_cast<float>(x) * multiplier;
  // nearbyint rounds ties to even in the default rounding mode.
  float rounded = std::nearbyint(scaled);
  if (!(rounded > static_cast<float>(INT32_MIN)))
    return INT32_MIN;
  if (!(rounded < static_cast<float>(INT32_MAX)))
    return INT32_MAX;
  return static_cast<int32_t>(rounded);
}
