//===- Pipelines.cpp - QuantAware's tool-level pass pipelines -------------===//
//
// Assembles the quantization flow from the passes' generated factories and
// option structs, so the pipeline takes exactly the options the passes do.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Pipelines/Pipelines.h"

#include "quantaware/Conversion/Passes.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"
#include "quantaware/ExecutionEngine/HostJit.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qa;

void mlir::qa::buildQuantizeToHostPipeline(
    OpPassManager &pm, const QuantizeToHostOptions &options) {
  pm.addNestedPass<func::FuncOp>(createQAPropagateRanges());

  // Without samples or statistics only proven ranges exist: qa-quantize then
  // names the values that lack one.
  if (!options.samples.empty() || !options.statsIn.empty()) {
    QACalibrateOptions calibrate;
    calibrate.functionName = options.function;
    calibrate.samples = options.samples;
    calibrate.statsIn = options.statsIn;
    calibrate.method = options.method;
    pm.addPass(createQACalibrate(calibrate));
  }

  QAQuantizeOptions quantize;
  quantize.activationBits = options.activationBits;
  quantize.weightBits = options.weightBits;
  quantize.weightGranularity = options.weightGranularity;
  quantize.weightSymmetric = options.weightSymmetric;
  quantize.weightGroupSize = options.weightGroupSize;
  quantize.weightClipping = options.weightClipping;
  quantize.rounding = options.rounding;
  quantize.floatFallback = options.floatFallback;
  pm.addNestedPass<func::FuncOp>(createQAQuantize(quantize));

  pm.addPass(createQALowerToInteger());
  pm.addPass(createCanonicalizerPass());
  if (options.lowerToLLVM)
    buildTensorToLLVMPipeline(pm, options.target);
}

void mlir::qa::registerQuantizeToHostPipeline() {
  PassPipelineRegistration<QuantizeToHostOptions>(
      "qa-quantize-to-host",
      "Calibrate, quantize and lower a float tosa model to integer code for "
      "the host (LLVM dialect, bare-pointer calling convention)",
      buildQuantizeToHostPipeline);
}
