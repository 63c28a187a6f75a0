//===- QuantizationUtilsTest.cpp - Storage ranges, params, multipliers ----===//
//
// Expected values are computed by hand (comments show the arithmetic) or
// checked against an independent specification: the Q31 multiplier must be
// the nearest Q31 value to the real multiplier, which is tested by comparing
// with its neighbours, not by re-running the algorithm.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QuantizationUtils.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir::qa;

namespace {

TEST(StorageRangeTest, CommonWidths) {
  EXPECT_EQ(getStorageRange(8, /*isSigned=*/true), (StorageRange{-128, 127}));
  EXPECT_EQ(getStorageRange(8, true, /*narrow=*/true), (StorageRange{-127, 127}));
  EXPECT_EQ(getStorageRange(8, false), (StorageRange{0, 255}));
  EXPECT_EQ(getStorageRange(4, true), (StorageRange{-8, 7}));
  EXPECT_EQ(getStorageRange(4, false), (StorageRange{0, 15}));
  EXPECT_EQ(getStorageRange(2, true, true), (StorageRange{-1, 1}));
  EXPECT_EQ(getStorageRange(1, false), (StorageRange{0, 1}));
  EXPECT_EQ(getStorageRange(16, true), (StorageRange{-32768, 32767}));
  EXPECT_EQ(getStorageRange(32, true), (StorageRange{INT32_MIN, INT32_MAX}));
  EXPECT_EQ(getStorageRange(32, false), (StorageRange{0, UINT32_MAX}));
}

TEST(StorageRangeTest, EveryWidthHoldsTwoToTheBitsValues) {
  for (unsigned bits = 1; bits <= 32; ++bits)
    for (bool isSigned : {false, true}) {
      StorageRange range = getStorageRange(bits, isSigned);
      EXPECT_EQ(range.max - range.min + 1, int64_t{1} << bits) << bits;
      EXPECT_EQ(range.min == 0, !isSigned) << bits;
    }
}

QuantParams choose(double lo, double hi, unsigned bits, bool isSigned,
                   bool symmetric) {
  llvm::Expected<QuantParams> params =
      chooseQuantParams(lo, hi, bits, isSigned, symmetric);
  if (!params) {
    ADD_FAILURE() << llvm::toString(params.takeError());
    return {0, 0};
  }
  return *params;
}

TEST(ChooseQuantParamsTest, Symmetric) {
  // max(|-1|, 1) / 127
  QuantParams p = choose(-1, 1, 8, true, true);
  EXPECT_DOUBLE_EQ(p.scale, 1.0 / 127);
  EXPECT_EQ(p.zeroPoint, 0);
  // max(0.5, 2) / 127
  p = choose(-0.5, 2, 8, true, true);
  EXPECT_DOUBLE_EQ(p.scale, 2.0 / 127);
  // 4-bit narrow range is [-7, 7]: 7 / 7
  p = choose(-7, 3.5, 4, true, true);
  EXPECT_DOUBLE_EQ(p.scale, 1.0);
  // Unsigned symmetric: hi / 255
  p = choose(0, 6, 8, false, true);
  EXPECT_DOUBLE_EQ(p.scale, 6.0 / 255);
  EXPECT_EQ(p.zeroPoint, 0);
}

TEST(ChooseQuantParamsTest, Asymmetric) {
  // [0, 6] on u8: scale 6/255, zero at qmin.
  QuantParams p = choose(0, 6, 8, false, false);
  EXPECT_DOUBLE_EQ(p.scale, 6.0 / 255);
  EXPECT_EQ(p.zeroPoint, 0);
  // [-1, 3] on u8: scale 4/255; zero point 0 + 1 / (4/255) = 63.75 -> 64.
  p = choose(-1, 3, 8, false, false);
  EXPECT_DOUBLE_EQ(p.scale, 4.0 / 255);
  EXPECT_EQ(p.zeroPoint, 64);
  // [2, 5] widens to [0, 5] on s8: zero at qmin = -128.
  p = choose(2, 5, 8, true, false);
  EXPECT_DOUBLE_EQ(p.scale, 5.0 / 255);
  EXPECT_EQ(p.zeroPoint, -128);
  // [-3, -1] widens to [-3, 0] on u8: zero at qmax = 255.
  p = choose(-3, -1, 8, false, false);
  EXPECT_DOUBLE_EQ(p.scale, 3.0 / 255);
  EXPECT_EQ(p.zeroPoint, 255);
  // [-1, 1] on s4: scale 2/15; -8 + 1/(2/15) = -0.5 -> rounds away: -1.
  p = choose(-1, 1, 4, true, false);
  EXPECT_DOUBLE_EQ(p.scale, 2.0 / 15);
  EXPECT_EQ(p.zeroPoint, -1);
  // Degenerate [0, 0].
  p = choose(0, 0, 8, false, false);
  EXPECT_EQ(p.scale, 1.0);
  EXPECT_EQ(p.zeroPoint, 0);
}

// The grid of an asymmetric choice covers the interval up to half a step at
// each end (the zero-point nudge moves it by at most half a step).
TEST(ChooseQuantParamsTest, AsymmetricGridCoversInterval) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> dist(-100, 100);
  for (int i = 0; i < 10000; ++i) {
    double a = dist(rng), b = dist(rng);
    double lo = std::min({a, b, 0.0}), hi = std::max({a, b, 0.0});
    for (unsigned bits : {2u, 4u, 8u, 16u})
      for (bool isSigned : {false, true}) {
        QuantParams p = choose(lo, hi, bits, isSigned, false);
        StorageRange r = getStorageRange(bits, isSigned);
        ASSERT_GE(p.zeroPoint, r.min);
        ASSERT_LE(p.zeroPoint, r.max);
        double gridLo = (r.min - p.zeroPoint) * p.scale;
        double gridHi = (r.max - p.zeroPoint) * p.scale;
        ASSERT_LE(gridLo, lo + p.scale / 2 * (1 + 1e-9)) << lo << " " << hi;
        ASSERT_GE(gridHi, hi - p.scale / 2 * (1 + 1e-9)) << lo << " " << hi;
      }
  }
}

