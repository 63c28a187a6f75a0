//===- AccumulatorBounds.h - Integer accumulator proofs ---------*- C++ -*-===//
//
// Questions the integer lowering and the precision pass ask before choosing
// a narrow accumulator or a faster instruction: can this accumulation fit in
// i16? can these u8 x s8 pair sums saturate int16 (AVX2 vpmaddubsw)? The
// answers are proofs over intervals of stored integers (storage ranges, or
// ranges from upstream IntegerRangeAnalysis), exact when weights are known.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_ANALYSIS_ACCUMULATORBOUNDS_H
#define QUANTAWARE_ANALYSIS_ACCUMULATORBOUNDS_H

#include "quantaware/Dialect/QA/IR/QuantizationUtils.h"

#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir::qa {

/// Inclusive interval of integers. Bounds saturate at the int64 limits,
/// which no fits-check below then accepts.
struct IntInterval {
  int64_t min;
  int64_t max;

  static IntInterval of(StorageRange range) { return {range.min, range.max}; }
  /// True when every value fits a signed `bits`-wide integer.
  bool fitsSigned(unsigned bits) const;
  bool operator==(const IntInterval &other) const {
    return min == other.min && max == other.max;
  }
};

/// Bound of every partial sum, in any order, of sum_k a_k * w_k with a_k in
/// `activations` and the known weights `weights` (one output channel).
/// Because it covers every order, a lowering may reorder the sum freely.
IntInterval partialSumBound(IntInterval activations, ArrayRef<int64_t> weights);

/// Same, when only an interval of the `depth` weights is known.
IntInterval partialSumBound(IntInterval activations, IntInterval weights,
                            int64_t depth);

/// True when the accumulation of one output channel never leaves a signed
/// `bits`-wide accumulator, whatever the summation order.
bool accumulationFits(IntInterval activations, ArrayRef<int64_t> weights,
                      unsigned bits);

/// vpmaddubsw multiplies u8 x s8 and adds adjacent pairs (k = 2i, 2i+1)
/// with int16 saturation. True when some pair sum may leave
/// [-32768, 32767], so the fast path could be wrong. An odd trailing weight
/// pairs with a zero.
bool pairSumsMaySaturateInt16(IntInterval activations,
                              ArrayRef<int64_t> weights);

/// Same, when only an interval of the weights is known.
bool pairSumsMaySaturateInt16(IntInterval activations, IntInterval weights);

} // namespace mlir::qa

#endif // QUANTAWARE_ANALYSIS_ACCUMULATORBOUNDS_H
