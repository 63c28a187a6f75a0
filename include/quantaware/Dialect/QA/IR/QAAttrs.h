//===- QAAttrs.h - QuantAware attributes ------------------------*- C++ -*-===//
//
// Declares #qa.range, #qa.precision, #qa.rounding and their enums.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QAATTRS_H
#define QUANTAWARE_DIALECT_QA_IR_QAATTRS_H

#include "quantaware/Dialect/QA/IR/QuantizationUtils.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

#include "quantaware/Dialect/QA/IR/QAEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "quantaware/Dialect/QA/IR/QAAttrs.h.inc"

#endif // QUANTAWARE_DIALECT_QA_IR_QAATTRS_H
