//===- Samples.cpp - Sample inputs of a function from .npy files ----------===//
//
// Loads and checks the sample inputs that calibration, the error report and
// precision assignment run a function on.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Calibration/Samples.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qa;

FailureOr<std::vector<NpyArray>>
mlir::qa::loadFunctionSamples(func::FuncOp function, StringRef samples) {
  if (function.getNumArguments() == 0)
    return function.emitError() << "@" << function.getName()
                                << " has no inputs: there is nothing to run "
                                   "it on";
  SmallVector<StringRef> paths;
  samples.split(paths, ',', -1, /*KeepEmpty=*/false);
  if (paths.size() != function.getNumArguments())
    return function.emitError()
           << "@" << function.getName() << " has " << function.getNumArguments()
           << " argument(s) but samples= names " << paths.size()
           << "; give one .npy file or directory per "
           << "argument, comma-separated";
  std::vector<NpyArray> arrays;
  for (auto [index, path] : llvm::enumerate(paths)) {
    llvm::Expected<NpyArray> array = readNpyBatch(path.trim());
    if (!array)
      return function.emitError() << "samples for argument #" << index << ": "
                                  << llvm::toString(array.takeError());
    // Integer data (e.g. 0..255 pixels) would silently mis-scale a float
    // model: calibration takes floats only.
    if (!array->isFloat())
      return function.emitError()
             << "samples for argument #" << index << ": " << path
             << ": unsupported dtype '" << array->dtype
             << "': samples must be float16, float32 or float64";
    auto type = dyn_cast<RankedTensorType>(function.getArgumentTypes()[index]);
    if (!type || !type.hasStaticShape())
      return function.emitError()
             << "argument #" << index << " of @" << function.getName()
             << " has type " << function.getArgumentTypes()[index]
             << ": samples need a tensor of static shape";
    ArrayRef<int64_t> argShape = type.getShape();
    ArrayRef<int64_t> arrayShape = array->shape;
    if (!isBatchOf(*array, argShape)) {
      InFlightDiagnostic diag = function.emitError();
      diag << "argument #" << index << " of @" << function.getName()
           << " has type " << type << ", but the samples in " << path
           << " have shape [";
      llvm::interleaveComma(arrayShape, diag);
      return diag << "]: expected [N, "
                  << llvm::join(llvm::map_range(argShape,
                                                [](int64_t d) {
                                                  return std::to_string(d);
                                                }),
                                ", ")
                  << "] with N samples";
    }
    if (!arrays.empty() && arrays.front().shape.front() != arrayShape.front())
      return function.emitError()
             << "argument #" << index << " has " << arrayShape.front()
             << " samples but argument #0 has " << arrays.front().shape.front();
    int64_t perSample = type.getNumElements();
    for (auto [at, value] : llvm::enumerate(array->data))
      if (!std::isfinite(value))
        return function.emitError()
               << path << ": sample " << at / perSample << " has "
               << (std::isnan(value) ? "a NaN" : "an infinity")
               << " at element " << at % perSample;
    arrays.push_back(std::move(*array));
  }
  if (arrays.front().shape.front() == 0)
    return function.emitError() << "the sample arrays hold no samples";
  return arrays;
}
