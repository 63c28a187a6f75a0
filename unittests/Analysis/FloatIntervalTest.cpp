//===- FloatIntervalTest.cpp - Directed rounding and interval functions ---===//
//
// Directed operations are checked against the exact result in __float128:
// Down must not exceed it, Up must not fall below it, both must be the
// nearest doubles on their side, and exact results must come back unchanged.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/FloatInterval.h"

#include "gtest/gtest.h"

#include <limits>
#include <random>

using namespace mlir::qa;
using namespace mlir::qa::directed;

namespace {

using Exact = __float128;

/// Down <= exact <= Up, each the nearest double on its side; a result that
/// is itself a double comes back unchanged from both.
void expectBrackets(double down, double up, Exact exact, const char *what) {
  if (Exact(static_cast<double>(exact)) == exact) {
    ASSERT_EQ(Exact(down), exact) << what;
    ASSERT_EQ(Exact(up), exact) << what;
    return;
  }
  ASSERT_LT(Exact(down), exact) << what;
  ASSERT_GT(Exact(up), exact) << what;
  ASSERT_EQ(std::nextafter(down, INFINITY), up) << what;
}

TEST(DirectedRoundingTest, AddAndMulBracketTheExactResult) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> mantissa(-1, 1);
  std::uniform_int_distribution<int> exponent(-40, 40);
  for (int i = 0; i < 200000; ++i) {
    double a = std::ldexp(mantissa(rng), exponent(rng));
    double b = std::ldexp(mantissa(rng), exponent(rng));
    expectBrackets(addDown(a, b), addUp(a, b), Exact(a) + Exact(b), "add");
    expectBrackets(mulDown(a, b), mulUp(a, b), Exact(a) * Exact(b), "mul");
    if (b != 0) {
      double down = divDown(a, b), up = divUp(a, b);
      // The quotient is rarely exact in __float128; check the sign of
      // q * b - a instead, which is exact there.
      ASSERT_LE(Exact(down) * b * (b > 0 ? 1 : -1), Exact(a) * (b > 0 ? 1 : -1));
      ASSERT_GE(Exact(up) * b * (b > 0 ? 1 : -1), Exact(a) * (b > 0 ? 1 : -1));
      ASSERT_LE(std::nextafter(down, INFINITY), up);
    }
  }
}

TEST(DirectedRoundingTest, ExactResultsStayExact) {
  EXPECT_EQ(addDown(1.5, 2.25), 3.75);
  EXPECT_EQ(addUp(1.5, 2.25), 3.75);
  EXPECT_EQ(mulDown(-3.0, 0.5), -1.5);
  EXPECT_EQ(mulUp(-3.0, 0.5), -1.5);
  EXPECT_EQ(divDown(1.0, 4.0), 0.25);
  EXPECT_EQ(divUp(1.0, 4.0), 0.25);
  EXPECT_EQ(divDown(0.0, 6.0), 0.0);
  EXPECT_EQ(divUp(0.0, -6.0), 0.0);
  // 1/3 is not a double: the two roundings straddle it.
  EXPECT_EQ(std::nextafter(divDown(1.0, 3.0), INFINITY), divUp(1.0, 3.0));
  // 0 * inf is 0: bounds describe finite reals.
  EXPECT_EQ(mulDown(0.0, INFINITY), 0.0);
}

TEST(FloatIntervalTest, Arithmetic) {
  FloatInterval x(-1, 2), y(-3, 0.5);
  EXPECT_EQ(x + y, FloatInterval(-4, 2.5));
  EXPECT_EQ(x - y, FloatInterval(-1.5, 5));
  EXPECT_EQ(x * y, FloatInterval(-6, 3));
  EXPECT_EQ(-x, FloatInterval(-2, 1));
  EXPECT_EQ(x.abs(), FloatInterval(0, 2));
  EXPECT_EQ(y.abs(), FloatInterval(0, 3));
  EXPECT_EQ(FloatInterval(1, 2) / FloatInterval(4, 8), FloatInterval(0.125, 0.5));
  EXPECT_FALSE((FloatInterval(1, 2) / y).isBounded());
  EXPECT_EQ(x.sumOf(4), FloatInterval(-4, 8));
  EXPECT_EQ(x.clamp(0, 6), FloatInterval(0, 2));
  EXPECT_EQ(FloatInterval::max(x, y), FloatInterval(-1, 2));
  EXPECT_EQ(FloatInterval::min(x, y), FloatInterval(-3, 0.5));
  EXPECT_EQ(FloatInterval::hull(x, y), FloatInterval(-3, 2));
  // Unbounded operands stay sound.
  FloatInterval any = FloatInterval::unbounded();
  EXPECT_EQ(any * FloatInterval::point(0), FloatInterval::point(0));
  EXPECT_EQ(any.clamp(0, 6), FloatInterval(0, 6));
  EXPECT_EQ(any.sigmoid(), FloatInterval(0, 1));
  EXPECT_EQ(any.tanh(), FloatInterval(-1, 1));
  EXPECT_EQ(any.exp().lo(), 0.0);
}

