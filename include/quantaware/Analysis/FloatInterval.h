//===- FloatInterval.h - Sound real intervals with directed rounding -*- C++ -*-===//
//
// Closed real intervals [lo, hi] (bounds may be infinite) and the transfer
// functions of the ops QuantAware's range analysis understands. Bounds hold
// for exact real arithmetic: every bound is computed in double and rounded
// outward only when the operation was inexact (error-free transforms), so
// exactly representable results stay exact and inexact ones stay sound.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_ANALYSIS_FLOATINTERVAL_H
#define QUANTAWARE_ANALYSIS_FLOATINTERVAL_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace mlir::qa {

/// Directed-rounding arithmetic on doubles: the result of `Down` is <= the
/// exact result, the result of `Up` is >= it. 0 * inf is 0 (bounds describe
/// finite reals).
namespace directed {
double addDown(double a, double b);
double addUp(double a, double b);
double mulDown(double a, double b);
double mulUp(double a, double b);
/// Requires b != 0.
double divDown(double a, double b);
double divUp(double a, double b);
} // namespace directed

class FloatInterval {
public:
  /// Requires lo <= hi (either may be infinite), neither NaN.
  FloatInterval(double lo, double hi);
  static FloatInterval point(double value) { return {value, value}; }
  static FloatInterval unbounded() {
    return {-std::numeric_limits<double>::infinity(),
            std::numeric_limits<double>::infinity()};
  }

  double lo() const { return lower; }
  double hi() const { return upper; }
  bool isBounded() const { return std::isfinite(lower) && std::isfinite(upper); }
  bool contains(double value) const { return lower <= value && value <= upper; }
  bool contains(const FloatInterval &other) const {
    return lower <= other.lower && other.upper <= upper;
  }
  bool operator==(const FloatInterval &other) const {
    return lower == other.lower && upper == other.upper;
  }
  bool operator!=(const FloatInterval &other) const { return !(*this == other); }

  /// Smallest interval holding both.
  static FloatInterval hull(const FloatInterval &a, const FloatInterval &b);

  // Arithmetic.
  FloatInterval operator+(const FloatInterval &other) const;
  FloatInterval operator-(const FloatInterval &other) const;
  FloatInterval operator*(const FloatInterval &other) const;
  /// Unbounded when the divisor contains 0.
  FloatInterval operator/(const FloatInterval &other) const;
  FloatInterval operator-() const { return {-upper, -lower}; }
  FloatInterval abs() const;
  /// The sum of `count` values each in this interval.
  FloatInterval sumOf(int64_t count) const;

  // Order.
  static FloatInterval max(const FloatInterval &a, const FloatInterval &b);
  static FloatInterval min(const FloatInterval &a, const FloatInterval &b);
  /// clamp(x, minValue, maxValue) with minValue <= maxValue.
  FloatInterval clamp(double minValue, double maxValue) const;

  // Activations: each is exact up to the few ulps libm may be off, which the
  // bounds absorb.
  FloatInterval exp() const;
  FloatInterval tanh() const;
  FloatInterval sigmoid() const;
  /// relu6(x + 3) / 6
  FloatInterval hardSigmoid() const;
  /// x * relu6(x + 3) / 6 (not monotone: minimum -3/8 at x = -3/2).
  FloatInterval hardSwish() const;
  /// Each element of softmax over `count` elements that all lie in this
  /// interval: [1 / (1 + (n-1) e^(hi-lo)), 1 / (1 + (n-1) e^(lo-hi))].
  FloatInterval softmax(int64_t count) const;

  void print(raw_ostream &os) const;

private:
  double lower, upper;
};

inline raw_ostream &operator<<(raw_ostream &os, const FloatInterval &interval) {
  interval.print(os);
  return os;
}

/// Exact per-group bounds of weighted sums `sum_k w_k * x_k` where every x_k
/// lies in `input` and the weights of one group are known: the upper bound
/// takes x at `hi` for positive weights and at `lo` for negative ones.
/// Accumulate weights with `add`, then read each group's interval.
class WeightedSumBound {
public:
  explicit WeightedSumBound(FloatInterval input) : input(input) {}
  /// Adds a term `weight * x` with x in the common input interval.
  void add(double weight) { add(weight, input); }
  /// Adds a term `weight * x` with x in `term` (a bias, a padding value).
  void add(double weight, FloatInterval term);
  /// Bound of the sum over the weights added so far.
  FloatInterval bound() const { return {lower, upper}; }

private:
  FloatInterval input;
  double lower = 0, upper = 0;
};

} // namespace mlir::qa

#endif // QUANTAWARE_ANALYSIS_FLOATINTERVAL_H
