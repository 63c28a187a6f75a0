//===- QADialect.h - QuantAware dialect -------------------------*- C++ -*-===//
//
// Declares the `qa` dialect.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QADIALECT_H
#define QUANTAWARE_DIALECT_QA_IR_QADIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "quantaware/Dialect/QA/IR/QAOpsDialect.h.inc"

#endif // QUANTAWARE_DIALECT_QA_IR_QADIALECT_H
