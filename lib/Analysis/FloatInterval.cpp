//===- FloatInterval.cpp - Sound real intervals with directed rounding ----===//
//
// Directed rounding without changing the FPU mode: each operation is done in
// round-to-nearest and its exact error recovered (TwoSum; fma for products
// and quotients). The result moves one ulp outward only when the error
// points that way, so exact results are returned unchanged.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/FloatInterval.h"

#include <algorithm>
#include <cassert>

using namespace mlir;
using namespace mlir::qa;

static constexpr double kInf = std::numeric_limits<double>::infinity();

/// Below this magnitude a product or quotient may have lost bits to
/// underflow, and fma no longer recovers its exact error: step outward.
static constexpr double kUnderflowGuard = 0x1p-960;

namespace {
/// A rounded result and where the exact one lies: above (+1), below (-1),
/// equal (0) or unknown.
struct Rounded {
  static constexpr int kUnknown = 2;
  double value;
  int errorSign;
};
} // namespace

static int signOf(double error) { return (error > 0) - (error < 0); }

/// An infinite result of finite operands overflowed: its error is unknown
/// (stepping outward from it gives +-DBL_MAX on the inner side).
static bool overflowed(double result, double a, double b) {
  return !std::isfinite(result) && std::isfinite(a) && std::isfinite(b);
}

static Rounded add(double a, double b) {
  double sum = a + b;
  if (overflowed(sum, a, b))
    return {sum, Rounded::kUnknown};
  if (!std::isfinite(sum))
    return {sum, 0};
  // TwoSum: the exact error of the rounded sum.
  double bv = sum - a;
  return {sum, signOf((a - (sum - bv)) + (b - bv))};
}

static Rounded multiply(double a, double b) {
  if (a == 0 || b == 0)
    return {0.0, 0};
  double product = a * b;
  if (overflowed(product, a, b))
    return {product, Rounded::kUnknown};
  if (!std::isfinite(product))
    return {product, 0};
  if (std::abs(product) < kUnderflowGuard)
    return {product, Rounded::kUnknown};
  return {product, signOf(std::fma(a, b, -product))};
}

static Rounded divide(double a, double b) {
  assert(b != 0 && "division by zero");
  double quotient = a / b;
  if (overflowed(quotient, a, b))
    return {quotient, Rounded::kUnknown};
  if (a == 0 || !std::isfinite(quotient) || std::isinf(b))
    return {quotient, 0};
  if (std::abs(quotient) < kUnderflowGuard || std::abs(a) < kUnderflowGuard)
    return {quotient, Rounded::kUnknown};
  // a - q*b is exact; the exact quotient is q + remainder / b.
  int sign = signOf(std::fma(-quotient, b, a));
  return {quotient, b < 0 ? -sign : sign};
}

/// The largest double not above the exact result.
static double down(Rounded r) {
  return r.errorSign < 0 || r.errorSign == Rounded::kUnknown
             ? std::nextafter(r.value, -kInf)
             : r.value;
}

/// The smallest double not below the exact result.
static double up(Rounded r) {
  return r.errorSign > 0 || r.errorSign == Rounded::kUnknown
             ? std::nextafter(r.value, kInf)
             : r.value;
}

double directed::addDown(double a, double b) { return down(add(a, b)); }
double directed::addUp(double a, double b) { return up(add(a, b)); }
double directed::mulDown(double a, double b) { return down(multiply(a, b)); }
double directed::mulUp(double a, double b) { return up(multiply(a, b)); }
double directed::divDown(double a, double b) { return down(divide(a, b)); }
double directed::divUp(double a, double b) { return up(divide(a, b)); }

using namespace mlir::qa::directed;

FloatInterval::FloatInterval(double lo, double hi) : lower(lo), upper(hi) {
  assert(!std::isnan(lo) && !std::isnan(hi) && lo <= hi && "bad interval");
}

FloatInterval FloatInterval::hull(const FloatInterval &a,
                                  const FloatInterval &b) {
  return {std::min(a.lower, b.lower), std::max(a.upper, b.upper)};
}

FloatInterval FloatInterval::operator+(const FloatInterval &other) const {
  return {addDown(lower, other.lower), addUp(upper, other.upper)};
}

FloatInterval FloatInterval::operator-(const FloatInterval &other) const {
  return *this + (-other);
}

/// The hull of `down(a, b)` and `up(a, b)` over the four corners of a x b:
/// the bound of a product or quotient, monotone in each operand on each
/// side of zero.
template <typename Down, typename Up>
static FloatInterval overCorners(const FloatInterval &a, const FloatInterval &b,
                                 Down down, Up up) {
  double lo = kInf, hi = -kInf;
  for (double x : {a.lo(), a.hi()})
    for (double y : {b.lo(), b.hi()}) {
      lo = std::min(lo, down(x, y));
      hi = std::max(hi, up(x, y));
    }
  return {lo, hi};
}

FloatInterval FloatInterval::operator*(const FloatInterval &other) const {
  return overCorners(*this, other, mulDown, mulUp);
}

FloatInterval FloatInterval::operator/(const FloatInterval &other) const {
  if (other.contains(0.0))
    return unbounded();
  // An infinite divisor bound means an unbounded divisor (of finite reals,
  // none 0): its quotients tend to 0.
  auto quotient = [](auto divide) {
    return [divide](double x, double y) {
      return std::isinf(y) ? 0.0 : divide(x, y);
    };
  };
  return overCorners(*this, other, quotient(divDown), quotient(divUp));
}

