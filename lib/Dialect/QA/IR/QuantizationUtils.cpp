//===- QuantizationUtils.cpp - Storage ranges, scales, multipliers --------===//
//
// Implements the shared numeric helpers. Each rounding here is part of the
// numerics contract and tested against independent references.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QuantizationUtils.h"

#include "llvm/Support/FormatVariadic.h"

#include <cassert>
#include <cmath>

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
