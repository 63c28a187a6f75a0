//===- ReportError.cpp - Per-tensor quantization error --------------------===//
//
// qa-report-error: the float model, the whole model quantized, and each
// quantizable op quantized alone run on the samples; every tensor a
// quantized op produces is compared with its float value.
//
//===----------------------------------------------------------------------===//

#include "Measure.h"

#include "quantaware/Calibration/Instrument.h"
#include "quantaware/Calibration/Samples.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/IR/QAOps.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"
#include "quantaware/Precision/Measurement.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

namespace mlir::qa {
#define GEN_PASS_DEF_QAREPORTERROR
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

namespace {

struct TensorReport {
  std::string name, op;
  std::optional<ErrorMetrics> local;
  ErrorMetrics cumulative;
};

struct OutputReport {
  ErrorMetrics error;
  double agreement = 0;
  std::optional<double> floatAccuracy, quantizedAccuracy;
};

struct QAReportError final : qa::impl::QAReportErrorBase<QAReportError> {
  using Base::Base;
  void runOnOperation() override;
};

} // namespace

/// JSON numbers cannot be infinite: those SQNRs are written as strings.
static llvm::json::Value decibelsJson(double db) {
  if (std::isinf(db))
    return formatDecibels(db);
  return db;
}

static llvm::json::Object metricsJson(const ErrorMetrics &metrics) {
  return llvm::json::Object{{"sqnr_db", decibelsJson(metrics.sqnrDb)},
                            {"max_abs_error", metrics.maxAbs},
                            {"mean_abs_error", metrics.meanAbs},
                            {"cosine", metrics.cosine}};
}

void QAReportError::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<MeasuredModel> model = loadMeasuredModel(
      module, functionName, samples, labels, "qa-report-error");
  if (failed(model))
    return signalPassFailure();
  func::FuncOp function = model->function;
  TensorRunner runner(module, function, model->samples);
  int64_t count = runner.getNumSamples();
  const std::optional<std::vector<int64_t>> &labelValues = model->labels;

  // Every op result, by name; which op made it.
  std::vector<std::string> names;
  llvm::StringMap<std::string> opOf;
  for (const ObservedTensor &tensor : collectObservedTensors(function))
    if (Operation *op = tensor.value.getDefiningOp()) {
      names.push_back(tensor.name);
      opOf[tensor.name] = op->getName().getStringRef().str();
    }

  auto noChange = [](func::FuncOp) { return success(); };
  FailureOr<std::vector<std::vector<double>>> reference =
      runner.run(names, noChange);
  if (failed(reference))
    return signalPassFailure();
  // The tensors quantized ops produce are the qa.dequantize results.
  auto quantizedOutputs = [](func::FuncOp copy) {
    SmallVector<std::string> produced;
    copy.walk([&](DequantizeOp dequantize) {
      if (std::optional<std::string> name = measuredName(dequantize))
        produced.push_back(*name);
    });
    return produced;
  };
  FailureOr<std::vector<std::vector<double>>> quantized =
      runner.run({}, [&](func::FuncOp copy) {
        return quantizeFunction(copy, quantizeOptions);
      });
  if (failed(quantized))
    return signalPassFailure();

