//===- Solver.cpp - Mixed-precision assignment by branch and bound --------===//
//
// Implements the specification in Solver.h; keep the two in step. The
// search is written once over a primary key (minimized first) and a
// secondary key (minimized second, and bounded by the budget): cost and
// error for solvePrecisionAssignment, error and cost (with no budget) for
// leastErrorAssignment.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Precision/Solver.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <climits>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

using namespace mlir;
using namespace mlir::qa;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The shortest text that reads back as `value`, so messages name the exact
/// numbers the solver compared.
std::string formatDouble(double value) {
  char buffer[64];
  std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Checks what Solver.h promises to reject, except the budget.
llvm::Error validate(ArrayRef<SmallVector<PrecisionCandidate>> layers) {
  auto isValid = [](double value) {
    return std::isfinite(value) && value >= 0;
  };
  double maxCost = 0, maxError = 0;
  for (auto [j, layer] : llvm::enumerate(layers)) {
    if (layer.empty())
      return makeError(llvm::formatv("layer {0} has no candidates", j));
    double layerCost = 0, layerError = 0;
    for (auto [i, candidate] : llvm::enumerate(layer)) {
      if (!isValid(candidate.cost) || !isValid(candidate.error))
        return makeError(llvm::formatv(
            "layer {0} candidate {1} has cost {2} and error {3}; both must "
            "be finite and >= 0",
            j, i, formatDouble(candidate.cost), formatDouble(candidate.error)));
      layerCost = std::max(layerCost, candidate.cost);
      layerError = std::max(layerError, candidate.error);
    }
    maxCost += layerCost;
    maxError += layerError;
  }
  // Summation is monotone: when the sum of the per-layer maxima is finite,
  // every total is.
  if (!std::isfinite(maxCost) || !std::isfinite(maxError))
    return makeError("the total cost or error of some assignment overflows");
  return llvm::Error::success();
}

/// Relative slack for the rounding in the LP bounds and for the difference
/// between real and floating-point totals: each operation errs by at most
/// 2^-53 of the magnitudes involved, and a bound takes fewer than 10^6.
constexpr double kMargin = 1e-9;
/// Absolute slack for subnormal results, whose rounding is not relative.
constexpr double kTiny = std::numeric_limits<double>::min();

/// A `step` such that every total of one value per layer is computed exactly
/// and is a multiple of `step`, or 0 when there is none: the values are
/// integer multiples of a power of two `unit`, `step` is their greatest
/// common divisor, and the largest total (`maxTotal`, the sum of the
/// per-layer maxima) is below 2^52 units, so every partial sum is exact and
/// rounding a bound up to a multiple of `step` is exact too.
double exactStep(ArrayRef<SmallVector<double>> values, double maxTotal) {
  int lowestBit = INT_MAX;
  for (ArrayRef<double> layer : values) {
    for (double value : layer) {
      if (value == 0)
        continue;
      int exponent;
      double mantissa = std::frexp(value, &exponent);
      auto bits = static_cast<uint64_t>(std::ldexp(mantissa, 53));
      lowestBit = std::min(lowestBit, exponent - 53 + llvm::countr_zero(bits));
    }
  }
  if (lowestBit == INT_MAX)
    return 0;
  double unit = std::ldexp(1.0, lowestBit);
  // Once an exact partial sum reaches 2^52 units its rounded value does too
  // (rounding is monotone), so this test on the rounded total is exact.
  if (!(maxTotal < std::ldexp(unit, 52)))
    return 0;
  uint64_t divisor = 0;
  for (ArrayRef<double> layer : values)
    for (double value : layer)
      divisor = std::gcd(divisor, static_cast<uint64_t>(value / unit));
  return static_cast<double>(divisor) * unit;
}

/// The least multiple of `step` that is >= `value` (at most that: a
/// quotient just above an integer may round down to it), or `value` itself
/// when `step` is 0.
double roundUpTo(double value, double step) {
  if (step == 0 || !std::isfinite(value))
    return value;
  return std::ceil(value / step) * step;
}

/// One edge of a layer's lower convex hull in the (secondary, primary)
/// plane: moving from candidate `from` to `to` raises the secondary by
/// `secondaryUp` and saves `primarySaved`, at `rate` = saved / up.
struct HullSegment {
  size_t layer, from, to;
  double secondaryUp, primarySaved, rate;
};

/// Branch and bound minimizing (primary total, secondary total, choice)
/// lexicographically subject to secondary total <= budget. The caller checks
/// that the input is valid and that some assignment is feasible.
class Search {
public:
  Search(ArrayRef<SmallVector<PrecisionCandidate>> layers, bool costIsPrimary,
         double budget);

  PrecisionAssignment run();

private:
  void buildHulls();
  void findIncumbent();
  void improve(size_t depth, double primary, double secondary);
  bool findFirst(size_t depth, double primary, double secondary);
  double primaryLowerBound(size_t depth, double primary, double secondary,
                           double secondaryLimit) const;
  double secondaryLowerBound(size_t depth, double primary, double secondary,
                             double primaryLimit) const;
  double lpLeastPrimary(size_t depth, double secondaryRoom) const;
  double lpLeastSecondary(size_t depth, double primaryRoom) const;
  double secondaryTotal(ArrayRef<size_t> choice) const;
  double primaryTotal(ArrayRef<size_t> choice) const;

  size_t numLayers;
  bool costIsPrimary;
  double budget;
  SmallVector<SmallVector<double>> primaryOf, secondaryOf;
  SmallVector<double> minPrimary, minSecondary;
  /// The candidates that can be part of the answer (see the constructor),
  /// by index and by primary value.
  SmallVector<SmallVector<size_t>> byIndex, byPrimary;

  // The LP relaxation: hull segments of every layer by decreasing rate, and
  // suffix sums (over layers >= depth) at the least-secondary end of each
  // hull ("start") and of the least primaries ("end").
  bool useLp = true;
  std::vector<HullSegment> segments;
  SmallVector<size_t> hullStart;
  SmallVector<double> startPrimaryFrom, startSecondaryFrom, endPrimaryFrom;
  double primaryStep = 0, secondaryStep = 0;

  std::vector<size_t> path;
  double bestPrimary = kInfinity, bestSecondary = kInfinity;
};

Search::Search(ArrayRef<SmallVector<PrecisionCandidate>> layers,
               bool costIsPrimary, double budget)
    : numLayers(layers.size()), costIsPrimary(costIsPrimary), budget(budget) {
  double maxPrimary = 0, maxSecondary = 0;
  for (ArrayRef<PrecisionCandidate> layer : layers) {
    SmallVector<double> &primary = primaryOf.emplace_back();
    SmallVector<double> &secondary = secondaryOf.emplace_back();
    for (const PrecisionCandidate &candidate : layer) {
      primary.push_back(costIsPrimary ? candidate.cost : candidate.error);
      secondary.push_back(costIsPrimary ? candidate.error : candidate.cost);
    }
    minPrimary.push_back(*llvm::min_element(primary));
    minSecondary.push_back(*llvm::min_element(secondary));
    maxPrimary += *llvm::max_element(primary);
    maxSecondary += *llvm::max_element(secondary);

    // A candidate no better in either value than one of smaller index is
    // never part of the answer: swapping it for that one keeps both totals
    // or lowers them (summation is monotone) and makes the choice smaller.
    SmallVector<size_t> &kept = byIndex.emplace_back();
    for (size_t i = 0; i < layer.size(); ++i) {
      bool dominated = llvm::any_of(llvm::seq<size_t>(0, i), [&](size_t k) {
        return primary[k] <= primary[i] && secondary[k] <= secondary[i];
      });
      if (!dominated)
        kept.push_back(i);
    }
    SmallVector<size_t> &order = byPrimary.emplace_back(kept);
    llvm::stable_sort(
        order, [&](size_t a, size_t b) { return primary[a] < primary[b]; });
  }
  primaryStep = exactStep(primaryOf, maxPrimary);
  secondaryStep = exactStep(secondaryOf, maxSecondary);
  buildHulls();
}

void Search::buildHulls() {
  hullStart.resize(numLayers);
  startPrimaryFrom.assign(numLayers + 1, 0);
  startSecondaryFrom.assign(numLayers + 1, 0);
  endPrimaryFrom.assign(numLayers + 1, 0);
  for (size_t j = 0; j < numLayers; ++j) {
    ArrayRef<double> primary = primaryOf[j], secondary = secondaryOf[j];
    SmallVector<size_t> bySecondary(primary.size());
    std::iota(bySecondary.begin(), bySecondary.end(), 0);
    llvm::stable_sort(bySecondary, [&](size_t a, size_t b) {
      return secondary[a] < secondary[b] ||
             (secondary[a] == secondary[b] && primary[a] < primary[b]);
    });
    auto rate = [&](size_t from, size_t to) {
      return (primary[from] - primary[to]) / (secondary[to] - secondary[from]);
    };
    // The Pareto front by increasing secondary (so strictly decreasing
    // primary), keeping only points where the rate strictly decreases. The
    // LP below relies on that ordering of the computed rates; a point lost
    // to rounding here moves the bound far less than its margin.
    SmallVector<size_t> hull;
    for (size_t i : bySecondary) {
      if (!hull.empty() && !(primary[i] < primary[hull.back()]))
        continue;
      while (hull.size() >= 2 &&
             !(rate(hull[hull.size() - 2], hull.back()) > rate(hull.back(), i)))
        hull.pop_back();
      hull.push_back(i);
    }
    // The first point is never popped.
    hullStart[j] = bySecondary.front();
    for (size_t k = 0; k + 1 < hull.size(); ++k) {
      size_t from = hull[k], to = hull[k + 1];
      HullSegment segment{j,
                          from,
                          to,
                          secondary[to] - secondary[from],
                          primary[from] - primary[to],
                          rate(from, to)};
      if (!std::isfinite(segment.rate))
        useLp = false;
      segments.push_back(segment);
    }
  }
  // Equal rates keep layer and hull order, so each layer's segments are
  // taken in hull order.
  llvm::stable_sort(segments, [](const HullSegment &a, const HullSegment &b) {
    return a.rate > b.rate;
  });
  for (size_t j = numLayers; j-- > 0;) {
    startPrimaryFrom[j] = startPrimaryFrom[j + 1] + primaryOf[j][hullStart[j]];
    startSecondaryFrom[j] =
        startSecondaryFrom[j + 1] + secondaryOf[j][hullStart[j]];
    endPrimaryFrom[j] = endPrimaryFrom[j + 1] + minPrimary[j];
  }
}

double Search::primaryTotal(ArrayRef<size_t> choice) const {
  double total = 0;
  for (size_t j = 0; j < numLayers; ++j)
    total += primaryOf[j][choice[j]];
  return total;
}

double Search::secondaryTotal(ArrayRef<size_t> choice) const {
  double total = 0;
  for (size_t j = 0; j < numLayers; ++j)
    total += secondaryOf[j][choice[j]];
  return total;
}

/// Greedy on the LP relaxation, rounded down: start from the least-secondary
/// hull points (feasible whenever anything is), then take hull segments by
/// decreasing rate while the budget allows.
void Search::findIncumbent() {
  std::vector<size_t> choice(hullStart.begin(), hullStart.end());
  for (const HullSegment &segment : segments) {
    if (choice[segment.layer] != segment.from)
      continue;
    choice[segment.layer] = segment.to;
    if (secondaryTotal(choice) > budget)
      choice[segment.layer] = segment.from;
  }
  bestPrimary = primaryTotal(choice);
  bestSecondary = secondaryTotal(choice);
  assert(bestSecondary <= budget && "the caller checks feasibility");
}

/// The LP relaxation's least primary sum over layers >= `depth` when their
/// secondary sum may be at most `secondaryRoom`, up to rounding; infinity
/// when even the least-secondary points exceed it. Walks the hulls from
/// their least-secondary ends.
double Search::lpLeastPrimary(size_t depth, double secondaryRoom) const {
  if (startSecondaryFrom[depth] > secondaryRoom)
    return kInfinity;
  double value = startPrimaryFrom[depth];
  double room = secondaryRoom - startSecondaryFrom[depth];
  for (const HullSegment &segment : segments) {
    if (segment.layer < depth)
      continue;
    if (!(segment.secondaryUp <= room))
      return value - segment.primarySaved * (room / segment.secondaryUp);
    value -= segment.primarySaved;
    room -= segment.secondaryUp;
  }
  return value;
}

/// The LP relaxation's least secondary sum over layers >= `depth` when their
/// primary sum may be at most `primaryRoom`, up to rounding; infinity when
/// even the least primaries exceed it. Walks the same path as
/// lpLeastPrimary, adding up secondaries, which stay accurate relative to
/// the result (no cancellation).
double Search::lpLeastSecondary(size_t depth, double primaryRoom) const {
  double excess = startPrimaryFrom[depth] - primaryRoom;
  double value = startSecondaryFrom[depth];
  if (!(excess > 0))
    return value;
  if (endPrimaryFrom[depth] > primaryRoom)
    return kInfinity;
  for (const HullSegment &segment : segments) {
    if (segment.layer < depth)
      continue;
    if (!(segment.primarySaved < excess))
      return value + segment.secondaryUp * (excess / segment.primarySaved);
    value += segment.secondaryUp;
    excess -= segment.primarySaved;
  }
  return value;
}

/// A lower bound of the primary total of every assignment extending
/// `path[0, depth)`, whose partial sums are `primary` and `secondary`, with
/// a secondary total <= `secondaryLimit`; infinity when there is none.
double Search::primaryLowerBound(size_t depth, double primary, double secondary,
                                 double secondaryLimit) const {
  // Exact bounds: the partial sums plus the remaining minima, summed in the
  // order of the totals, are at most any completion's totals.
  double secondaryLow = secondary;
  for (size_t j = depth; j < numLayers; ++j)
    secondaryLow += minSecondary[j];
  if (secondaryLow > secondaryLimit)
    return kInfinity;
  double low = primary;
  for (size_t j = depth; j < numLayers; ++j)
    low += minPrimary[j];
  if (!useLp)
    return low;
  // The LP bound: widen the room for the rounding of the completions'
  // totals and of the LP's own sums, lower the result for the same.
  double room = secondaryLimit - secondary +
                kMargin * (std::abs(secondaryLimit) + secondary +
                           startSecondaryFrom[depth]);
  double lp = lpLeastPrimary(depth, room);
  double lpLow =
      primary + lp - 2 * kMargin * (primary + startPrimaryFrom[depth]) - kTiny;
  return std::max(low, roundUpTo(lpLow, primaryStep));
}

/// A lower bound of the secondary total of every assignment extending
/// `path[0, depth)` with a primary total <= `primaryLimit`; infinity when
/// there is none.
double Search::secondaryLowerBound(size_t depth, double primary,
                                   double secondary,
                                   double primaryLimit) const {
  double primaryLow = primary;
  for (size_t j = depth; j < numLayers; ++j)
    primaryLow += minPrimary[j];
  if (primaryLow > primaryLimit)
    return kInfinity;
  double low = secondary;
  for (size_t j = depth; j < numLayers; ++j)
    low += minSecondary[j];
  if (!useLp)
    return low;
  double room =
      primaryLimit - primary +
      kMargin * (std::abs(primaryLimit) + primary + startPrimaryFrom[depth]);
  double lp = lpLeastSecondary(depth, room);
  double lpLow = (secondary + lp) * (1 - 2 * kMargin) - kTiny;
  return std::max(low, roundUpTo(lpLow, secondaryStep));
}

/// Phase one: the least (primary, secondary) totals, cheapest candidates
/// first. Prunes every subtree that cannot beat the incumbent's totals, ties
/// included.
void Search::improve(size_t depth, double primary, double secondary) {
  if (depth == numLayers) {
    if (secondary <= budget &&
        (primary < bestPrimary ||
         (primary == bestPrimary && secondary < bestSecondary))) {
      bestPrimary = primary;
      bestSecondary = secondary;
    }
    return;
  }
  double primaryLow = primaryLowerBound(depth, primary, secondary, budget);
  if (primaryLow > bestPrimary)
    return;
  // Only completions of exactly the incumbent's primary total could tie.
  if (primaryLow == bestPrimary &&
      secondaryLowerBound(depth, primary, secondary, bestPrimary) >=
          bestSecondary)
    return;
  for (size_t i : byPrimary[depth])
    improve(depth + 1, primary + primaryOf[depth][i],
            secondary + secondaryOf[depth][i]);
}

/// Phase two: the first choice vector in lexicographic order whose totals
/// are the optimal ones (an assignment with a primary total <= the optimum
/// and a secondary total <= its own has exactly those totals); true when
/// found below `path[0, depth)`.
bool Search::findFirst(size_t depth, double primary, double secondary) {
  if (depth == numLayers)
    return primary == bestPrimary && secondary == bestSecondary;
  if (primaryLowerBound(depth, primary, secondary, bestSecondary) >
          bestPrimary ||
      secondaryLowerBound(depth, primary, secondary, bestPrimary) >
          bestSecondary)
    return false;
  for (size_t i : byIndex[depth]) {
    path[depth] = i;
    if (findFirst(depth + 1, primary + primaryOf[depth][i],
                  secondary + secondaryOf[depth][i]))
      return true;
  }
  return false;
}

PrecisionAssignment Search::run() {
  findIncumbent();
  improve(0, 0, 0);
  path.assign(numLayers, 0);
  [[maybe_unused]] bool found = findFirst(0, 0, 0);
  assert(found && "phase one's optimum is an assignment");
  PrecisionAssignment result;
  result.choice = path;
  result.cost = costIsPrimary ? bestPrimary : bestSecondary;
  result.error = costIsPrimary ? bestSecondary : bestPrimary;
  return result;
}

} // namespace

