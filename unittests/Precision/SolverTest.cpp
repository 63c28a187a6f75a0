//===- SolverTest.cpp - Precision assignment against brute force ----------===//
//
// Thousands of small random instances are enumerated exhaustively here,
// independently of the solver: every choice vector, totals summed in layer
// order, ties broken by error and then by choice. Instance families stress
// what the branch and bound could get wrong: exact ties (small integers,
// powers of two), sums that are not associative in floating point (0.1,
// 1e16), budgets exactly on an assignment's total, and infeasible budgets.
// Hand-built cases check answers known by construction, the messages of
// failures, and a 30-layer instance against an exact dynamic program over
// integer costs and against a greedy baseline.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Precision/Solver.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <tuple>

using namespace mlir;
using namespace mlir::qa;

namespace {

using Layers = SmallVector<SmallVector<PrecisionCandidate>>;

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Totals of `choice` as Solver.h defines them: summed in layer order.
std::pair<double, double> totalsOf(const Layers &layers,
                                   const std::vector<size_t> &choice) {
  double cost = 0, error = 0;
  for (size_t j = 0; j < layers.size(); ++j) {
    cost += layers[j][choice[j]].cost;
    error += layers[j][choice[j]].error;
  }
  return {cost, error};
}

/// Every choice vector, in lexicographic order.
template <typename Fn> void forEachChoice(const Layers &layers, Fn visit) {
  std::vector<size_t> choice(layers.size(), 0);
  while (true) {
    visit(choice);
    size_t j = layers.size();
    while (j > 0 && choice[j - 1] + 1 == layers[j - 1].size())
      choice[--j] = 0;
    if (j == 0)
      return;
    ++choice[j - 1];
  }
}

/// The least (cost, error, choice) with error <= budget, by enumeration; or
/// with `errorFirst`, the least (error, cost, choice) and no budget.
std::optional<PrecisionAssignment>
bruteForce(const Layers &layers, double budget, bool errorFirst = false) {
  std::optional<PrecisionAssignment> best;
  forEachChoice(layers, [&](const std::vector<size_t> &choice) {
    auto [cost, error] = totalsOf(layers, choice);
    if (!errorFirst && !(error <= budget))
      return;
    auto key = [&](double c, double e, const std::vector<size_t> &x) {
      using Key = std::tuple<double, double, const std::vector<size_t> &>;
      return errorFirst ? Key(e, c, x) : Key(c, e, x);
    };
    if (best && !(key(cost, error, choice) <
                  key(best->cost, best->error, best->choice)))
      return;
    best = PrecisionAssignment{choice, cost, error};
  });
  return best;
}

/// Families of random instances.
enum class Family {
  SmallIntegers, // costs and errors in {0..4}: exact ties everywhere
  PowersOfTwo,   // exact sums, ties, non-integer grid
  Uniform,       // continuous values: ties only by accident
  BitsTimesSize, // the pass's case: cost = bits * weights, error ~ 4^-bits
  Rounding,      // 0.1, 0.3, 1e16, ...: sums depend on order, absorb terms
  SharedMenu,    // layers offer the same few options in shuffled orders:
                 // exact ties between permutations, met by tight bounds
  Count
};

double pick(std::mt19937_64 &rng, ArrayRef<double> values) {
  return values[std::uniform_int_distribution<size_t>(0,
                                                      values.size() - 1)(rng)];
}

Layers randomLayers(std::mt19937_64 &rng, Family family, size_t numLayers,
                    size_t maxCandidates) {
  std::uniform_int_distribution<size_t> candidates(1, maxCandidates);
  std::uniform_real_distribution<double> unit(0, 1);
  Layers layers(numLayers);
  for (SmallVector<PrecisionCandidate> &layer : layers) {
    size_t count = candidates(rng);
    double weights = std::uniform_int_distribution<int>(1, 300)(rng);
    double sensitivity = std::exp(6 * unit(rng));
    for (size_t i = 0; i < count; ++i) {
      PrecisionCandidate c{0, 0};
      switch (family) {
      case Family::SmallIntegers:
        c = {double(std::uniform_int_distribution<int>(0, 4)(rng)),
             double(std::uniform_int_distribution<int>(0, 4)(rng))};
        break;
      case Family::PowersOfTwo:
        c = {pick(rng, {0.5, 1, 2, 4, 8}), pick(rng, {0, 0.125, 0.25, 1, 3})};
        break;
      case Family::Uniform:
        c = {10 * unit(rng), unit(rng)};
        break;
      case Family::BitsTimesSize: {
        double bits = pick(rng, {1, 2, 3, 4, 6, 8});
        c = {bits * weights,
             sensitivity * std::pow(4.0, -bits) * (1 + 0.1 * unit(rng))};
        break;
      }
      case Family::Rounding: {
        static const double values[] = {0,   0.1, 0.2,  0.3, 0.7,
                                        1.0, 3.0, 1e16, 1e-3};
        c = {pick(rng, values), pick(rng, values)};
        break;
      }
      case Family::SharedMenu:
      case Family::Count:
        break;
      }
      layer.push_back(c);
    }
    if (family == Family::SharedMenu) {
      SmallVector<PrecisionCandidate> menu = {
          {8, 0.125}, {4, 0.5}, {2, 2}, {1, 4}, {4, 0.25}};
      std::shuffle(menu.begin(), menu.end(), rng);
      layer.assign(menu.begin(), menu.begin() + count);
    }
  }
  return layers;
}

/// Budgets that bind, sit exactly on some assignment's total error, exclude
/// everything, or nothing.
double randomBudget(std::mt19937_64 &rng, const Layers &layers) {
  double least = 0, most = 0;
  std::vector<size_t> choice;
  for (const SmallVector<PrecisionCandidate> &layer : layers) {
    double lo = kInf, hi = 0;
    for (const PrecisionCandidate &c : layer) {
      lo = std::min(lo, c.error);
      hi = std::max(hi, c.error);
    }
    least += lo;
    most += hi;
    choice.push_back(
        std::uniform_int_distribution<size_t>(0, layer.size() - 1)(rng));
  }
  switch (std::uniform_int_distribution<int>(0, 9)(rng)) {
  case 0:
  case 1:
  case 2:
  case 3:
    return totalsOf(layers, choice).second;
  case 4:
  case 5:
  case 6:
    return least + std::uniform_real_distribution<double>(-0.1, 1.1)(rng) *
                       (most - least);
  case 7:
    return least > 0 ? least * 0.999 : -1;
  case 8:
    return kInf;
  default:
    return 0;
  }
}

std::string describe(const Layers &layers, double budget) {
  std::string text = "budget " + std::to_string(budget) + ":";
  char buffer[64];
  for (const SmallVector<PrecisionCandidate> &layer : layers) {
    text += " [";
    for (const PrecisionCandidate &c : layer) {
      std::snprintf(buffer, sizeof(buffer), " (%.17g, %.17g)", c.cost, c.error);
      text += buffer;
    }
    text += " ]";
  }
  return text;
}

/// Compares both entry points with brute force on one instance.
void checkAgainstBruteForce(const Layers &layers, double budget) {
  SCOPED_TRACE(describe(layers, budget));
  std::optional<PrecisionAssignment> expected = bruteForce(layers, budget);
  llvm::Expected<PrecisionAssignment> actual =
      solvePrecisionAssignment(layers, budget);
  if (!expected) {
    EXPECT_FALSE(static_cast<bool>(actual)) << "found an assignment that "
                                               "brute force says is infeasible";
    if (!actual)
      llvm::consumeError(actual.takeError());
  } else if (!actual) {
    ADD_FAILURE() << "failed on a feasible instance: "
                  << llvm::toString(actual.takeError());
  } else {
    EXPECT_EQ(actual->choice, expected->choice);
    EXPECT_EQ(actual->cost, expected->cost);
    EXPECT_EQ(actual->error, expected->error);
  }

  std::optional<PrecisionAssignment> leastExpected =
      bruteForce(layers, kInf, /*errorFirst=*/true);
  PrecisionAssignment least = leastErrorAssignment(layers);
  EXPECT_EQ(least.choice, leastExpected->choice);
  EXPECT_EQ(least.cost, leastExpected->cost);
  EXPECT_EQ(least.error, leastExpected->error);
}

TEST(PrecisionSolverTest, MatchesBruteForceOnSmallInstances) {
  std::mt19937_64 rng(20240611);
  int instances = 0, infeasible = 0;
  for (int round = 0; round < 600; ++round) {
    for (int f = 0; f < int(Family::Count); ++f) {
      size_t numLayers = std::uniform_int_distribution<size_t>(1, 6)(rng);
      Layers layers = randomLayers(rng, Family(f), numLayers, 5);
      double budget = randomBudget(rng, layers);
      checkAgainstBruteForce(layers, budget);
      ++instances;
      infeasible += !bruteForce(layers, budget).has_value();
      if (HasFailure())
        return;
    }
  }
  EXPECT_EQ(instances, 3600);
  // The families above do reach both outcomes.
  EXPECT_GT(infeasible, 100);
  EXPECT_LT(infeasible, instances / 2);
}

/// Deeper trees, where the LP bound and the tie rules prune most.
TEST(PrecisionSolverTest, MatchesBruteForceOnDeeperInstances) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    for (int f = 0; f < int(Family::Count); ++f) {
      size_t numLayers = std::uniform_int_distribution<size_t>(7, 8)(rng);
      Layers layers = randomLayers(rng, Family(f), numLayers, 5);
      checkAgainstBruteForce(layers, randomBudget(rng, layers));
      if (HasFailure())
        return;
    }
  }
}

