//===- Calibrate.cpp - Ranges from sample data ----------------------------===//
//
// qa-calibrate: a copy of the function is instrumented, each observation
// turned into an extra result, lowered and JIT-compiled for the host, and
// run twice over the samples (extremes first, then histograms over the
// extremes). The chosen ranges are written back to the original IR.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Calibration/Instrument.h"
#include "quantaware/Calibration/Samples.h"
#include "quantaware/Calibration/Statistics.h"
#include "quantaware/Dialect/QA/IR/QAAttrs.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"
#include "quantaware/ExecutionEngine/HostJit.h"
#include "quantaware/Precision/Measurement.h"
#include "quantaware/Support/Npy.h"

#include "Measure.h"
#include "RangeChecks.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>

namespace mlir::qa {
#define GEN_PASS_DEF_QACALIBRATE
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

/// Observations kept in memory between the two passes: 256 MiB of doubles.
static constexpr int64_t kCacheBudgetValues = (int64_t{256} << 20) / 8;

namespace {

/// "pass 1/2: 300/1000 samples, 2150/s, ETA 0.3 s" on a terminal; nothing
/// otherwise.
class Progress {
public:
  Progress(StringRef phase, uint64_t total)
      : phase(phase), total(total),
        enabled(llvm::sys::Process::StandardErrIsDisplayed()),
        start(std::chrono::steady_clock::now()), lastPrint(start) {}

