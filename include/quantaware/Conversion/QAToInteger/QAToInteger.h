//===- QAToInteger.h - qa to integer-only arithmetic ------------*- C++ -*-===//
//
// The type converter and patterns of qa-lower-to-integer, for compilers
// that assemble their own conversion.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_CONVERSION_QATOINTEGER_QATOINTEGER_H
#define QUANTAWARE_CONVERSION_QATOINTEGER_QATOINTEGER_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qa {

/// Maps tensors of quantized elements to tensors of their signless storage
/// integers (i1 for !qa.binary); every other type to itself.
class StorageTypeConverter : public TypeConverter {
public:
  StorageTypeConverter();
};

/// Adds the patterns lowering qa ops to linalg/tensor/arith on integers.
void populateQAToIntegerConversionPatterns(
    const StorageTypeConverter &converter, RewritePatternSet &patterns);

} // namespace mlir::qa

#endif // QUANTAWARE_CONVERSION_QATOINTEGER_QATOINTEGER_H