llvm::Expected<PrecisionAssignment> mlir::qa::solvePrecisionAssignment(
    ArrayRef<SmallVector<PrecisionCandidate>> layers, double budget) {
  if (std::isnan(budget))
    return makeError("the error budget is NaN");
  if (llvm::Error error = validate(layers))
    return std::move(error);
  // The least total error is the sum of the per-layer minima (summation is
  // monotone), so this decides feasibility exactly.
  double leastError = 0;
  for (ArrayRef<PrecisionCandidate> layer : layers)
    leastError += llvm::min_element(layer, [](const PrecisionCandidate &a,
                                              const PrecisionCandidate &b) {
                    return a.error < b.error;
                  })->error;
  if (leastError > budget)
    return makeError("no precision assignment meets the error budget " +
                     formatDouble(budget) +
                     ": the least reachable total error is " +
                     formatDouble(leastError));
  return Search(layers, /*costIsPrimary=*/true, budget).run();
}

PrecisionAssignment mlir::qa::leastErrorAssignment(
    ArrayRef<SmallVector<PrecisionCandidate>> layers) {
  assert(!llvm::errorToBool(validate(layers)) &&
         "invalid candidates; solvePrecisionAssignment reports why");
  return Search(layers, /*costIsPrimary=*/false, kInfinity).run();
}