  void update(uint64_t done) {
    if (!enabled)
      return;
    auto now = std::chrono::steady_clock::now();
    if (done != total && now - lastPrint < std::chrono::milliseconds(200))
      return;
    lastPrint = now;
    double seconds = std::chrono::duration<double>(now - start).count();
    double rate = seconds > 0 ? done / seconds : 0;
    llvm::errs() << llvm::formatv(
        "\rqa-calibrate: {0}: {1}/{2} samples, {3:f0}/s, ETA {4:f1} s   ",
        phase, done, total, rate, rate > 0 ? (total - done) / rate : 0.0);
    if (done == total)
      llvm::errs() << "\n";
  }

private:
  std::string phase;
  uint64_t total;
  bool enabled;
  std::chrono::steady_clock::time_point start, lastPrint;
};

struct QACalibrate final : qa::impl::QACalibrateBase<QACalibrate> {
  using Base::Base;
  void runOnOperation() override;

private:
  LogicalResult checkOptions(ModuleOp module);
  FailureOr<CalibrationStatistics> collect(ModuleOp module,
                                           func::FuncOp function,
                                           ArrayRef<ObservedTensor> observed);
  FailureOr<CalibrationStatistics>
  readStatistics(func::FuncOp function, ArrayRef<ObservedTensor> observed);
};

} // namespace

LogicalResult QACalibrate::checkOptions(ModuleOp module) {
  if (!parseCalibrationMethod(method))
    return module.emitError() << "unknown calibration method '" << method
                              << "': expected min-max, moving-average, "
                                 "percentile, entropy or mse";
  if (!(percentile > 0 && percentile <= 100))
    return module.emitError()
           << "percentile must be in (0, 100], got " << percentile;
  if (!(averagingConstant > 0 && averagingConstant <= 1))
    return module.emitError()
           << "averaging-constant must be in (0, 1], got " << averagingConstant;
  if (bins < 1)
    return module.emitError() << "bins must be positive, got " << bins;
  if (bits < 2 || bits > 16)
    return module.emitError() << "bits must be in [2, 16], got " << bits;
  if (samples.empty() == statsIn.empty())
    return module.emitError()
           << "qa-calibrate needs exactly one of samples=<.npy files> and "
              "stats-in=<statistics.json>";
  return success();
}

/// Per-channel statistics are collected where the value's precision asks
/// for them.
static int64_t channelAxisOf(Value value) {
  PrecisionAttr precision = getValuePrecision(value);
  if (precision && precision.getGranularity() == Granularity::PerChannel)
    return precision.getAxis();
  return -1;
}

FailureOr<CalibrationStatistics>
QACalibrate::collect(ModuleOp module, func::FuncOp function,
                     ArrayRef<ObservedTensor> observed) {
  if (failed(HostJit::verifySignature(function)))
    return function.emitError()
           << "cannot compile @" << function.getName() << " for calibration";
  FailureOr<std::vector<NpyArray>> arrays =
      loadFunctionSamples(function, samples);
  if (failed(arrays))
    return failure();
  TensorRunner runner(module, function, *arrays, "for calibration");
  int64_t count = runner.getNumSamples();
  std::vector<std::string> names;
  for (const ObservedTensor &tensor : observed)
    names.push_back(tensor.name);

  CalibrationStatistics stats;
  stats.function = function.getName().str();
  stats.samples = count;
  stats.averagingConstant = averagingConstant;
  for (const ObservedTensor &tensor : observed) {
    TensorStatistics &entry = stats.tensors.emplace_back();
    entry.name = tensor.name;
    entry.channelAxis = channelAxisOf(tensor.value);
  }

  // Histograms span the extremes, which are known only after every sample
  // ran once. Keep the observations of the first pass for the second when
  // they fit the budget; run the model again otherwise.
  int64_t perSample = 0;
  for (const ObservedTensor &tensor : observed)
    perSample +=
        cast<RankedTensorType>(tensor.value.getType()).getNumElements();
  bool cache = perSample * count <= kCacheBudgetValues;
  std::vector<double> cached;
  auto unchanged = [](func::FuncOp) { return success(); };

  Progress extremes("pass 1/2 (extremes)", count);
  if (failed(runner.forEachSample(
          names, unchanged,
          [&](int64_t sample,
              ArrayRef<std::vector<double>> values) -> LogicalResult {
            for (auto [index, tensor] : llvm::enumerate(observed)) {
              const std::vector<double> &value = values[index];
              if (!llvm::all_of(value,
                                [](double v) { return std::isfinite(v); }))
                return emitError(tensor.value.getLoc())
                       << "calibration sample " << sample
                       << " produced a NaN or infinity in '" << tensor.name
                       << "'";
              stats.tensors[index].observeExtremes(
                  value,
                  cast<RankedTensorType>(tensor.value.getType()).getShape(),
                  averagingConstant);
              if (cache)
                cached.insert(cached.end(), value.begin(), value.end());
            }
            extremes.update(sample + 1);
            return success();
          })))
    return failure();
  for (TensorStatistics &entry : stats.tensors)
    entry.startHistograms(bins);
  Progress histograms("pass 2/2 (histograms)", count);
  if (cache) {
    const double *next = cached.data();
    for (int64_t sample = 0; sample < count; ++sample) {
      for (auto [index, tensor] : llvm::enumerate(observed)) {
        int64_t size =
            cast<RankedTensorType>(tensor.value.getType()).getNumElements();
        stats.tensors[index].observeHistograms(ArrayRef(next, size));
        next += size;
      }
      histograms.update(sample + 1);
    }
    return stats;
  }
  if (failed(runner.forEachSample(
          names, unchanged,
          [&](int64_t sample, ArrayRef<std::vector<double>> values) {
            for (auto [index, value] :
                 llvm::enumerate(values.take_front(observed.size())))
              stats.tensors[index].observeHistograms(value);
            histograms.update(sample + 1);
            return success();
          })))
    return failure();
  return stats;
}

FailureOr<CalibrationStatistics>
QACalibrate::readStatistics(func::FuncOp function,
                            ArrayRef<ObservedTensor> observed) {
  llvm::Expected<CalibrationStatistics> stats =
      CalibrationStatistics::read(statsIn);
  if (!stats)
    return function.emitError() << llvm::toString(stats.takeError());
  if (stats->function != function.getName())
    function.emitWarning() << statsIn << " was collected for @"
                           << stats->function << ", not @"
                           << function.getName();
  for (const ObservedTensor &tensor : observed)
    if (!stats->lookup(tensor.name))
      return emitError(tensor.value.getLoc())
             << statsIn << " has no statistics for '" << tensor.name
             << "': were they collected from this model?";
  return std::move(*stats);
}

void QACalibrate::runOnOperation() {
  ModuleOp module = getOperation();
  if (failed(checkOptions(module)))
    return signalPassFailure();
  func::FuncOp function = findMeasuredFunction(module, functionName);
  if (!function)
    return signalPassFailure();
  if (function.getNumArguments() == 0) {
    function.emitError() << "@" << function.getName()
                         << " has no inputs: there is nothing to run it on";
    return signalPassFailure();
  }

  SmallVector<ObservedTensor> observed = collectObservedTensors(function);
  FailureOr<CalibrationStatistics> stats =
      statsIn.empty() ? collect(module, function, observed)
                      : readStatistics(function, observed);
  if (failed(stats))
    return signalPassFailure();
  if (!statsOut.empty())
    if (llvm::Error error = stats->write(statsOut)) {
      module.emitError() << llvm::toString(std::move(error));
      return signalPassFailure();
    }

  RangeSelection selection{*parseCalibrationMethod(method), percentile, bits};
  MLIRContext *context = &getContext();
  DenseMap<Operation *, SmallVector<Attribute>> resultRanges;
  for (const ObservedTensor &tensor : observed) {
    auto [lo, hi] = selectRange(*stats->lookup(tensor.name), selection);
    auto range = RangeAttr::get(context, lo, hi, RangeKind::Calibrated);
    if (auto arg = dyn_cast<BlockArgument>(tensor.value)) {
      auto existing = function.getArgAttrOfType<RangeAttr>(
          arg.getArgNumber(), QADialect::kRangeAttrName);
      if (existing && existing.isProven()) {
        warnIfOutsideProven(function, "argument #" + Twine(arg.getArgNumber()),
                            lo, hi, existing.getLo(), existing.getHi());
        continue;
      }
      function.setArgAttr(arg.getArgNumber(), QADialect::kRangeAttrName, range);
      continue;
    }
    auto result = cast<OpResult>(tensor.value);
    // A proven range (from qa-propagate-ranges) gives way to the calibrated
    // one, which chooses the scale, after checking the data against it.
    Attribute existing = result.getOwner()->getAttr(QADialect::kRangeAttrName);
    if (auto array = dyn_cast_or_null<ArrayAttr>(existing))
      existing = array[result.getResultNumber()];
    if (auto proven = dyn_cast_or_null<RangeAttr>(existing);
        proven && proven.isProven())
      warnIfOutsideProven(result.getOwner(),
                          "result #" + Twine(result.getResultNumber()), lo, hi,
                          proven.getLo(), proven.getHi());
    SmallVector<Attribute> &ranges = resultRanges[result.getOwner()];
    ranges.resize(result.getOwner()->getNumResults());
    ranges[result.getResultNumber()] = range;
  }
  for (auto &[op, ranges] : resultRanges) {
    if (llvm::any_of(ranges, [](Attribute a) { return !a; }))
      continue; // Some result is not a float tensor: no attribute fits.
    op->setAttr(QADialect::kRangeAttrName,
                ranges.size() == 1 ? ranges.front()
                                   : ArrayAttr::get(context, ranges));
  }
}