TEST(FloatIntervalTest, HardSwishAndHardSigmoid) {
  // Minimum -0.375 at x = -1.5, x * 6 / 6 for x >= 3.
  EXPECT_EQ(FloatInterval(-4, 4).hardSwish(), FloatInterval(-0.375, 4));
  // -1/3 is not a double: the bound is the double just below it.
  FloatInterval third = FloatInterval(-1, 0).hardSwish();
  EXPECT_LT(Exact(third.lo()), Exact(-1) / 3);
  EXPECT_GT(Exact(std::nextafter(third.lo(), INFINITY)), Exact(-1) / 3);
  EXPECT_EQ(third.hi(), 0.0);
  EXPECT_EQ(FloatInterval(-6, -3).hardSwish(), FloatInterval(0, 0));
  EXPECT_EQ(FloatInterval(-4, 4).hardSigmoid(), FloatInterval(0, 1));
  EXPECT_EQ(FloatInterval(0, 3).hardSigmoid(), FloatInterval(0.5, 1));
}

TEST(WeightedSumBoundTest, ExactPerChannelBound) {
  // x in [-1, 2], weights [1, 2, -3, 0]: [-9, 9] (not |w| * max|x| = 12).
  WeightedSumBound sum(FloatInterval(-1, 2));
  for (double w : {1.0, 2.0, -3.0, 0.0})
    sum.add(w);
  EXPECT_EQ(sum.bound(), FloatInterval(-9, 9));
  sum.add(1.0, FloatInterval::point(0.5)); // a bias
  EXPECT_EQ(sum.bound(), FloatInterval(-8.5, 9.5));
}

TEST(FloatIntervalTest, OverflowGivesFiniteInnerBounds) {
  // 1e200 * 1e200 overflows: the exact product is above DBL_MAX, so the
  // lower bound is DBL_MAX, not infinity.
  EXPECT_EQ(mulDown(1e200, 1e200), std::numeric_limits<double>::max());
  EXPECT_EQ(mulUp(1e200, 1e200), INFINITY);
  EXPECT_EQ(addDown(1.7e308, 1.7e308), std::numeric_limits<double>::max());
  FloatInterval big(1e200, 1e200);
  FloatInterval difference = big * big - big * big;
  EXPECT_FALSE(std::isnan(difference.lo()));
  EXPECT_FALSE(std::isnan(difference.hi()));
  EXPECT_TRUE(difference.contains(0.0));
}

TEST(FloatIntervalTest, SigmoidFarNegativeTail) {
  // 1 + e^715 overflows in double; the bound must still hold sigmoid(-715)
  // = e^-715 / (1 + e^-715), about 3.0e-311.
  FloatInterval tail = FloatInterval(-720, -715).sigmoid();
  long double exact = std::exp(-715.0L) / (1.0L + std::exp(-715.0L));
  EXPECT_GE(static_cast<long double>(tail.hi()), exact);
  EXPECT_LE(tail.lo(), std::exp(-720.0L) / (1.0L + std::exp(-720.0L)));
}

TEST(FloatIntervalTest, SoftmaxSpreadRoundsOutward) {
  // The spread 30 + 1.7e-15 is not a double: rounded to nearest it is 30,
  // and the lower bound 1 / (1 + e^spread) would come out too high.
  FloatInterval softmax = FloatInterval(-1.7e-15, 30).softmax(2);
  long double exact = 1.0L / (1.0L + std::exp(30.0L + 1.7e-15L));
  EXPECT_LE(static_cast<long double>(softmax.lo()), exact);
}

} // namespace
