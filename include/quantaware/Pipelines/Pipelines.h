//===- Pipelines.h - QuantAware's tool-level pass pipelines -----*- C++ -*-===//
//
// The quantization flow as one pass pipeline: quant-opt registers it,
// quant-compile builds it from its command line, so every front door
// compiles a model the same way.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_PIPELINES_PIPELINES_H
#define QUANTAWARE_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::qa {

/// Options of `qa-quantize-to-host`: those of the passes it runs, under the
/// same names, plus where to stop. Values are checked by the passes.
struct QuantizeToHostOptions
    : public PassPipelineOptions<QuantizeToHostOptions> {
  Option<std::string> function{
      *this, "function",
      llvm::cl::desc("Function to calibrate (default: the only public one)")};
  Option<std::string> samples{
      *this, "samples",
      llvm::cl::desc("Calibration inputs: comma-separated .npy files or "
                     "directories, one per argument")};
  Option<std::string> statsIn{
      *this, "stats-in",
      llvm::cl::desc("Calibrate from this statistics JSON file instead of "
                     "running samples")};
  Option<std::string> method{
      *this, "method",
      llvm::cl::desc(
          "Calibration method: min-max | moving-average | percentile | "
          "entropy | mse"),
      llvm::cl::init("min-max")};
  Option<unsigned> activationBits{
      *this, "activation-bits",
      llvm::cl::desc("Bit width of activations (2, 4, 8 or 16)"),
      llvm::cl::init(8)};
  Option<unsigned> weightBits{*this, "weight-bits",
                              llvm::cl::desc("Bit width of weights (1 for "
                                             "binary, 2, 4, 8 or 16)"),
                              llvm::cl::init(8)};
  Option<std::string> weightGranularity{
      *this, "weight-granularity",
      llvm::cl::desc("Weight scales per-channel or per-tensor"),
      llvm::cl::init("per-channel")};
  Option<bool> weightSymmetric{
      *this, "weight-symmetric",
      llvm::cl::desc("Symmetric weights (false: asymmetric, a zero point)"),
      llvm::cl::init(true)};
  Option<int64_t> weightGroupSize{
      *this, "weight-group-size",
      llvm::cl::desc("Fully-connected weights per group of this many along "
                     "K (0: per channel)"),
      llvm::cl::init(0)};
  Option<std::string> weightClipping{
      *this, "weight-clipping",
      llvm::cl::desc("Weight scale per channel: max | mse | auto"),
      llvm::cl::init("auto")};
  Option<std::string> rounding{
      *this, "rounding",
      llvm::cl::desc("Rounding of the quantized ops: tflite_double | "
                     "tflite_single | half_even"),
      llvm::cl::init("tflite_double")};
  Option<bool> floatFallback{
      *this, "float-fallback",
      llvm::cl::desc("Leave ops without a quantized form float (false: an "
                     "error, for integer-only code)"),
      llvm::cl::init(true)};
  Option<bool> lowerToLLVM{
      *this, "lower-to-llvm",
      llvm::cl::desc("Lower the integer graph on to the LLVM dialect (false: "
                     "stop at integer tensors, e.g. for quant-run)"),
      llvm::cl::init(true)};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Target descriptor the LLVM lowering's micro-kernels "
                     "are for (see quant-compile --list-targets)"),
      llvm::cl::init("host")};
};

/// Appends the quantization flow: qa-propagate-ranges, qa-calibrate (when
/// samples or statistics are given), qa-quantize, qa-lower-to-integer,
/// canonicalize, and unless `lower-to-llvm=false` the host lowering of
/// `qa-tensor-to-llvm` (bare-pointer arguments, results as out-parameters).
void buildQuantizeToHostPipeline(OpPassManager &pm,
                                 const QuantizeToHostOptions &options);

/// Registers `buildQuantizeToHostPipeline` as `qa-quantize-to-host`.
void registerQuantizeToHostPipeline();

} // namespace mlir::qa

#endif // QUANTAWARE_PIPELINES_PIPELINES_H