/// Identical layers: every permutation of a solution ties exactly.
TEST(PrecisionSolverTest, IdenticalLayersTieOnTheSmallestChoice) {
  SmallVector<PrecisionCandidate> layer = {{8, 0.125}, {4, 0.5}, {2, 2}};
  Layers layers(6, layer);
  for (double budget : {0.75, 1.5, 3.0, 4.5, 12.0})
    checkAgainstBruteForce(layers, budget);
}

/// The cheaper candidate has the larger index, so the search meets the
/// tie (1, 0) before (0, 1), with bounds that are exact at (0, ...).
TEST(PrecisionSolverTest, TieFoundLaterWithSmallerChoiceWins) {
  SmallVector<PrecisionCandidate> layer = {{2, 1}, {1, 2}};
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment({layer, layer}, 3);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->choice, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(result->cost, 3);
  EXPECT_EQ(result->error, 3);
}

/// Weight bits of three 100-weight layers at 8, 4 or 2 bits; the middle one
/// is sensitive. Errors are powers of two so every total is exact.
Layers threeLayers() {
  SmallVector<PrecisionCandidate> robust = {
      {800, 1.0 / 256}, {400, 1.0 / 16}, {200, 1.0 / 4}};
  SmallVector<PrecisionCandidate> sensitive = {
      {800, 1.0 / 256}, {400, 64}, {200, 1024}};
  return {robust, sensitive, robust};
}