FloatInterval FloatInterval::abs() const {
  if (lower >= 0)
    return *this;
  if (upper <= 0)
    return -*this;
  return {0.0, std::max(-lower, upper)};
}

FloatInterval FloatInterval::sumOf(int64_t count) const {
  assert(count >= 0 && "negative count");
  auto n = static_cast<double>(count);
  return {mulDown(lower, n), mulUp(upper, n)};
}

FloatInterval FloatInterval::max(const FloatInterval &a,
                                 const FloatInterval &b) {
  return {std::max(a.lower, b.lower), std::max(a.upper, b.upper)};
}

FloatInterval FloatInterval::min(const FloatInterval &a,
                                 const FloatInterval &b) {
  return {std::min(a.lower, b.lower), std::min(a.upper, b.upper)};
}

FloatInterval FloatInterval::clamp(double minValue, double maxValue) const {
  assert(minValue <= maxValue && "empty clamp");
  return {std::clamp(lower, minValue, maxValue),
          std::clamp(upper, minValue, maxValue)};
}

/// Moves a libm result `ulps` steps outward (glibc's exp, tanh and expm1
/// are within 1 ulp; two steps leave margin).
static double stepDown(double value, int ulps = 2) {
  for (int i = 0; i < ulps; ++i)
    value = std::nextafter(value, -kInf);
  return value;
}

static double stepUp(double value, int ulps = 2) {
  for (int i = 0; i < ulps; ++i)
    value = std::nextafter(value, kInf);
  return value;
}

FloatInterval FloatInterval::exp() const {
  double lo = std::isinf(lower) ? 0.0 : std::max(0.0, stepDown(std::exp(lower)));
  double hi = std::isinf(upper) ? kInf : stepUp(std::exp(upper));
  return {lo, hi};
}

FloatInterval FloatInterval::tanh() const {
  return {std::max(-1.0, stepDown(std::tanh(lower))),
          std::min(1.0, stepUp(std::tanh(upper)))};
}

/// 1 / (1 + e^-x), monotone. This form keeps a small relative error at
/// both tails (exp, add and divide: under 3 ulps); (1 + tanh(x/2)) / 2 would
/// cancel catastrophically for very negative x.
static double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

FloatInterval FloatInterval::sigmoid() const {
  double lo = std::isinf(lower) ? 0.0 : stepDown(::sigmoid(lower), 4);
  double hi = std::isinf(upper) ? 1.0 : stepUp(::sigmoid(upper), 4);
  // Far below zero 1 + e^-x overflows and the formula returns 0; there
  // sigmoid(x) < e^x is the bound (stepped: exp is within an ulp).
  if (upper < -30)
    hi = std::max(hi, stepUp(std::exp(upper)));
  return {std::max(0.0, lo), std::min(1.0, hi)};
}

FloatInterval FloatInterval::hardSigmoid() const {
  // relu6(x + 3) / 6 = clamp(x + 3, 0, 6) / 6, monotone.
  FloatInterval shifted = (*this + point(3.0)).clamp(0.0, 6.0);
  return {divDown(shifted.lower, 6.0), divUp(shifted.upper, 6.0)};
}

FloatInterval FloatInterval::hardSwish() const {
  // f(x) = x * clamp(x + 3, 0, 6) / 6 decreases on (-inf, -1.5] and
  // increases after; f(-1.5) = -0.375 is its minimum, f <= x for x >= 3.
  auto boundAt = [](double x) -> FloatInterval {
    if (std::isinf(x))
      return x < 0 ? point(0.0) : FloatInterval(0.0, kInf);
    FloatInterval ramp = (point(x) + point(3.0)).clamp(0.0, 6.0);
    FloatInterval product = point(x) * ramp;
    return {divDown(product.lower, 6.0), divUp(product.upper, 6.0)};
  };
  FloatInterval atLo = boundAt(lower), atHi = boundAt(upper);
  double hi = std::max(atLo.upper, atHi.upper);
  double lo = std::min(atLo.lower, atHi.lower);
  if (contains(-1.5))
    lo = std::min(lo, -0.375);
  return {lo, hi};
}

FloatInterval FloatInterval::softmax(int64_t count) const {
  assert(count >= 1 && "softmax over no elements");
  if (count == 1)
    return point(1.0);
  // The largest spread e^(hi - lo) between one element and the others.
  double spread = addUp(upper, -lower);
  auto others = static_cast<double>(count - 1);
  double lo = 0.0;
  if (std::isfinite(spread)) {
    double denominator = addUp(1.0, mulUp(others, stepUp(std::exp(spread))));
    lo = std::isfinite(denominator) ? divDown(1.0, denominator) : 0.0;
    double denominatorLo = addDown(1.0, mulDown(others, stepDown(std::exp(-spread))));
    return {std::max(0.0, lo), std::min(1.0, divUp(1.0, denominatorLo))};
  }
  return {0.0, 1.0};
}

void FloatInterval::print(raw_ostream &os) const {
  os << '[' << lower << ", " << upper << ']';
}

void WeightedSumBound::add(double weight, FloatInterval term) {
  double low = weight >= 0 ? term.lo() : term.hi();
  double high = weight >= 0 ? term.hi() : term.lo();
  lower = addDown(lower, mulDown(weight, low));
  upper = addUp(upper, mulUp(weight, high));
}
