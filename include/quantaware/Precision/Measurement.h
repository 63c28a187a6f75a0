//===- Measurement.h - Quantization error measured on samples ---*- C++ -*-===//
//
// Runs a float function, or a transformed (quantized) copy of it, on sample
// inputs and reads its tensors by name, and compares tensors: what the error
// report and precision assignment measure instead of guessing.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_PRECISION_MEASUREMENT_H
#define QUANTAWARE_PRECISION_MEASUREMENT_H

#include "quantaware/Support/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::qa {

/// How far `actual` is from `reference` (same length, all samples of one
/// tensor concatenated):
/// * sqnrDb = 10 log10(sum r^2 / sum (a - r)^2): +inf without error, -inf
///   for an error on a zero reference;
/// * maxAbs and meanAbs of a - r;
/// * cosine = r.a / (|r| |a|) over the whole vector (1 when both are zero,
///   0 when only one is).
struct ErrorMetrics {
  double sqnrDb = 0, maxAbs = 0, meanAbs = 0, cosine = 0;
  /// sum (a - r)^2 / n, the noise power.
  double meanSquared = 0;
};
ErrorMetrics compareTensors(ArrayRef<double> reference,
                            ArrayRef<double> actual);

/// The index of the largest of each of `count` equal slices of `values` (the
/// first on ties): per-sample top-1 classes.
std::vector<int64_t> argmaxPerSample(ArrayRef<double> values, int64_t count);

/// Runs `function` of `module` on samples (one array per argument, as
/// loadFunctionSamples returns them). Each run works on a copy of the
/// module, so the original is never changed.
class TensorRunner {
public:
  /// `purpose` ends the error when the function cannot be compiled
  /// ("cannot compile @f <purpose>").
  TensorRunner(ModuleOp module, func::FuncOp function,
               const std::vector<NpyArray> &samples,
               StringRef purpose = "to measure it")
      : module(module), function(function), samples(samples),
        purpose(purpose.str()) {}

  int64_t getNumSamples() const { return samples.front().shape.front(); }

  /// Calls `visit` for every sample in order with the values of each tensor
  /// named in `names` (names as collectObservedTensors gives them), then,
  /// if the function has results, of its first result. `transform` first
  /// rewrites the copy (for example quantizes it; its remarks are dropped),
  /// whose ops carry their names as NameLoc locations so that ops replacing
  /// them (a qa.dequantize of a quantized layer) keep them. A name the
  /// transformed copy no longer has (a value fused into a layer) gives an
  /// empty vector. The copy is then lowered to integers and JIT-compiled.
  LogicalResult forEachSample(
      ArrayRef<std::string> names,
      function_ref<LogicalResult(func::FuncOp)> transform,
      function_ref<LogicalResult(int64_t sample, ArrayRef<std::vector<double>>)>
          visit);

  /// The same values over all samples, concatenated: one vector per name,
  /// then one for the first result (an error if there is none).
  FailureOr<std::vector<std::vector<double>>>
  run(ArrayRef<std::string> names,
      function_ref<LogicalResult(func::FuncOp)> transform);

private:
  ModuleOp module;
  func::FuncOp function;
  const std::vector<NpyArray> &samples;
  std::string purpose;
};

} // namespace mlir::qa

#endif // QUANTAWARE_PRECISION_MEASUREMENT_H