TEST(PrecisionSolverTest, SensitiveLayerKeepsHighPrecision) {
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment(threeLayers(), 0.6);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->choice, (std::vector<size_t>{2, 0, 2}));
  EXPECT_EQ(result->cost, 1200);
  EXPECT_EQ(result->error, 0.25 + 1.0 / 256 + 0.25);
}

TEST(PrecisionSolverTest, TighterBudgetRaisesTheFirstOfTwoEqualLayers) {
  // One robust layer must go to 4 bits; both ways cost 1400 with the same
  // error, so the smaller choice vector wins.
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment(threeLayers(), 0.4);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->choice, (std::vector<size_t>{1, 0, 2}));
  EXPECT_EQ(result->cost, 1400);
  EXPECT_EQ(result->error, 1.0 / 16 + 1.0 / 256 + 0.25);
}

TEST(PrecisionSolverTest, UnboundedBudgetTakesTheCheapest) {
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment(threeLayers(), kInf);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->choice, (std::vector<size_t>{2, 2, 2}));
  EXPECT_EQ(result->cost, 600);
}

TEST(PrecisionSolverTest, BudgetIsInclusive) {
  // The least-error assignment's total is exactly the budget.
  double budget = 1.0 / 256 + 1.0 / 256 + 1.0 / 256;
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment(threeLayers(), budget);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->choice, (std::vector<size_t>{0, 0, 0}));
  EXPECT_EQ(result->error, budget);
}

TEST(PrecisionSolverTest, EqualCostsBreakTiesByErrorThenIndex) {
  Layers layers = {{{1, 0.5}, {1, 0.25}, {1, 0.25}, {3, 0}}};
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment(layers, 1);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->choice, (std::vector<size_t>{1}));
  EXPECT_EQ(leastErrorAssignment(layers).choice, (std::vector<size_t>{3}));
}

TEST(PrecisionSolverTest, LeastErrorBreaksTiesByCostThenIndex) {
  Layers layers = {{{2, 0}, {1, 0}, {1, 0}, {0, 1}}, {{5, 0.5}, {5, 0.5}}};
  PrecisionAssignment least = leastErrorAssignment(layers);
  EXPECT_EQ(least.choice, (std::vector<size_t>{1, 0}));
  EXPECT_EQ(least.cost, 6);
  EXPECT_EQ(least.error, 0.5);
}

TEST(PrecisionSolverTest, TotalsAreSummedInLayerOrder) {
  // 1e16 + 1 + 1 rounds to 1e16 in this order (1e16 + 2 in real
  // arithmetic), so the second and third layers' errors are free.
  Layers layers = {{{0, 1e16}}, {{0, 1}, {5, 0}}, {{0, 1}, {5, 0}}};
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment(layers, 1e16);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->choice, (std::vector<size_t>{0, 0, 0}));
  EXPECT_EQ(result->error, 1e16);
}

