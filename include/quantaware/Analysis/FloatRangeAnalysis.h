//===- FloatRangeAnalysis.h - Sound float value ranges ----------*- C++ -*-===//
//
// A sparse forward dataflow analysis that bounds every float value of a
// graph in tosa, linalg-on-tensors, tensor, arith and math by a closed
// interval. Sources: `qa.range` on function arguments, constants, and
// calibrated `qa.range` attributes where no static bound exists.
//
// Usage (load DeadCodeAnalysis and SparseConstantPropagation too, or the
// solver never visits anything):
//
//   DataFlowSolver solver;
//   loadFloatRangeAnalysis(solver);
//   if (failed(solver.initializeAndRun(func))) ...
//   const FloatRange &range = getFloatRange(solver, value);
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_ANALYSIS_FLOATRANGEANALYSIS_H
#define QUANTAWARE_ANALYSIS_FLOATRANGEANALYSIS_H

#include "quantaware/Analysis/FloatInterval.h"

#include "mlir/Analysis/DataFlow/SparseAnalysis.h"
#include "llvm/ADT/SetVector.h"

#include <optional>

namespace mlir::qa {

/// The lattice value: uninitialized, or an interval that is either proven
/// (holds for every input satisfying the argument ranges) or calibrated
/// (derived from observed data somewhere upstream).
class FloatRange {
public:
  FloatRange() = default;
  FloatRange(FloatInterval interval, bool proven)
      : interval(interval), proven(proven) {}
  static FloatRange unbounded() { return {FloatInterval::unbounded(), true}; }

  bool isUninitialized() const { return !interval.has_value(); }
  const FloatInterval &getInterval() const { return *interval; }
  bool isProven() const { return proven; }

  static FloatRange join(const FloatRange &lhs, const FloatRange &rhs);
  bool operator==(const FloatRange &other) const {
    return interval == other.interval && proven == other.proven;
  }
  void print(raw_ostream &os) const;

private:
  std::optional<FloatInterval> interval;
  bool proven = true;
};

/// A float range attached to a value. Block arguments that keep growing
/// (loop-carried values) are widened to infinity so the analysis terminates.
class FloatRangeLattice : public dataflow::Lattice<FloatRange> {
public:
  using Lattice::Lattice;
  using Lattice::join;
  /// Joins from control-flow predecessors, widening growing block arguments.
  ChangeResult join(const AbstractSparseLattice &rhs) override;

private:
  unsigned growths = 0;
};

class FloatRangeAnalysis
    : public dataflow::SparseForwardDataFlowAnalysis<FloatRangeLattice> {
public:
  using SparseForwardDataFlowAnalysis::SparseForwardDataFlowAnalysis;

  /// Function arguments take their `qa.range` attribute; anything else that
  /// enters from outside is unbounded.
  void setToEntryState(FloatRangeLattice *lattice) override;

  LogicalResult visitOperation(Operation *op,
                               ArrayRef<const FloatRangeLattice *> operands,
                               ArrayRef<FloatRangeLattice *> results) override;

  /// Ops with float results that have no transfer function, in the order
  /// first seen; for a linalg op, the body op that has none. The results
  /// they feed were set unbounded.
  ArrayRef<Operation *> getUnsupportedOps() const {
    return unsupported.getArrayRef();
  }

private:
  llvm::SetVector<Operation *> unsupported;
};

/// Loads FloatRangeAnalysis with the analyses it depends on.
FloatRangeAnalysis *loadFloatRangeAnalysis(DataFlowSolver &solver);

/// The range the solver computed for `value` (uninitialized if never
/// reached, e.g. in dead code).
FloatRange getFloatRange(const DataFlowSolver &solver, Value value);

} // namespace mlir::qa

#endif // QUANTAWARE_ANALYSIS_FLOATRANGEANALYSIS_H
