//===- Samples.h - Sample inputs of a function from .npy files --*- C++ -*-===//
//
// The sample inputs that calibration, the error report and precision
// assignment run a function on.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_CALIBRATION_SAMPLES_H
#define QUANTAWARE_CALIBRATION_SAMPLES_H

#include "quantaware/Support/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <vector>

namespace mlir::qa {

/// One float array per argument of `function`, named by `samples`
/// (comma-separated .npy files or directories), each [N, ...the argument's
/// shape] (a leading 1 of the argument may be left out), all with the same
/// N > 0 and no NaN or infinity. Errors are reported at the function.
FailureOr<std::vector<NpyArray>> loadFunctionSamples(func::FuncOp function,
                                                     StringRef samples);

} // namespace mlir::qa

#endif // QUANTAWARE_CALIBRATION_SAMPLES_H
