//===- Solver.h - Mixed-precision assignment under a budget -----*- C++ -*-===//
//
// The combinatorial core of qa-assign-precision: every layer has a few ways
// to be quantized (8/4/2-bit weights, 8/4-bit activations, ...), each with a
// cost (weight bits, estimated cycles) and an error contribution (output
// noise power when only that layer is quantized that way), additive over
// layers. Pick one candidate per layer, least total cost, total error within
// a budget: a multiple-choice knapsack with real-valued costs and errors,
// solved exactly by branch and bound.
//
// Totals are floating-point sums and are defined bit for bit, so results are
// reproducible and testable by brute force: the total cost (error) of an
// assignment is ((0 + c_0) + c_1) + ... + c_{n-1}, summed in layer order, and
// an assignment is feasible when that total error is <= the budget. The
// order of assignments is lexicographic on (total cost, total error,
// choice vector), so the answer is unique even with ties (equal-cost layers
// are common: identical blocks have identical weight counts).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_PRECISION_SOLVER_H
#define QUANTAWARE_PRECISION_SOLVER_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <vector>

namespace mlir::qa {

/// One way to quantize one layer.
struct PrecisionCandidate {
  double cost;  // >= 0 (bits or cycles)
  double error; // >= 0, additive over layers
};

/// One candidate index per layer, with its totals (summed in layer order).
struct PrecisionAssignment {
  std::vector<size_t> choice;
  double cost = 0, error = 0;
};

/// The assignment of least total cost whose total error is at most `budget`.
/// Exact for any instance and deterministic: among assignments of equal cost
/// the one of least error wins, then the lexicographically smallest `choice`.
/// Zero layers give the empty assignment (cost 0, error 0).
///
/// Fails with an llvm::Error, never asserts, when
///  - even the least-error assignment exceeds the budget (the message names
///    the least reachable total error and the budget; with totals summed in
///    layer order, summation is monotone, so that least error is the sum of
///    the per-layer minima and "infeasible" is decided exactly),
///  - the budget is NaN, some layer has no candidates, a cost or an error is
///    negative, NaN or infinite, or the costs or errors are so large that a
///    total overflows.
///
/// Method: depth-first branch and bound over layers in layer order, so the
/// partial sums of a search path are exactly the prefixes of its totals.
/// A candidate with both cost and error no less than one of smaller index is
/// dropped (swapping it for that one never makes an assignment worse).
/// Phase one finds the least (cost, error) totals: it starts from a greedy
/// solution of the LP relaxation rounded down to a feasible assignment, tries
/// candidates cheapest first (stable by index) and prunes every subtree
/// that provably holds no feasible assignment with smaller totals (equal
/// ones included). Phase two then walks candidates by index and stops at the
/// first assignment with those totals, the lexicographically smallest one;
/// a cost-first order would meet ties in the wrong order and could not stop
/// early. The bounds, both phases:
///  - the path's partial sum plus the per-layer minima of the remaining
///    layers, summed in the same order. Rounding to nearest is monotone, so
///    this is a lower bound of every completion's total in floating point,
///    not just in real arithmetic: exact, never lets a tie slip. It decides
///    feasibility (error bound > budget) exactly.
///  - the LP relaxation (lower convex hull of each layer's (error, cost)
///    points, filled greedily by cost saved per unit of error), the least
///    cost under an error limit or the least error under a cost limit. Far
///    tighter, but its arithmetic and the gap between real and
///    floating-point sums are inexact, so its limits are widened and its
///    result lowered by a relative 1e-9 of the magnitudes involved (rounding
///    is 1.1e-16 per operation; sound below ~10^6 layers x candidates).
///    When all costs (errors) are multiples of one power of two with totals
///    below 2^52 of it (bit counts, cycle counts), every sum is exact and the
///    bound is rounded up to a multiple of their greatest common divisor,
///    which makes it exact at ties too.
/// Thirty layers of ten candidates take about a millisecond on realistic
/// instances. Like any exact knapsack solver it is exponential in the worst
/// case; the known bad case is many layers with identical candidates whose
/// errors are not on a binary grid (0.1, 0.01): permutations then tie up to
/// rounding and the tie-break has to tell them apart one by one.
llvm::Expected<PrecisionAssignment>
solvePrecisionAssignment(ArrayRef<SmallVector<PrecisionCandidate>> layers,
                         double budget);

/// The assignment of least total error (ties: least cost, then smallest
/// choice), found by the same exact search with the roles of cost and error
/// swapped. Its error is the least reachable total error. Requires valid
/// candidates (as checked by solvePrecisionAssignment): a layer without
/// candidates or a negative or non-finite value is a programming error.
PrecisionAssignment
leastErrorAssignment(ArrayRef<SmallVector<PrecisionCandidate>> layers);

} // namespace mlir::qa

#endif // QUANTAWARE_PRECISION_SOLVER_H
