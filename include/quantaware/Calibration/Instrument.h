//===- Instrument.h - Which tensors calibration observes --------*- C++ -*-===//
//
// The tensors calibration measures and their stable names. Names come from
// NameLoc locations when an importer set them, else from the program:
// `arg<i>` for arguments and `<op name>_<k>` for the k-th op of that name
// (`:<r>` added for result r of a multi-result op). The same IR always
// gives the same names, so statistics written once can be read back for
// every later quantization of that model.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_CALIBRATION_INSTRUMENT_H
#define QUANTAWARE_CALIBRATION_INSTRUMENT_H

#include "quantaware/Dialect/QA/IR/QAOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace mlir::qa {

struct ObservedTensor {
  Value value;
  std::string name;
};

/// Function arguments, then the float tensor results of every op in the
/// function's body block (constants, tensor.empty, observes and tensors
/// with no elements excluded), in program order.
SmallVector<ObservedTensor> collectObservedTensors(func::FuncOp function);

/// Inserts `qa.observe` after each observed value (at the start of the body
/// for arguments) and routes the value's other uses through it.
SmallVector<ObserveOp> insertObserves(ArrayRef<ObservedTensor> tensors);

} // namespace mlir::qa

#endif // QUANTAWARE_CALIBRATION_INSTRUMENT_H
