//===- AccumulatorBoundsTest.cpp - Accumulator proofs by brute force ------===//
//
// Small random instances enumerated exhaustively: every activation vector
// and every summation prefix, compared with the bounds and the verdicts.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/AccumulatorBounds.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlir;
using namespace mlir::qa;

namespace {

/// Calls `visit` with every vector of `depth` values in [lo, hi].
template <typename Fn>
void forEachVector(int64_t lo, int64_t hi, size_t depth, Fn visit) {
  std::vector<int64_t> values(depth, lo);
  while (true) {
    visit(values);
    size_t i = 0;
    while (i < depth && values[i] == hi)
      values[i++] = lo;
    if (i == depth)
      return;
    ++values[i];
  }
}

TEST(AccumulatorBoundsTest, PartialSumBoundIsTightOverAllOrders) {
  std::mt19937 rng(3);
  for (int instance = 0; instance < 200; ++instance) {
    IntInterval activations{std::uniform_int_distribution<int64_t>(-4, 2)(rng), 0};
    activations.max = activations.min + std::uniform_int_distribution<int64_t>(0, 5)(rng);
    std::vector<int64_t> weights(std::uniform_int_distribution<int>(1, 4)(rng));
    for (int64_t &w : weights)
      w = std::uniform_int_distribution<int64_t>(-7, 7)(rng);
    IntInterval bound = partialSumBound(activations, weights);
    int64_t seenLo = 0, seenHi = 0;
    forEachVector(activations.min, activations.max, weights.size(),
                  [&](const std::vector<int64_t> &a) {
                    // Every subset of terms is a partial sum in some order.
                    for (unsigned mask = 0; mask < (1u << weights.size()); ++mask) {
                      int64_t sum = 0;
                      for (size_t k = 0; k < weights.size(); ++k)
                        if (mask & (1u << k))
                          sum += a[k] * weights[k];
                      ASSERT_GE(sum, bound.min);
                      ASSERT_LE(sum, bound.max);
                      seenLo = std::min(seenLo, sum);
                      seenHi = std::max(seenHi, sum);
                    }
                  });
    // Tight: the extremes are reached.
    EXPECT_EQ(seenLo, bound.min);
    EXPECT_EQ(seenHi, bound.max);
  }
}

TEST(AccumulatorBoundsTest, WeightIntervalBoundCoversEveryWeightChoice) {
  IntInterval activations{0, 255}, weights{-128, 127};
  IntInterval bound = partialSumBound(activations, weights, 64);
  EXPECT_EQ(bound, (IntInterval{-128 * 255 * 64, 127 * 255 * 64}));
  EXPECT_TRUE(bound.fitsSigned(32));
  EXPECT_FALSE(bound.fitsSigned(16));
}

TEST(AccumulatorBoundsTest, Int16AccumulatorVerdicts) {
  // u8 x s4: 255 * 7 * 18 = 32130 fits int16; 19 terms do not.
  std::vector<int64_t> weights(18, 7);
  EXPECT_TRUE(accumulationFits({0, 255}, weights, 16));
  weights.push_back(7);
  EXPECT_FALSE(accumulationFits({0, 255}, weights, 16));
  // Mixed signs do not cancel: some order visits the positives first.
  std::vector<int64_t> mixed = {100, 100, -100, -100};
  EXPECT_EQ(partialSumBound({0, 255}, mixed), (IntInterval{-51000, 51000}));
  EXPECT_FALSE(accumulationFits({0, 255}, mixed, 16));
}

TEST(AccumulatorBoundsTest, PairSumSaturationMatchesBruteForce) {
  std::mt19937 rng(5);
  for (int instance = 0; instance < 2000; ++instance) {
    std::vector<int64_t> weights(std::uniform_int_distribution<int>(1, 6)(rng));
    int64_t limit = std::uniform_int_distribution<int64_t>(1, 128)(rng);
    for (int64_t &w : weights)
      w = std::uniform_int_distribution<int64_t>(-limit, limit - 1)(rng);
    // u8 activations: the extremes of a pair sum are at 0 or 255.
    bool saturates = false;
    for (size_t k = 0; k < weights.size(); k += 2)
      for (int64_t a0 : {0, 255})
        for (int64_t a1 : {0, 255}) {
          int64_t sum = a0 * weights[k] +
                        (k + 1 < weights.size() ? a1 * weights[k + 1] : 0);
          saturates |= sum < INT16_MIN || sum > INT16_MAX;
        }
    EXPECT_EQ(pairSumsMaySaturateInt16({0, 255}, weights), saturates);
  }
  // Full-range s8 weights saturate (255 * -128 * 2), 7-bit weights do not
  // (255 * -64 * 2 = -32640).
  EXPECT_TRUE(pairSumsMaySaturateInt16({0, 255}, IntInterval{-128, 127}));
  EXPECT_FALSE(pairSumsMaySaturateInt16({0, 255}, IntInterval{-64, 63}));
}

} // namespace