TEST(PrecisionSolverTest, ZeroLayers) {
  llvm::Expected<PrecisionAssignment> result = solvePrecisionAssignment({}, 0);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_TRUE(result->choice.empty());
  EXPECT_EQ(result->cost, 0);
  EXPECT_EQ(result->error, 0);
  llvm::Expected<PrecisionAssignment> negative =
      solvePrecisionAssignment({}, -1);
  EXPECT_FALSE(static_cast<bool>(negative));
  llvm::consumeError(negative.takeError());
}

std::string failureOf(const Layers &layers, double budget) {
  llvm::Expected<PrecisionAssignment> result =
      solvePrecisionAssignment(layers, budget);
  if (result)
    return "(succeeded)";
  return llvm::toString(result.takeError());
}

TEST(PrecisionSolverTest, InfeasibleBudgetNamesBudgetAndLeastError) {
  Layers layers = {{{1, 1.0}, {2, 0.75}}, {{1, 0.5}}};
  std::string message = failureOf(layers, 0.5);
  EXPECT_NE(message.find("budget 0.5"), std::string::npos) << message;
  EXPECT_NE(message.find("least reachable total error is 1.25"),
            std::string::npos)
      << message;
  // Shortest round-trip digits: the exact double compared.
  message = failureOf(layers, 0.1);
  EXPECT_NE(message.find("budget 0.1:"), std::string::npos) << message;
}

TEST(PrecisionSolverTest, InvalidInputsFail) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  std::string message = failureOf({{{1, 0}}, {}}, 1);
  EXPECT_NE(message.find("layer 1 has no candidates"), std::string::npos)
      << message;
  message = failureOf({{{1, 0}, {-1, 0}}}, 1);
  EXPECT_NE(message.find("layer 0 candidate 1 has cost -1"), std::string::npos)
      << message;
  message = failureOf({{{nan, 0}}}, 1);
  EXPECT_NE(message.find("cost nan"), std::string::npos) << message;
  message = failureOf({{{1, kInf}}}, kInf);
  EXPECT_NE(message.find("error inf"), std::string::npos) << message;
  message = failureOf({{{1, -0.5}}}, 1);
  EXPECT_NE(message.find("error -0.5"), std::string::npos) << message;
  message = failureOf({{{1, 0}}}, nan);
  EXPECT_NE(message.find("budget is NaN"), std::string::npos) << message;
  double huge = std::numeric_limits<double>::max();
  message = failureOf({{{huge, 0}}, {{huge, 0}}}, 1);
  EXPECT_NE(message.find("overflows"), std::string::npos) << message;
}

/// A network-like instance: 30 layers of 8 weight widths, cost = bits *
/// weights (integers), error = sensitivity * 4^-bits with noise.
Layers networkLayers(std::mt19937_64 &rng, bool integerCosts) {
  std::uniform_real_distribution<double> unit(0, 1);
  Layers layers(30);
  for (SmallVector<PrecisionCandidate> &layer : layers) {
    double weights = std::uniform_int_distribution<int>(16, 512)(rng);
    double sensitivity = std::exp(8 * unit(rng));
    double cyclesPerWeight = 0.5 + unit(rng);
    for (double bits : {8, 7, 6, 5, 4, 3, 2, 1}) {
      double cost = integerCosts
                        ? bits * weights
                        : weights * cyclesPerWeight * std::sqrt(bits) + 3.7;
      layer.push_back(
          {cost, sensitivity * std::pow(4.0, -bits) * (0.8 + 0.4 * unit(rng))});
    }
  }
  return layers;
}

/// The obvious heuristic: start from the least-error candidates and keep
/// taking the move with the most cost saved per error added that stays
/// within the budget.
PrecisionAssignment greedyBaseline(const Layers &layers, double budget) {
  std::vector<size_t> choice;
  for (const SmallVector<PrecisionCandidate> &layer : layers) {
    size_t best = 0;
    for (size_t i = 1; i < layer.size(); ++i)
      if (layer[i].error < layer[best].error)
        best = i;
    choice.push_back(best);
  }
  while (true) {
    auto [cost, error] = totalsOf(layers, choice);
    double bestRate = -1;
    size_t bestLayer = 0, bestCandidate = 0;
    for (size_t j = 0; j < layers.size(); ++j) {
      for (size_t i = 0; i < layers[j].size(); ++i) {
        double saved = layers[j][choice[j]].cost - layers[j][i].cost;
        double added = layers[j][i].error - layers[j][choice[j]].error;
        if (saved <= 0 || error + added > budget)
          continue;
        double rate = added <= 0 ? kInf : saved / added;
        if (rate > bestRate) {
          bestRate = rate;
          bestLayer = j;
          bestCandidate = i;
        }
      }
    }
    if (bestRate < 0)
      return {choice, cost, error};
    choice[bestLayer] = bestCandidate;
  }
}