  // Per tensor: the model quantized up to it (cumulative), and the op that
  // makes it quantized alone (local).
  std::vector<TensorReport> tensors;
  llvm::StringMap<size_t> reportOf;
  for (auto [index, name] : llvm::enumerate(names)) {
    SmallVector<std::string> produced;
    FailureOr<std::vector<std::vector<double>>> upTo =
        runner.run({name}, [&](func::FuncOp copy) {
          keepFloatAfter(copy, name);
          if (failed(quantizeFunction(copy, quantizeOptions)))
            return failure();
          produced = quantizedOutputs(copy);
          return success();
        });
    if (failed(upTo))
      return signalPassFailure();
    // Fused into a layer, or not quantized: no tensor of its own.
    if (!llvm::is_contained(produced, name) || upTo->front().empty())
      continue;
    reportOf[name] = tensors.size();
    tensors.push_back({name, opOf.lookup(name), std::nullopt,
                       compareTensors((*reference)[index], upTo->front())});
  }
  for (const std::string &name : names) {
    SmallVector<std::string> produced;
    FailureOr<std::vector<std::vector<double>>> alone =
        runner.run(names, [&](func::FuncOp copy) {
          keepFloatExcept(copy, name);
          if (failed(quantizeFunction(copy, quantizeOptions)))
            return failure();
          produced = quantizedOutputs(copy);
          return success();
        });
    if (failed(alone))
      return signalPassFailure();
    for (const std::string &made : produced)
      if (auto it = reportOf.find(made); it != reportOf.end()) {
        size_t index = llvm::find(names, made) - names.begin();
        tensors[it->second].local =
            compareTensors((*reference)[index], (*alone)[index]);
      }
  }

  OutputReport output;
  const std::vector<double> &floatOut = reference->back();
  const std::vector<double> &quantizedOut = quantized->back();
  output.error = compareTensors(floatOut, quantizedOut);
  std::vector<int64_t> floatTop = argmaxPerSample(floatOut, count);
  std::vector<int64_t> quantizedTop = argmaxPerSample(quantizedOut, count);
  output.agreement = topOneAccuracy(quantizedTop, floatTop);
  if (labelValues) {
    output.floatAccuracy = topOneAccuracy(floatTop, *labelValues);
    output.quantizedAccuracy = topOneAccuracy(quantizedTop, *labelValues);
  }

  auto printTable = [&](raw_ostream &os) {
    os << llvm::formatv("qa-report-error: @{0}, {1} samples\n",
                        function.getName(), count);
    os << llvm::formatv("{0,-24} {1,-22} {2,+10} {3,+10} {4,+12} {5,+12} "
                        "{6,+9}\n",
                        "tensor", "op", "local dB", "cumul. dB", "max |err|",
                        "mean |err|", "cosine");
    for (const TensorReport &tensor : tensors)
      os << llvm::formatv(
          "{0,-24} {1,-22} {2,+10} {3,+10} {4,12:e3} {5,12:e3} {6,9:f5}\n",
          tensor.name, tensor.op,
          tensor.local ? formatDecibels(tensor.local->sqnrDb) : "-",
          formatDecibels(tensor.cumulative.sqnrDb), tensor.cumulative.maxAbs,
          tensor.cumulative.meanAbs, tensor.cumulative.cosine);
    os << llvm::formatv("output: SQNR {0} dB, top-1 agreement {1:f2}%",
                        formatDecibels(output.error.sqnrDb), output.agreement);
    if (labelValues)
      os << llvm::formatv(", accuracy float {0:f2}%, quantized {1:f2}%",
                          *output.floatAccuracy, *output.quantizedAccuracy);
    os << "\n";
  };
  auto makeJson = [&]() -> llvm::json::Value {
    llvm::json::Array entries;
    for (const TensorReport &tensor : tensors)
      entries.push_back(llvm::json::Object{
          {"name", tensor.name},
          {"op", tensor.op},
          {"local", tensor.local ? llvm::json::Value(metricsJson(*tensor.local))
                                 : llvm::json::Value(nullptr)},
          {"cumulative", metricsJson(tensor.cumulative)}});
    llvm::json::Object outputJson = metricsJson(output.error);
    outputJson["top1_agreement"] = output.agreement;
    if (labelValues) {
      outputJson["float_accuracy"] = *output.floatAccuracy;
      outputJson["quantized_accuracy"] = *output.quantizedAccuracy;
    }
    llvm::json::Object report{{"function", function.getName().str()},
                              {"samples", count},
                              {"tensors", std::move(entries)},
                              {"output", std::move(outputJson)}};
    return std::move(report);
  };
  if (failed(writeReports(module, table, printTable, json, makeJson)))
    return signalPassFailure();
}
