//===- Measurement.cpp - Quantization error measured on samples -----------===//
//
// A copy of the module is named (NameLoc per observed tensor), transformed,
// given the requested tensors as extra results, lowered to integers and
// JIT-compiled; every sample is run once and the results are kept.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Precision/Measurement.h"

#include "quantaware/Calibration/Instrument.h"
#include "quantaware/Conversion/Passes.h"
#include "quantaware/ExecutionEngine/HostJit.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qa;

ErrorMetrics mlir::qa::compareTensors(ArrayRef<double> reference,
                                      ArrayRef<double> actual) {
  assert(reference.size() == actual.size() && "tensors of different sizes");
  double signal = 0, noise = 0, dot = 0, actualPower = 0, sumAbs = 0;
  ErrorMetrics metrics;
  for (auto [r, a] : llvm::zip_equal(reference, actual)) {
    double e = a - r;
    signal += r * r;
    noise += e * e;
    dot += r * a;
    actualPower += a * a;
    sumAbs += std::abs(e);
    metrics.maxAbs = std::max(metrics.maxAbs, std::abs(e));
  }
  double n = std::max<size_t>(reference.size(), 1);
  metrics.meanAbs = sumAbs / n;
  metrics.meanSquared = noise / n;
  double infinity = std::numeric_limits<double>::infinity();
  metrics.sqnrDb = noise == 0    ? infinity
                   : signal == 0 ? -infinity
                                 : 10 * std::log10(signal / noise);
  if (signal == 0 || actualPower == 0)
    metrics.cosine = signal == actualPower ? 1 : 0;
  else
    metrics.cosine = dot / std::sqrt(signal * actualPower);
  return metrics;
}

std::vector<int64_t> mlir::qa::argmaxPerSample(ArrayRef<double> values,
                                               int64_t count) {
  std::vector<int64_t> classes;
  size_t size = values.size() / count;
  for (int64_t s = 0; s < count; ++s) {
    ArrayRef<double> row = values.slice(s * size, size);
    classes.push_back(std::max_element(row.begin(), row.end()) - row.begin());
  }
  return classes;
}

LogicalResult TensorRunner::forEachSample(
    ArrayRef<std::string> names,
    function_ref<LogicalResult(func::FuncOp)> transform,
    function_ref<LogicalResult(int64_t, ArrayRef<std::vector<double>>)> visit) {
  MLIRContext *context = module.getContext();
  auto cannotCompile = [&] {
    return function.emitError()
           << "cannot compile @" << function.getName() << " " << purpose;
  };
  if (failed(HostJit::verifySignature(function)))
    return cannotCompile();
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone()));
  auto copyFunction = copy->lookupSymbol<func::FuncOp>(function.getName());
  if (!copyFunction.getBody().hasOneBlock())
    return cannotCompile() << ": it has more than one block";
  for (const ObservedTensor &tensor : collectObservedTensors(copyFunction))
    if (auto result = dyn_cast<OpResult>(tensor.value);
        result && result.getOwner()->getNumResults() == 1)
      result.getOwner()->setLoc(NameLoc::get(
          StringAttr::get(context, tensor.name), result.getOwner()->getLoc()));

  {
    // The copy's remarks (layers left float on purpose) are not the user's.
    ScopedDiagnosticHandler quiet(context, [](Diagnostic &diagnostic) {
      return success(diagnostic.getSeverity() == DiagnosticSeverity::Remark);
    });
    if (failed(transform(copyFunction)))
      return failure();
  }

  // The requested tensors become extra results: arguments, and values of
  // ops named before the transform (an op it created would be named by
  // counting, and could take an original name).
  llvm::StringMap<Value> byName;
  for (const ObservedTensor &tensor : collectObservedTensors(copyFunction)) {
    Operation *op = tensor.value.getDefiningOp();
    if (!op || isa<NameLoc>(op->getLoc()))
      byName.try_emplace(tensor.name, tensor.value);
  }
  Operation *terminator = copyFunction.getBody().front().getTerminator();
  SmallVector<Value> results(terminator->getOperands());
  bool hasResult = !results.empty();
  // Where each requested tensor is read: a buffer index, or none.
  SmallVector<std::optional<unsigned>> bufferOf;
  unsigned numArguments = copyFunction.getNumArguments();
  for (const std::string &name : names) {
    Value value = byName.lookup(name);
    if (!value) {
      bufferOf.push_back(std::nullopt);
    } else if (auto arg = dyn_cast<BlockArgument>(value)) {
      bufferOf.push_back(arg.getArgNumber());
    } else {
      bufferOf.push_back(numArguments + results.size());
      results.push_back(value);
    }
  }
  if (hasResult)
    bufferOf.push_back(numArguments);
  terminator->setOperands(results);
  copyFunction.setFunctionType(
      FunctionType::get(context, copyFunction.getArgumentTypes(),
                        ValueRange(results).getTypes()));

  // Compiling lowers the copy in place: take the buffer types first.
  std::vector<HostBuffer> buffers;
  for (Type type : copyFunction.getArgumentTypes())
    buffers.emplace_back(cast<RankedTensorType>(type));
  for (Value result : results)
    buffers.emplace_back(cast<RankedTensorType>(result.getType()));
  PassManager lower(context);
  lower.addPass(createQALowerToInteger());
  if (failed(lower.run(*copy)))
    return failure();
  FailureOr<std::unique_ptr<HostJit>> jit =
      HostJit::compile(*copy, function.getName());
  if (failed(jit))
    return cannotCompile() << " (see the errors above)";
  SmallVector<void *> pointers;
  for (HostBuffer &buffer : buffers)
    pointers.push_back(buffer.data());

  std::vector<std::vector<double>> values(bufferOf.size());
  for (int64_t sample = 0, count = getNumSamples(); sample < count; ++sample) {
    for (auto [index, array] : llvm::enumerate(samples)) {
      int64_t perSample = buffers[index].size();
      if (llvm::Error error = buffers[index].write(
              ArrayRef(array.data).slice(sample * perSample, perSample)))
        return function.emitError() << llvm::toString(std::move(error));
    }
    if (llvm::Error error = (*jit)->call(pointers))
      return function.emitError()
             << "run failed: " << llvm::toString(std::move(error));
    for (auto [index, buffer] : llvm::enumerate(bufferOf))
      if (buffer)
        buffers[*buffer].read(values[index]);
    if (failed(visit(sample, values)))
      return failure();
  }
  return success();
}

FailureOr<std::vector<std::vector<double>>>
TensorRunner::run(ArrayRef<std::string> names,
                  function_ref<LogicalResult(func::FuncOp)> transform) {
  if (function.getNumResults() == 0)
    return function.emitError()
           << "@" << function.getName() << " has no result to measure";
  std::vector<std::vector<double>> all(names.size() + 1);
  if (failed(forEachSample(
          names, transform, [&](int64_t, ArrayRef<std::vector<double>> values) {
            for (auto [into, sample] : llvm::zip_equal(all, values))
              into.insert(into.end(), sample.begin(), sample.end());
            return success();
          })))
    return failure();
  return all;
}
