//===- QATypes.h - QuantAware types -----------------------------*- C++ -*-===//
//
// Declares !qa.binary and the predicates over quantized element types that
// the ops and passes share.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QATYPES_H
#define QUANTAWARE_DIALECT_QA_IR_QATYPES_H

#include "quantaware/Dialect/QA/IR/QuantizationUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "quantaware/Dialect/QA/IR/QAOpsTypes.h.inc"

namespace mlir::qa {

/// True for the element types of quantized tensors: upstream
/// `!quant.uniform` (per tensor, per axis, sub-channel) and `!qa.binary`.
bool isQuantizedElementType(Type type);

/// Width in bits of one stored element: 1 for `!qa.binary`, the integral
/// storage width for `!quant.uniform`.
unsigned getStorageBitWidth(Type quantizedElementType);

/// Range of stored integers: [0, 1] for `!qa.binary`, the declared storage
/// min/max for `!quant.uniform`.
StorageRange getStorageRange(Type quantizedElementType);

/// The zero points of a sub-channel type as values of its storage (they are
/// bit patterns of the storage width; MLIR 22 may re-parse them with stray
/// high bits), in the row-major order of its scales.
SmallVector<int64_t>
getSubChannelZeroPoints(quant::UniformQuantizedSubChannelType type);

/// The float type that stored values represent.
FloatType getExpressedType(Type quantizedElementType);

/// Checks a quantized element type against the shape of the tensor holding
/// it: zero points inside the storage range, per-axis scale counts equal to
/// the dimension, sub-channel blocks dividing it with a matching scale
/// shape, axes within rank. `emitError` reports the first violation.
LogicalResult
verifyQuantizedTensorType(function_ref<InFlightDiagnostic()> emitError,
                          Type quantizedElementType, ArrayRef<int64_t> shape);

} // namespace mlir::qa

#endif // QUANTAWARE_DIALECT_QA_IR_QATYPES_H
