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

#include "quantaware/Dialect/QA/IR/QAAttrs.h"

namespace mlir::qa {

/// The `qa.range` / `qa.precision` recorded for `value`: on its defining op
/// (the entry for its result when the op holds an array), or on the
/// function argument (an entry-block argument). Null when there is none.
RangeAttr getValueRange(Value value);
PrecisionAttr getValuePrecision(Value value);

/// Records `precision` for `value`, the result of a single-result op or a
/// function argument.
void setValuePrecision(Value value, PrecisionAttr precision);

} // namespace mlir::qa

#endif // QUANTAWARE_DIALECT_QA_IR_QADIALECT_H
