//===- Passes.h - QuantAware target passes ----------------------*- C++ -*-===//
//
// Declares the passes that specialize integer code for a target descriptor
// (generated from Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_TARGET_PASSES_H
#define QUANTAWARE_TARGET_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::qa {

#define GEN_PASS_DECL
#include "quantaware/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quantaware/Target/Passes.h.inc"

} // namespace mlir::qa

#endif // QUANTAWARE_TARGET_PASSES_H
