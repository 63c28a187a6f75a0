//===- Passes.h - QuantAware passes on the qa dialect -----------*- C++ -*-===//
//
// Declares the passes of the quantization flow (generated from Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_TRANSFORMS_PASSES_H
#define QUANTAWARE_DIALECT_QA_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qa {

#define GEN_PASS_DECL
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quantaware/Dialect/QA/Transforms/Passes.h.inc"

} // namespace mlir::qa

#endif // QUANTAWARE_DIALECT_QA_TRANSFORMS_PASSES_H
