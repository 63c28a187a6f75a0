//===- FloatRangeSoundnessTest.cpp - No value escapes its proven range ----===//
//
// For each op the range analysis supports: build a one-op function whose
// arguments carry ranges, run the analysis, then evaluate the op on many
// random inputs inside those ranges (corners included) with an evaluator
// written here, independently of the analysis, and check every output lies
// in the computed interval. Arithmetic is evaluated exactly in __float128
// (products and sums of doubles of similar magnitude are exact there);
// transcendental functions in long double, far more accurate than the few
// double ulps the analysis allows itself.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/FloatRangeAnalysis.h"
#include "quantaware/InitAllDialects.h"

#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <cmath>
#include <functional>
#include <random>

using namespace mlir;
using namespace mlir::qa;

namespace {

using Exact = __float128;

class FloatRangeSoundnessTest : public ::testing::Test {
protected:
  FloatRangeSoundnessTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Runs the analysis on `source` (a module with one function) and returns
  /// the range of the function's single returned value.
  FloatInterval analyze(const std::string &source) {
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module) << source;
    if (!module)
      return FloatInterval::unbounded();
    DataFlowSolver solver;
    loadFloatRangeAnalysis(solver);
    EXPECT_TRUE(succeeded(solver.initializeAndRun(*module)));
    auto function = *module->getOps<func::FuncOp>().begin();
    Value returned =
        function.getBody().front().getTerminator()->getOperand(0);
    FloatRange range = getFloatRange(solver, returned);
    EXPECT_FALSE(range.isUninitialized());
    EXPECT_TRUE(range.isProven());
    return range.isUninitialized() ? FloatInterval::unbounded()
                                   : range.getInterval();
  }

  /// A point of [lo, hi]: a corner a quarter of the time each, else uniform.
  double sample(FloatInterval interval) {
    double u = uniform(rng);
    if (u < 0.25)
      return interval.lo();
    if (u < 0.5)
      return interval.hi();
    return interval.lo() + (interval.hi() - interval.lo()) * uniform(rng);
  }

  std::vector<double> samples(FloatInterval interval, size_t count) {
    std::vector<double> values(count);
    for (double &value : values)
      value = sample(interval);
    return values;
  }

  /// Checks `value` lies in `bound`, comparing exactly.
  template <typename T>
  void expectInside(T value, FloatInterval bound, const std::string &what) {
    ASSERT_TRUE(static_cast<T>(bound.lo()) <= value &&
                value <= static_cast<T>(bound.hi()))
        << what << ": " << static_cast<double>(value) << " escapes "
        << bound.lo() << ", " << bound.hi();
  }

  /// `pattern` with $0, $1, ... replaced by `args`.
  static std::string fill(std::string pattern,
                          std::initializer_list<std::string> args) {
    size_t index = 0;
    for (const std::string &arg : args) {
      std::string token = "$" + std::to_string(index++);
      for (size_t at = pattern.find(token); at != std::string::npos;
           at = pattern.find(token, at + arg.size()))
        pattern.replace(at, token.size(), arg);
    }
    return pattern;
  }

  static std::string range(FloatInterval interval) {
    return llvm::formatv("{{qa.range = #qa.range<{0:e17}, {1:e17}, proven>}",
                         interval.lo(), interval.hi())
        .str();
  }

  /// A dense literal of row-major `values` nested to `shape`.
  static std::string denseOf(const std::vector<double> &values,
                             ArrayRef<int64_t> shape) {
    size_t next = 0;
    std::function<std::string(size_t)> nest = [&](size_t dim) {
      if (dim == shape.size())
        return llvm::formatv("{0:e17}", values[next++]).str();
      std::string text = "[";
      for (int64_t i = 0; i < shape[dim]; ++i)
        text += (i ? ", " : "") + nest(dim + 1);
      return text + "]";
    };
    return "dense<" + nest(0) + ">";
  }

  MLIRContext context;
  std::mt19937_64 rng{1234};
  std::uniform_real_distribution<double> uniform{0.0, 1.0};
  static constexpr int kTrials = 2000;
};

/// Input ranges covering signs, zero and magnitudes.
const FloatInterval kRanges[] = {{-1.0, 2.0}, {0.5, 3.25}, {-7.5, -0.125},
                                 {0.0, 0.0},  {-1e3, 1e-3}, {-0.3, 0.3}};

