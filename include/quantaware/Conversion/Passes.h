//===- Passes.h - QuantAware conversion passes ------------------*- C++ -*-===//
//
// Declares the conversions out of qa (generated from Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_CONVERSION_PASSES_H
#define QUANTAWARE_CONVERSION_PASSES_H

#include "quantaware/Conversion/QAToInteger/QAToInteger.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qa {

#define GEN_PASS_DECL
#include "quantaware/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quantaware/Conversion/Passes.h.inc"

} // namespace mlir::qa

#endif // QUANTAWARE_CONVERSION_PASSES_H
