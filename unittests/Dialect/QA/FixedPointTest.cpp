//===- FixedPointTest.cpp - Requantization arithmetic, bit for bit --------===//
//
// The #qa.rounding modes against their references:
// * tflite_double against gemmlowp's own fixedpoint functions (Debian
//   libgemmlowp-dev), composed exactly as TFLite's
//   MultiplyByQuantizedMultiplier composes them;
// * tflite_single against an exact 128-bit evaluation of its definition;
// * half_even against hand-worked ties and float32 arithmetic.
// Random cases plus the edges: INT32_MIN / INT32_MAX accumulators, scales
// 0.5 and 1.0, multipliers that flush to zero, exact ties.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QuantizationUtils.h"

#include "gemmlowp/fixedpoint/fixedpoint.h"
#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir::qa;

namespace {

/// TFLite's MultiplyByQuantizedMultiplier, built from gemmlowp. The left
/// shift is done in uint32 so that it wraps as in practice (TFLite's signed
/// shift would be undefined on overflow).
int32_t tfliteReference(int32_t x, int32_t multiplier, int shift) {
  int leftShift = shift > 0 ? shift : 0;
  int rightShift = shift > 0 ? 0 : -shift;
  auto shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << leftShift);
  return gemmlowp::RoundingDivideByPOT(
      gemmlowp::SaturatingRoundingDoublingHighMul(shifted, multiplier),
      rightShift);
}

const int32_t kEdgeValues[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30) - 1,
                               -(1 << 30), -65536, -255, -3, -2, -1, 0, 1, 2,
                               3, 255, 65535, 1 << 30, INT32_MAX - 1,
                               INT32_MAX};

TEST(FixedPointTest, SaturatingRoundingDoublingHighMulMatchesGemmlowp) {
  for (int32_t a : kEdgeValues)
    for (int32_t b : kEdgeValues)
      ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
                gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
          << a << " " << b;
  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  for (int i = 0; i < 200000; ++i) {
    int32_t a = any(rng), b = any(rng);
    ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
              gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
        << a << " " << b;
  }
}

TEST(FixedPointTest, RoundingDivideByPowerOfTwoMatchesGemmlowp) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  for (int exponent = 0; exponent <= 31; ++exponent) {
    for (int32_t x : kEdgeValues)
      ASSERT_EQ(roundingDivideByPowerOfTwo(x, exponent),
                gemmlowp::RoundingDivideByPOT(x, exponent))
          << x << " " << exponent;
    // Ties: x = (2k + 1) * 2^(exponent - 1).
    if (exponent > 0)
      for (int32_t k : {-3, -2, -1, 0, 1, 2}) {
        int32_t x = (2 * k + 1) * (1 << (exponent - 1));
        if (exponent < 30)
          ASSERT_EQ(roundingDivideByPowerOfTwo(x, exponent),
                    gemmlowp::RoundingDivideByPOT(x, exponent))
              << x << " " << exponent;
      }
    for (int i = 0; i < 10000; ++i) {
      int32_t x = any(rng);
      ASSERT_EQ(roundingDivideByPowerOfTwo(x, exponent),
                gemmlowp::RoundingDivideByPOT(x, exponent))
          << x << " " << exponent;
    }
  }
}

TEST(FixedPointTest, TfliteDoubleRoundingMatchesGemmlowpComposition) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> accumulator(-(1 << 24), 1 << 24);
  std::uniform_real_distribution<double> exponent(-34, 4);
  for (int i = 0; i < 150000; ++i) {
    llvm::Expected<FixedPointMultiplier> m =
        quantizeMultiplier(std::exp2(exponent(rng)));
    ASSERT_TRUE(static_cast<bool>(m));
    int32_t x = i % 2 ? any(rng) : accumulator(rng);
    ASSERT_EQ(multiplyByQuantizedMultiplier(x, *m),
              tfliteReference(x, m->multiplier, m->shift))
        << x << " * " << m->multiplier << " shift " << m->shift;
  }
}

TEST(FixedPointTest, TfliteDoubleRoundingEdgeCases) {
  auto fixed = [](double real) {
    llvm::Expected<FixedPointMultiplier> m = quantizeMultiplier(real);
    EXPECT_TRUE(static_cast<bool>(m));
    return *m;
  };
  FixedPointMultiplier half = fixed(0.5), quarter = fixed(0.25),
                       one = fixed(1.0);
  ASSERT_EQ(one, (FixedPointMultiplier{1 << 30, 1}));
  ASSERT_EQ(half, (FixedPointMultiplier{1 << 30, 0}));
  ASSERT_EQ(quarter, (FixedPointMultiplier{1 << 30, -1}));
  for (FixedPointMultiplier m : {one, half, quarter})
    for (int32_t x : kEdgeValues)
      EXPECT_EQ(multiplyByQuantizedMultiplier(x, m),
                tfliteReference(x, m.multiplier, m.shift))
          << x << " shift " << m.shift;
  // Scale 1.0 shifts left by one first: an accumulator of 2^30 or more
  // wraps, exactly as in TFLite (INT32_MAX -> -2 -> -1). The lowering must
  // prove accumulators stay below 2^(31 - shift) before using this mode.
  EXPECT_EQ(multiplyByQuantizedMultiplier(-7, one), -7);
  EXPECT_EQ(multiplyByQuantizedMultiplier((1 << 30) - 1, one), (1 << 30) - 1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(INT32_MAX, one), -1);
  // Scale 0.5 has no right shift: the only rounding is the high multiply's,
  // ties toward +infinity.
  EXPECT_EQ(multiplyByQuantizedMultiplier(3, half), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-3, half), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(5, half), 3);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-5, half), -2);
  EXPECT_EQ(multiplyByQuantizedMultiplier(INT32_MIN, half), -(1 << 30));
  EXPECT_EQ(multiplyByQuantizedMultiplier(INT32_MAX, half), 1 << 30);
  // Scale 0.25 rounds twice: 5 / 4 = 1.25 -> 2.5 -> 3 -> 1.5 -> 2 (away),
  // -6 / 4 = -1.5 -> -2.5 -> -2 ... -> -3 -> -1.5 -> -2; single rounding
  // gives 1 and -1.
  EXPECT_EQ(multiplyByQuantizedMultiplier(5, quarter), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingleRounding(5, quarter), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-6, quarter), -2);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingleRounding(-6, quarter), -1);
  // A multiplier below 2^-32 flushes to zero: every result is 0.
  FixedPointMultiplier tiny = fixed(1e-10);
  EXPECT_EQ(tiny.multiplier, 0);
  for (int32_t x : kEdgeValues)
    EXPECT_EQ(multiplyByQuantizedMultiplier(x, tiny), 0);
  // The smallest kept multiplier, 2^-32 (shift -31).
  FixedPointMultiplier smallest = fixed(std::ldexp(1.0, -32));
  for (int32_t x : kEdgeValues)
    EXPECT_EQ(multiplyByQuantizedMultiplier(x, smallest),
              tfliteReference(x, smallest.multiplier, smallest.shift));
}