TEST_F(FloatRangeSoundnessTest, ElementwiseBinary) {
  struct Case {
    const char *op;
    std::function<Exact(Exact, Exact)> eval;
  };
  const Case cases[] = {
      {"tosa.add", [](Exact a, Exact b) { return a + b; }},
      {"tosa.sub", [](Exact a, Exact b) { return a - b; }},
      {"tosa.maximum", [](Exact a, Exact b) { return a > b ? a : b; }},
      {"tosa.minimum", [](Exact a, Exact b) { return a < b ? a : b; }},
  };
  for (const Case &c : cases)
    for (FloatInterval x : kRanges)
      for (FloatInterval y : kRanges) {
        FloatInterval bound = analyze(fill(R"(
          func.func @f(%x: tensor<4xf32> $0, %y: tensor<4xf32> $1) -> tensor<4xf32> {
            %r = $2 %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
            return %r : tensor<4xf32>
          })", {range(x), range(y), c.op}));
        for (int i = 0; i < kTrials; ++i)
          expectInside(c.eval(sample(x), sample(y)), bound, c.op);
      }
}

TEST_F(FloatRangeSoundnessTest, MulAndDivide) {
  for (FloatInterval x : kRanges)
    for (FloatInterval y : kRanges) {
      FloatInterval product = analyze(fill(R"(
        func.func @f(%x: tensor<4xf32> $0, %y: tensor<4xf32> $1) -> tensor<4xf32> {
          %s = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
          %r = tosa.mul %x, %y, %s : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>
          return %r : tensor<4xf32>
        })", {range(x), range(y)}));
      FloatInterval quotient = analyze(fill(R"(
        func.func @f(%x: f64 $0, %y: f64 $1) -> f64 {
          %r = arith.divf %x, %y : f64
          return %r : f64
        })", {range(x), range(y)}));
      for (int i = 0; i < kTrials; ++i) {
        double a = sample(x), b = sample(y);
        expectInside(Exact(a) * Exact(b), product, "tosa.mul");
        if (b != 0)
          expectInside(static_cast<long double>(a) / b, quotient, "arith.divf");
      }
    }
}

TEST_F(FloatRangeSoundnessTest, Unary) {
  struct Case {
    const char *body; // uses %x, defines %r
    std::function<long double(long double)> eval;
  };
  const Case cases[] = {
      {"%z = \"tosa.const\"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>\n"
       "%r = tosa.negate %x, %z, %z : (tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4xf32>",
       [](long double a) { return -a; }},
      {"%r = tosa.abs %x : (tensor<4xf32>) -> tensor<4xf32>",
       [](long double a) { return std::fabs(a); }},
      {"%r = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>",
       [](long double a) { return std::min(std::max(a, 0.0L), 6.0L); }},
      {"%r = tosa.exp %x : (tensor<4xf32>) -> tensor<4xf32>",
       [](long double a) { return std::exp(a); }},
      {"%r = tosa.tanh %x : (tensor<4xf32>) -> tensor<4xf32>",
       [](long double a) { return std::tanh(a); }},
      {"%r = tosa.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>",
       [](long double a) { return 1.0L / (1.0L + std::exp(-a)); }},
      // hard-swish numerator and hard-sigmoid, in tosa form.
      {"%t = \"tosa.const\"() <{values = dense<3.0> : tensor<4xf32>}> : () -> tensor<4xf32>\n"
       "%s = \"tosa.const\"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>\n"
       "%p = tosa.add %x, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>\n"
       "%c = tosa.clamp %p {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>\n"
       "%r = tosa.mul %x, %c, %s : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>",
       [](long double a) { return a * std::min(std::max(a + 3, 0.0L), 6.0L); }},
      {"%r = tosa.reciprocal %x : (tensor<4xf32>) -> tensor<4xf32>",
       [](long double a) { return 1.0L / a; }},
  };
  const FloatInterval ranges[] = {{-1.0, 2.0},  {-4.0, 4.0}, {-30.0, -20.0},
                                  {0.25, 50.0}, {-5.0, -1.5}, {-1.5, 0.5}};
  for (const Case &c : cases)
    for (FloatInterval x : ranges) {
      FloatInterval bound = analyze(fill(R"(
        func.func @f(%x: tensor<4xf32> $0) -> tensor<4xf32> {
          $1
          return %r : tensor<4xf32>
        })", {range(x), c.body}));
      for (int i = 0; i < kTrials; ++i) {
        double a = sample(x);
        if (a == 0 && std::string(c.body).find("reciprocal") != std::string::npos)
          continue;
        expectInside(c.eval(a), bound, c.body);
      }
    }
}

/// y[n, w] = sum_c x[n, c] * B[c, w] for tosa.matmul and linalg.matmul with
/// constant B, and for two variable operands.
TEST_F(FloatRangeSoundnessTest, MatMul) {
  const int64_t depth = 6, width = 3;
  std::normal_distribution<double> normal(0.0, 1.0);
  for (FloatInterval x : kRanges) {
    std::vector<double> weights(depth * width);
    for (double &w : weights)
      w = std::round(normal(rng) * 64) / 32;
    std::string b = denseOf(weights, {depth, width});
    FloatInterval tosaBound = analyze(fill(R"(
      func.func @f(%x: tensor<1x1x6xf32> $0) -> tensor<1x1x3xf32> {
        %w = "tosa.const"() <{values = $2 : tensor<1x6x3xf32>}> : () -> tensor<1x6x3xf32>
        %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
        %r = tosa.matmul %x, %w, %z, %z : (tensor<1x1x6xf32>, tensor<1x6x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32>
        return %r : tensor<1x1x3xf32>
      })", {range(x), b, denseOf(weights, {1, depth, width})}));
    FloatInterval linalgBound = analyze(fill(R"(
      func.func @f(%x: tensor<1x6xf32> $0) -> tensor<1x3xf32> {
        %w = arith.constant $1 : tensor<6x3xf32>
        %zero = arith.constant 0.0 : f32
        %e = tensor.empty() : tensor<1x3xf32>
        %i = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
        %r = linalg.matmul ins(%x, %w : tensor<1x6xf32>, tensor<6x3xf32>) outs(%i : tensor<1x3xf32>) -> tensor<1x3xf32>
        return %r : tensor<1x3xf32>
      })", {range(x), b}));
    EXPECT_EQ(tosaBound, linalgBound);
    for (int i = 0; i < kTrials; ++i) {
      std::vector<double> row = samples(x, depth);
      for (int64_t w = 0; w < width; ++w) {
        Exact sum = 0;
        for (int64_t c = 0; c < depth; ++c)
          sum += Exact(row[c]) * Exact(weights[c * width + w]);
        expectInside(sum, tosaBound, "matmul");
      }
    }
  }
  // Two variable operands.
  for (FloatInterval a : kRanges)
    for (FloatInterval b : kRanges) {
      FloatInterval bound = analyze(fill(R"(
        func.func @f(%a: tensor<1x1x6xf32> $0, %b: tensor<1x6x1xf32> $1) -> tensor<1x1x1xf32> {
          %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
          %r = tosa.matmul %a, %b, %z, %z : (tensor<1x1x6xf32>, tensor<1x6x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
          return %r : tensor<1x1x1xf32>
        })", {range(a), range(b)}));
      for (int i = 0; i < kTrials; ++i) {
        Exact sum = 0;
        for (int64_t c = 0; c < depth; ++c)
          sum += Exact(sample(a)) * Exact(sample(b));
        expectInside(sum, bound, "matmul of activations");
      }
    }
}

/// NHWC conv2d with OHWI weights, per-channel bias and zero padding, and
/// depthwise conv2d with [KH, KW, C, M] weights, in tosa form.
TEST_F(FloatRangeSoundnessTest, Convolutions) {
  const int64_t h = 4, w = 4, c = 2, o = 3, k = 2, pad = 1;
  const int64_t oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
  std::normal_distribution<double> normal(0.0, 1.0);
  auto randomWeights = [&](size_t count) {
    std::vector<double> values(count);
    for (double &value : values)
      value = std::round(normal(rng) * 16) / 8;
    return values;
  };
  for (FloatInterval x : kRanges) {
    std::vector<double> weights = randomWeights(o * k * k * c);
    std::vector<double> bias = randomWeights(o);
    std::vector<double> dwWeights = randomWeights(k * k * c);
    std::vector<double> dwBias = randomWeights(c);
    FloatInterval convBound = analyze(fill(R"(
      func.func @f(%x: tensor<1x4x4x2xf32> $0) -> tensor<1x5x5x3xf32> {
        %w = "tosa.const"() <{values = $1 : tensor<3x2x2x2xf32>}> : () -> tensor<3x2x2x2xf32>
        %b = "tosa.const"() <{values = $2 : tensor<3xf32>}> : () -> tensor<3xf32>
        %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
        %r = tosa.conv2d %x, %w, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
            : (tensor<1x4x4x2xf32>, tensor<3x2x2x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x3xf32>
        return %r : tensor<1x5x5x3xf32>
      })", {range(x), denseOf(weights, {o, k, k, c}), denseOf(bias, {o})}));
    FloatInterval dwBound = analyze(fill(R"(
      func.func @f(%x: tensor<1x4x4x2xf32> $0) -> tensor<1x5x5x2xf32> {
        %w = "tosa.const"() <{values = $1 : tensor<2x2x2x1xf32>}> : () -> tensor<2x2x2x1xf32>
        %b = "tosa.const"() <{values = $2 : tensor<2xf32>}> : () -> tensor<2xf32>
        %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
        %r = tosa.depthwise_conv2d %x, %w, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
            : (tensor<1x4x4x2xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x2xf32>
        return %r : tensor<1x5x5x2xf32>
      })", {range(x), denseOf(dwWeights, {k, k, c, 1}), denseOf(dwBias, {c})}));
    for (int trial = 0; trial < kTrials / 10; ++trial) {
      std::vector<double> image = samples(x, h * w * c);
      auto at = [&](int64_t y, int64_t xx, int64_t ch) -> Exact {
        if (y < 0 || y >= h || xx < 0 || xx >= w)
          return 0; // zero padding
        return image[(y * w + xx) * c + ch];
      };
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xx = 0; xx < ow; ++xx) {
          for (int64_t out = 0; out < o; ++out) {
            Exact sum = bias[out];
            for (int64_t ky = 0; ky < k; ++ky)
              for (int64_t kx = 0; kx < k; ++kx)
                for (int64_t ch = 0; ch < c; ++ch)
                  sum += at(y + ky - pad, xx + kx - pad, ch) *
                         Exact(weights[((out * k + ky) * k + kx) * c + ch]);
            expectInside(sum, convBound, "conv2d");
          }
          for (int64_t ch = 0; ch < c; ++ch) {
            Exact sum = dwBias[ch];
            for (int64_t ky = 0; ky < k; ++ky)
              for (int64_t kx = 0; kx < k; ++kx)
                sum += at(y + ky - pad, xx + kx - pad, ch) *
                       Exact(dwWeights[(ky * k + kx) * c + ch]);
            expectInside(sum, dwBound, "depthwise_conv2d");
          }
        }
    }
  }
}

/// Pooling, reductions, mean, softmax, batch norm and data movement.
TEST_F(FloatRangeSoundnessTest, PoolingReductionsAndDataMovement) {
  for (FloatInterval x : kRanges) {
    FloatInterval avg = analyze(fill(R"(
      func.func @f(%x: tensor<1x3x3x1xf32> $0) -> tensor<1x2x2x1xf32> {
        %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
        %r = tosa.avg_pool2d %x, %z, %z {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>}
            : (tensor<1x3x3x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
        return %r : tensor<1x2x2x1xf32>
      })", {range(x)}));
    FloatInterval max = analyze(fill(R"(
      func.func @f(%x: tensor<1x3x3x1xf32> $0) -> tensor<1x2x2x1xf32> {
        %r = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>}
            : (tensor<1x3x3x1xf32>) -> tensor<1x2x2x1xf32>
        return %r : tensor<1x2x2x1xf32>
      })", {range(x)}));
    FloatInterval sum = analyze(fill(R"(
      func.func @f(%x: tensor<2x5xf32> $0) -> tensor<2x1xf32> {
        %r = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<2x5xf32>) -> tensor<2x1xf32>
        return %r : tensor<2x1xf32>
      })", {range(x)}));
    FloatInterval mean = analyze(fill(R"(
      func.func @f(%x: tensor<8xf32> $0) -> tensor<f32> {
        %zero = arith.constant 0.0 : f32
        %e = tensor.empty() : tensor<f32>
        %i = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
        %s = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>], iterator_types = ["reduction"]}
            ins(%x : tensor<8xf32>) outs(%i : tensor<f32>) {
        ^bb0(%in: f32, %out: f32):
          %a = arith.addf %out, %in : f32
          linalg.yield %a : f32
        } -> tensor<f32>
        %e2 = tensor.empty() : tensor<f32>
        %r = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []}
            ins(%s : tensor<f32>) outs(%e2 : tensor<f32>) {
        ^bb0(%in: f32, %out: f32):
          %eighth = arith.constant 0.125 : f32
          %m = arith.mulf %in, %eighth : f32
          linalg.yield %m : f32
        } -> tensor<f32>
        return %r : tensor<f32>
      })", {range(x)}));
    FloatInterval softmax = analyze(fill(R"(
      func.func @f(%x: tensor<1x5xf32> $0) -> tensor<1x5xf32> {
        %e = tensor.empty() : tensor<1x5xf32>
        %r = linalg.softmax dimension(1) ins(%x : tensor<1x5xf32>) outs(%e : tensor<1x5xf32>) -> tensor<1x5xf32>
        return %r : tensor<1x5xf32>
      })", {range(x)}));
    FloatInterval batchNorm = analyze(fill(R"(
      func.func @f(%x: tensor<1x2xf32> $0) -> tensor<1x2xf32> {
        %mu = "tosa.const"() <{values = dense<[[0.5, -1.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
        %g = "tosa.const"() <{values = dense<[[2.0, -0.25]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
        %b = "tosa.const"() <{values = dense<[[0.125, 3.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
        %s = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
        %c = tosa.sub %x, %mu : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
        %m = tosa.mul %c, %g, %s : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1xi8>) -> tensor<1x2xf32>
        %r = tosa.add %m, %b : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
        return %r : tensor<1x2xf32>
      })", {range(x)}));
    FloatInterval padded = analyze(fill(R"(
      func.func @f(%x: tensor<2x2xf32> $0, %y: tensor<2x2xf32> $1) -> tensor<5x4xf32> {
        %t = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
        %c = tosa.concat %t, %y {axis = 0 : i32} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
        %p = tosa.const_shape {values = dense<[0, 1, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
        %v = "tosa.const"() <{values = dense<-2.5> : tensor<1xf32>}> : () -> tensor<1xf32>
        %r = tosa.pad %c, %p, %v : (tensor<4x2xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<5x4xf32>
        return %r : tensor<5x4xf32>
      })", {range(x), range({0.5, 0.75})}));

    for (int trial = 0; trial < kTrials; ++trial) {
      // A 2x2 window of a padded 3x3 image: 1, 2 or 4 real elements.
      std::vector<double> window = samples(x, 4);
      for (size_t count : {1, 2, 4}) {
        Exact total = 0, largest = window[0];
        for (size_t i = 0; i < count; ++i) {
          total += window[i];
          largest = std::max<Exact>(largest, window[i]);
        }
        expectInside(total / count, avg, "avg_pool2d (count valid)");
        expectInside(total / 4, avg, "avg_pool2d (count padding)");
        expectInside(largest, max, "max_pool2d");
      }
      std::vector<double> row = samples(x, 8);
      Exact total = 0;
      for (int i = 0; i < 5; ++i)
        total += row[i];
      expectInside(total, sum, "reduce_sum");
      for (int i = 5; i < 8; ++i)
        total += row[i];
      expectInside(total / 8, mean, "mean");
      long double denominator = 0;
      for (int i = 0; i < 5; ++i)
        denominator += std::exp(static_cast<long double>(row[i]));
      for (int i = 0; i < 5; ++i)
        expectInside(std::exp(static_cast<long double>(row[i])) / denominator,
                     softmax, "softmax");
      const double mu[] = {0.5, -1.0}, g[] = {2.0, -0.25}, b[] = {0.125, 3.0};
      for (int ch = 0; ch < 2; ++ch)
        expectInside((Exact(row[ch]) - mu[ch]) * g[ch] + b[ch], batchNorm,
                     "batch norm");
      // Data movement outputs are input values or the pad value.
      for (double value : {row[0], sample({0.5, 0.75}), -2.5})
        expectInside(Exact(value), padded, "transpose/concat/pad");
    }
  }
}

/// A linalg.generic body: relu(x * 0.5 + y) evaluated on the scalars.
TEST_F(FloatRangeSoundnessTest, LinalgGenericBody) {
  for (FloatInterval x : kRanges)
    for (FloatInterval y : kRanges) {
      FloatInterval bound = analyze(fill(R"(
        func.func @f(%x: tensor<4xf32> $0, %y: tensor<4xf32> $1) -> tensor<4xf32> {
          %e = tensor.empty() : tensor<4xf32>
          %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
              ins(%x, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
          ^bb0(%a: f32, %b: f32, %o: f32):
            %half = arith.constant 0.5 : f32
            %zero = arith.constant 0.0 : f32
            %m = arith.mulf %a, %half : f32
            %s = arith.addf %m, %b : f32
            %r = arith.maximumf %s, %zero : f32
            linalg.yield %r : f32
          } -> tensor<4xf32>
          return %r : tensor<4xf32>
        })", {range(x), range(y)}));
      for (int i = 0; i < kTrials; ++i) {
        Exact value = Exact(sample(x)) * 0.5 + Exact(sample(y));
        expectInside(value > 0 ? value : Exact(0), bound, "linalg.generic");
      }
    }
}

} // namespace
