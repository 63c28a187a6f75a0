//===- AccumulatorBounds.cpp - Integer accumulator proofs -----------------===//
//
// All arithmetic is done in 128 bits and saturated to int64 on return, so a
// huge bound reads as "does not fit" instead of wrapping.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/AccumulatorBounds.h"

#include <algorithm>
#include <cassert>
#include <limits>

using namespace mlir;
using namespace mlir::qa;

using Wide = __int128;

static int64_t saturate(Wide value) {
  constexpr Wide lo = std::numeric_limits<int64_t>::min();
  constexpr Wide hi = std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(std::clamp(value, lo, hi));
}

/// Extremes of a * w for a in `activations` and a fixed w.
static std::pair<Wide, Wide> productBound(IntInterval activations, Wide w) {
  Wide a = w * activations.min, b = w * activations.max;
  return {std::min(a, b), std::max(a, b)};
}

bool IntInterval::fitsSigned(unsigned bits) const {
  assert(bits >= 1 && bits <= 64 && "bad width");
  StorageRange range = getStorageRange(std::min(bits, 32u), true);
  if (bits > 32) {
    Wide limit = Wide{1} << (bits - 1);
    return min >= -limit && max < limit &&
           min != std::numeric_limits<int64_t>::min() &&
           max != std::numeric_limits<int64_t>::max();
  }
  return min >= range.min && max <= range.max;
}

IntInterval mlir::qa::partialSumBound(IntInterval activations,
                                      ArrayRef<int64_t> weights) {
  // Any partial sum is a subset of the terms: its extremes take each term's
  // negative (or positive) part and skip the others.
  Wide lo = 0, hi = 0;
  for (int64_t weight : weights) {
    auto [termLo, termHi] = productBound(activations, weight);
    lo += std::min<Wide>(termLo, 0);
    hi += std::max<Wide>(termHi, 0);
  }
  return {saturate(lo), saturate(hi)};
}

IntInterval mlir::qa::partialSumBound(IntInterval activations,
                                      IntInterval weights, int64_t depth) {
  assert(depth >= 0 && "negative depth");
  auto [lo1, hi1] = productBound(activations, weights.min);
  auto [lo2, hi2] = productBound(activations, weights.max);
  Wide termLo = std::min<Wide>(std::min(lo1, lo2), 0);
  Wide termHi = std::max<Wide>(std::max(hi1, hi2), 0);
  return {saturate(termLo * depth), saturate(termHi * depth)};
}

bool mlir::qa::accumulationFits(IntInterval activations,
                                ArrayRef<int64_t> weights, unsigned bits) {
  return partialSumBound(activations, weights).fitsSigned(bits);
}

bool mlir::qa::pairSumsMaySaturateInt16(IntInterval activations,
                                        ArrayRef<int64_t> weights) {
  for (size_t k = 0; k < weights.size(); k += 2) {
    auto [lo, hi] = productBound(activations, weights[k]);
    if (k + 1 < weights.size()) {
      auto [lo2, hi2] = productBound(activations, weights[k + 1]);
      lo += lo2;
      hi += hi2;
    }
    if (lo < INT16_MIN || hi > INT16_MAX)
      return true;
  }
  return false;
}

bool mlir::qa::pairSumsMaySaturateInt16(IntInterval activations,
                                        IntInterval weights) {
  auto [lo1, hi1] = productBound(activations, weights.min);
  auto [lo2, hi2] = productBound(activations, weights.max);
  Wide lo = 2 * std::min(lo1, lo2), hi = 2 * std::max(hi1, hi2);
  return lo < INT16_MIN || hi > INT16_MAX;
}