/// Least total error for every exact integer total cost: layer by layer,
/// error[c] = min over candidates of previous[c - cost] + error, summed in
/// layer order. Rounding is monotone, so the minimum of the rounded sums is
/// the rounded sum of the minimum: this is the exact least error per cost.
std::vector<double> leastErrorPerCost(const Layers &layers) {
  std::vector<double> least = {0};
  for (const SmallVector<PrecisionCandidate> &layer : layers) {
    size_t maxCost = 0;
    for (const PrecisionCandidate &c : layer)
      maxCost = std::max(maxCost, size_t(c.cost));
    std::vector<double> next(least.size() + maxCost, kInf);
    for (size_t c = 0; c < least.size(); ++c) {
      if (least[c] == kInf)
        continue;
      for (const PrecisionCandidate &candidate : layer) {
        double &slot = next[c + size_t(candidate.cost)];
        slot = std::min(slot, least[c] + candidate.error);
      }
    }
    least = std::move(next);
  }
  return least;
}

TEST(PrecisionSolverTest, NetworkSizedInstances) {
  std::mt19937_64 rng(42);
  for (int instance = 0; instance < 8; ++instance) {
    bool integerCosts = instance % 2 == 0;
    Layers layers = networkLayers(rng, integerCosts);
    // A budget between all-8-bit and all-1-bit error: the error of a random
    // middle assignment.
    std::vector<size_t> middle;
    for (size_t j = 0; j < layers.size(); ++j)
      middle.push_back(std::uniform_int_distribution<size_t>(2, 5)(rng));
    double budget = totalsOf(layers, middle).second;
    SCOPED_TRACE("instance " + std::to_string(instance));

    auto start = std::chrono::steady_clock::now();
    llvm::Expected<PrecisionAssignment> result =
        solvePrecisionAssignment(layers, budget);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    std::printf("30 layers x 8 candidates (%s costs): %.3f ms\n",
                integerCosts ? "integer" : "real", seconds * 1e3);
    ASSERT_TRUE(static_cast<bool>(result))
        << llvm::toString(result.takeError());
    auto [cost, error] = totalsOf(layers, result->choice);
    EXPECT_EQ(result->cost, cost);
    EXPECT_EQ(result->error, error);
    EXPECT_LE(result->error, budget);

    PrecisionAssignment greedy = greedyBaseline(layers, budget);
    EXPECT_LE(greedy.error, budget);
    EXPECT_LE(result->cost, greedy.cost);
    EXPECT_LE(result->cost, totalsOf(layers, middle).first);

    if (!integerCosts)
      continue;
    std::vector<double> least = leastErrorPerCost(layers);
    size_t optimum = 0;
    while (!(least[optimum] <= budget))
      ++optimum;
    EXPECT_EQ(result->cost, double(optimum));
    EXPECT_EQ(result->error, least[optimum]);
  }
}

/// Thirty identical layers: an optimum has astronomically many
/// permutations, all exact ties (bit counts, powers of two), so the search
/// must settle ties by bounds, not by enumeration.
TEST(PrecisionSolverTest, IdenticalNetworkLayers) {
  SmallVector<PrecisionCandidate> layer;
  for (int bits = 8; bits >= 1; --bits)
    layer.push_back({64.0 * bits, std::ldexp(1.0, 10 - 2 * bits)});
  Layers layers(30, layer);
  std::vector<double> least = leastErrorPerCost(layers);
  for (double budget : {0.5, 1.0, 7.5, 30.0, 100.0, 1000.0}) {
    SCOPED_TRACE("budget " + std::to_string(budget));
    auto start = std::chrono::steady_clock::now();
    llvm::Expected<PrecisionAssignment> result =
        solvePrecisionAssignment(layers, budget);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    std::printf("30 identical layers x 8 candidates: %.3f ms\n", seconds * 1e3);
    ASSERT_TRUE(static_cast<bool>(result))
        << llvm::toString(result.takeError());
    size_t optimum = 0;
    while (!(least[optimum] <= budget))
      ++optimum;
    EXPECT_EQ(result->cost, double(optimum));
    EXPECT_EQ(result->error, least[optimum]);
    // The smallest arrangement of any multiset of candidates is sorted.
    EXPECT_TRUE(std::is_sorted(result->choice.begin(), result->choice.end()));
  }
}

} // namespace