TEST(ChooseQuantParamsTest, RejectsBadInput) {
  auto fails = [](double lo, double hi, unsigned bits, bool isSigned,
                  bool symmetric) {
    llvm::Expected<QuantParams> p =
        chooseQuantParams(lo, hi, bits, isSigned, symmetric);
    if (p)
      return false;
    llvm::consumeError(p.takeError());
    return true;
  };
  EXPECT_TRUE(fails(NAN, 1, 8, true, true));
  EXPECT_TRUE(fails(0, INFINITY, 8, true, true));
  EXPECT_TRUE(fails(2, 1, 8, true, true));
  EXPECT_TRUE(fails(-1, 1, 1, true, false));
  EXPECT_TRUE(fails(-1, 1, 32, true, false));
  EXPECT_TRUE(fails(-1, 1, 8, false, true));
}

FixedPointMultiplier quantize(double real) {
  llvm::Expected<FixedPointMultiplier> m = quantizeMultiplier(real);
  if (!m) {
    ADD_FAILURE() << llvm::toString(m.takeError());
    return {0, 0};
  }
  return *m;
}

TEST(QuantizeMultiplierTest, KnownValues) {
  EXPECT_EQ(quantize(0.5), (FixedPointMultiplier{1 << 30, 0}));
  EXPECT_EQ(quantize(1.0), (FixedPointMultiplier{1 << 30, 1}));
  EXPECT_EQ(quantize(0.75), (FixedPointMultiplier{3 << 29, 0}));
  EXPECT_EQ(quantize(0.0), (FixedPointMultiplier{0, 0}));
  // 2^-32 = 0.5 * 2^-31 is the smallest kept; 2^-33 flushes to zero.
  EXPECT_EQ(quantize(std::ldexp(1.0, -32)), (FixedPointMultiplier{1 << 30, -31}));
  EXPECT_EQ(quantize(std::ldexp(1.0, -33)), (FixedPointMultiplier{0, 0}));
  // 2^31 would need shift 32: saturates.
  EXPECT_EQ(quantize(std::ldexp(1.0, 31)), (FixedPointMultiplier{INT32_MAX, 30}));
  // 1 - 2^-33: the Q31 fraction rounds up to 2^31 and renormalizes.
  EXPECT_EQ(quantize(1.0 - std::ldexp(1.0, -33)),
            (FixedPointMultiplier{1 << 30, 1}));
}

// Specification: the result is the Q31 value nearest to the real multiplier
// (ties away from zero), normalized to [2^30, 2^31).
TEST(QuantizeMultiplierTest, NearestNormalizedQ31) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-31, 29);
  for (int i = 0; i < 100000; ++i) {
    double real = std::exp2(exponent(rng));
    FixedPointMultiplier m = quantize(real);
    ASSERT_GE(m.multiplier, 1 << 30) << real;
    double got = toDouble(m);
    double ulp = std::ldexp(1.0, m.shift - 31);
    ASSERT_LE(std::abs(got - real), ulp / 2) << real;
    // No neighbour on the same grid is closer.
    ASSERT_GE(std::abs(got + ulp - real), std::abs(got - real)) << real;
    ASSERT_GE(std::abs(got - ulp - real), std::abs(got - real)) << real;
  }
}

TEST(QuantizeMultiplierTest, RejectsBadInput) {
  for (double bad : {-0.5, double(NAN), double(INFINITY)}) {
    llvm::Expected<FixedPointMultiplier> m = quantizeMultiplier(bad);
    EXPECT_FALSE(static_cast<bool>(m)) << bad;
    if (!m)
      llvm::consumeError(m.takeError());
  }
}

} // namespace
