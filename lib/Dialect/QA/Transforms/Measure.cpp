//===- Measure.cpp - What qa-report-error and qa-assign-precision share ---===//

#include "Measure.h"

#include "quantaware/Calibration/Samples.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/Transforms/Passes.h"
#include "quantaware/Support/Npy.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qa;

func::FuncOp mlir::qa::findMeasuredFunction(ModuleOp module, StringRef name) {
  if (!name.empty()) {
    auto function = module.lookupSymbol<func::FuncOp>(name);
    if (!function || function.isExternal()) {
      module.emitError() << "no function @" << name << " with a body";
      return {};
    }
    return function;
  }
  SmallVector<func::FuncOp> candidates;
  for (auto function : module.getOps<func::FuncOp>())
    if (function.isPublic() && !function.isExternal())
      candidates.push_back(function);
  if (candidates.size() == 1)
    return candidates.front();
  module.emitError() << "the module has " << candidates.size()
                     << " public functions with a body; choose one with "
                        "function=<name>";
  return {};
}

/// One integer class per sample from the .npy at `path` (`count` of them).
static FailureOr<std::vector<int64_t>>
loadLabels(func::FuncOp function, StringRef path, int64_t count) {
  llvm::Expected<NpyArray> array = readNpy(path);
  if (!array)
    return function.emitError()
           << "labels: " << llvm::toString(array.takeError());
  if (static_cast<int64_t>(array->data.size()) != count)
    return function.emitError()
           << "labels: " << path << " holds " << array->data.size()
           << " labels for " << count << " samples";
  std::vector<int64_t> labels;
  for (double label : array->data) {
    if (!std::isfinite(label) || label != std::floor(label) || label < 0)
      return function.emitError() << "labels: " << path
                                  << " holds a label that is not a class "
                                     "index: "
                                  << label;
    labels.push_back(static_cast<int64_t>(label));
  }
  return labels;
}

FailureOr<MeasuredModel> mlir::qa::loadMeasuredModel(ModuleOp module,
                                                     StringRef functionName,
                                                     StringRef samples,
                                                     StringRef labels,
                                                     StringRef pass) {
  MeasuredModel model;
  model.function = findMeasuredFunction(module, functionName);
  if (!model.function)
    return failure();
  if (samples.empty())
    return module.emitError()
           << pass << " needs samples=<.npy files> to measure the model on";
  FailureOr<std::vector<NpyArray>> arrays =
      loadFunctionSamples(model.function, samples);
  if (failed(arrays))
    return failure();
  model.samples = std::move(*arrays);
  if (!labels.empty()) {
    FailureOr<std::vector<int64_t>> loaded =
        loadLabels(model.function, labels, model.samples.front().shape.front());
    if (failed(loaded))
      return failure();
    model.labels = std::move(*loaded);
  }
  return model;
}

double mlir::qa::topOneAccuracy(ArrayRef<int64_t> predicted,
                                ArrayRef<int64_t> labels) {
  int64_t correct = 0;
  for (auto [p, l] : llvm::zip_equal(predicted, labels))
    correct += p == l;
  return 100.0 * correct / labels.size();
}

std::optional<std::string> mlir::qa::measuredName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return std::nullopt;
}

/// Marks `qa.keep_float` the quantizable ops of `function` for which
/// `keep` holds.
static void keepFloatWhere(func::FuncOp function,
                           function_ref<bool(Operation *)> keep) {
  function.walk([&](Operation *op) {
    if (isa<tosa::TosaDialect>(op->getDialect()) &&
        !op->hasTrait<::mlir::OpTrait::ConstantLike>() && keep(op))
      op->setAttr(QADialect::kKeepFloatAttrName,
                  UnitAttr::get(op->getContext()));
  });
}

void mlir::qa::keepFloatExcept(func::FuncOp function, StringRef name) {
  keepFloatWhere(function,
                 [&](Operation *op) { return measuredName(op) != name; });
}

void mlir::qa::keepFloatAfter(func::FuncOp function, StringRef name) {
  bool after = false;
  keepFloatWhere(function, [&](Operation *op) {
    bool keep = after;
    after = after || measuredName(op) == name;
    return keep;
  });
}

LogicalResult mlir::qa::quantizeFunction(func::FuncOp function,
                                         StringRef options) {
  std::unique_ptr<Pass> quantize = createQAQuantize();
  if (failed(quantize->initializeOptions(options, [&](const Twine &message) {
        return function.emitError() << "quantize-options: " << message.str();
      })))
    return failure();
  PassManager pm(function->getContext(), func::FuncOp::getOperationName());
  pm.addPass(std::move(quantize));
  return pm.run(function);
}

/// Writes through `print` to `path` ("-": stderr).
static LogicalResult writeTo(Operation *op, StringRef path,
                             function_ref<void(raw_ostream &)> print) {
  if (path == "-") {
    print(llvm::errs());
    return success();
  }
  std::error_code error;
  llvm::raw_fd_ostream file(path, error, llvm::sys::fs::OF_Text);
  if (error)
    return op->emitError() << "cannot write " << path << ": "
                           << error.message();
  print(file);
  return success();
}

LogicalResult
mlir::qa::writeReports(Operation *op, StringRef tablePath,
                       function_ref<void(raw_ostream &)> printTable,
                       StringRef jsonPath,
                       function_ref<llvm::json::Value()> json) {
  if (failed(writeTo(op, tablePath, printTable)))
    return failure();
  if (jsonPath.empty())
    return success();
  return writeTo(op, jsonPath, [&](raw_ostream &os) {
    os << llvm::formatv("{0:2}", json()) << "\n";
  });
}

std::string mlir::qa::formatDecibels(double db) {
  if (std::isinf(db))
    return db > 0 ? "inf" : "-inf";
  return llvm::formatv("{0:f2}", db).str();
}
