//===- QAOps.h - QuantAware operations --------------------------*- C++ -*-===//
//
// Declares the `qa` ops and the trait that verifies their quantized types.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QAOPS_H
#define QUANTAWARE_DIALECT_QA_IR_QAOPS_H

#include "quantaware/Dialect/QA/IR/QAAttrs.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/IR/QATypes.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::qa {
/// Verifies every quantized operand and result of `op` against its shape.
LogicalResult verifyQuantizedOperandsAndResults(Operation *op);

namespace OpTrait {
template <typename ConcreteType>
class QuantizedTypesAreValid
    : public ::mlir::OpTrait::TraitBase<ConcreteType, QuantizedTypesAreValid> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyQuantizedOperandsAndResults(op);
  }
};
} // namespace OpTrait
} // namespace mlir::qa

#define GET_OP_CLASSES
#include "quantaware/Dialect/QA/IR/QAOps.h.inc"

#endif // QUANTAWARE_DIALECT_QA_IR_QAOPS_H