/// round(x * multiplier / 2^(31 - shift)), ties toward +infinity, exactly.
int64_t singleRoundingReference(int32_t x, FixedPointMultiplier m) {
  __int128 numerator = static_cast<__int128>(x) * m.multiplier;
  __int128 denominator = static_cast<__int128>(1) << (31 - m.shift);
  // floor((2n + d) / 2d) is round half up of n / d.
  __int128 twice = 2 * numerator + denominator, twiceDenominator = 2 * denominator;
  __int128 quotient = twice / twiceDenominator;
  if ((twice % twiceDenominator != 0) && (twice < 0))
    --quotient; // C++ division truncates; we want floor.
  return static_cast<int64_t>(
      std::max<__int128>(INT32_MIN, std::min<__int128>(INT32_MAX, quotient)));
}

TEST(FixedPointTest, TfliteSingleRoundingIsOneExactRounding) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  std::uniform_real_distribution<double> exponent(-31, 4);
  for (int i = 0; i < 150000; ++i) {
    llvm::Expected<FixedPointMultiplier> m =
        quantizeMultiplier(std::exp2(exponent(rng)));
    ASSERT_TRUE(static_cast<bool>(m));
    int32_t x = any(rng) >> (i % 24);
    ASSERT_EQ(multiplyByQuantizedMultiplierSingleRounding(x, *m),
              singleRoundingReference(x, *m))
        << x << " * " << m->multiplier << " shift " << m->shift;
  }
  // Ties go up: 3 * 0.5 = 1.5 -> 2, -3 * 0.5 = -1.5 -> -1.
  FixedPointMultiplier half{1 << 30, 0};
  EXPECT_EQ(multiplyByQuantizedMultiplierSingleRounding(3, half), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingleRounding(-3, half), -1);
  // Saturation instead of overflow.
  FixedPointMultiplier big{INT32_MAX, 30};
  EXPECT_EQ(multiplyByQuantizedMultiplierSingleRounding(INT32_MAX, big), INT32_MAX);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingleRounding(INT32_MIN, big), INT32_MIN);
}

TEST(FixedPointTest, HalfEvenRoundsTiesToEvenInFloat32) {
  EXPECT_EQ(multiplyRoundHalfEven(1, 0.5f), 0);
  EXPECT_EQ(multiplyRoundHalfEven(3, 0.5f), 2);
  EXPECT_EQ(multiplyRoundHalfEven(5, 0.5f), 2);
  EXPECT_EQ(multiplyRoundHalfEven(-5, 0.5f), -2);
  EXPECT_EQ(multiplyRoundHalfEven(-7, 0.5f), -4);
  EXPECT_EQ(multiplyRoundHalfEven(7, 0.25f), 2);   // 1.75
  EXPECT_EQ(multiplyRoundHalfEven(10, 0.25f), 2);  // 2.5 -> 2
  EXPECT_EQ(multiplyRoundHalfEven(14, 0.25f), 4);  // 3.5 -> 4
  // float32 arithmetic, not double: 16777217 is not a float.
  EXPECT_EQ(multiplyRoundHalfEven(16777217, 1.0f), 16777216);
  // Saturation.
  EXPECT_EQ(multiplyRoundHalfEven(INT32_MAX, 4.0f), INT32_MAX);
  EXPECT_EQ(multiplyRoundHalfEven(INT32_MIN, 4.0f), INT32_MIN);
  // Random cases: the float product, rounded to even.
  std::mt19937 rng(5);
  std::uniform_int_distribution<int32_t> any(-(1 << 24), 1 << 24);
  std::uniform_real_distribution<float> scale(1e-4f, 4.0f);
  for (int i = 0; i < 100000; ++i) {
    int32_t x = any(rng);
    float s = scale(rng);
    float product = static_cast<float>(x) * s;
    float floor = std::floor(product), fraction = product - floor;
    float expected = fraction < 0.5f   ? floor
                     : fraction > 0.5f ? floor + 1
                     : (std::fmod(floor, 2.0f) == 0 ? floor : floor + 1);
    ASSERT_EQ(multiplyRoundHalfEven(x, s), static_cast<int32_t>(expected))
        << x << " * " << s;
  }
}

} // namespace
