//===- InitAllDialects.h - Register QuantAware's dialects -------*- C++ -*-===//
//
// The one list of dialects that every front door (quant-opt, quant-compile,
// the Python module) registers: the upstream dialects accepted as input or
// produced as output, and the project's own.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_INITALLDIALECTS_H
#define QUANTAWARE_INITALLDIALECTS_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::qa {

/// Adds every dialect QuantAware reads or writes to `registry`.
void registerAllDialects(DialectRegistry &registry);

} // namespace mlir::qa

#endif // QUANTAWARE_INITALLDIALECTS_H
