//===- Measure.h - What qa-report-error and qa-assign-precision share -*- C++
//-*-===//
//
// Finding the measured function, its labels, quantizing a copy of it with
// some layers kept float, and writing reports.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_QA_TRANSFORMS_MEASURE_H
#define LIB_DIALECT_QA_TRANSFORMS_MEASURE_H

#include "quantaware/Support/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::qa {

/// The function named `name`, else the module's only public function with a
/// body; an error at the module otherwise.
func::FuncOp findMeasuredFunction(ModuleOp module, StringRef name);

/// What a measuring pass runs: the function, its samples and, optionally,
/// one integer class per sample.
struct MeasuredModel {
  func::FuncOp function;
  std::vector<NpyArray> samples;
  std::optional<std::vector<int64_t>> labels;
};

/// Loads them from the passes' `function`, `samples` and `labels` options;
/// `pass` names the pass in the error for missing samples.
FailureOr<MeasuredModel> loadMeasuredModel(ModuleOp module,
                                           StringRef functionName,
                                           StringRef samples, StringRef labels,
                                           StringRef pass);

/// The percentage of `predicted` classes equal to `labels`.
double topOneAccuracy(ArrayRef<int64_t> predicted, ArrayRef<int64_t> labels);

/// The name that TensorRunner gave the op (its NameLoc), if any.
std::optional<std::string> measuredName(Operation *op);

/// Marks every op of `function` that qa-quantize could quantize
/// `qa.keep_float`, except the op named `name` (empty: none is marked).
void keepFloatExcept(func::FuncOp function, StringRef name);

/// Marks `qa.keep_float` every op that qa-quantize could quantize after
/// the op named `name` in program order: the quantized model up to that
/// tensor, whose value then stays visible (a qa.dequantize feeding float
/// ops) for its cumulative error.
void keepFloatAfter(func::FuncOp function, StringRef name);

/// Runs qa-quantize with `options` (its textual options) on `function`.
LogicalResult quantizeFunction(func::FuncOp function, StringRef options);

/// Writes the report: `printTable` to `tablePath` ("-": stderr) and, when
/// `jsonPath` is not empty, `json()` there; an error at `op` if a file
/// cannot be written.
LogicalResult writeReports(Operation *op, StringRef tablePath,
                           function_ref<void(raw_ostream &)> printTable,
                           StringRef jsonPath,
                           function_ref<llvm::json::Value()> json);

/// "12.34", "inf" or "-inf".
std::string formatDecibels(double db);

} // namespace mlir::qa

#endif // LIB_DIALECT_QA_TRANSFORMS_MEASURE_H
