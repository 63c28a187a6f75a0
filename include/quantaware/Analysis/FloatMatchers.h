//===- FloatMatchers.h - Float constants and activation patterns -*- C++
//-*-===//
//
// Reading float constants as doubles and recognizing activation functions
// written out of primitive ops: shared by the range analysis (which bounds
// them tightly) and qa-quantize (which turns them into lookup tables).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_ANALYSIS_FLOATMATCHERS_H
#define QUANTAWARE_ANALYSIS_FLOATMATCHERS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/APFloat.h"

#include <optional>

namespace mlir::qa {

/// `value` widened to double (exactly, for every narrower format).
double toDouble(llvm::APFloat value);

/// The value of a float scalar constant, or of a splat float elements
/// constant.
std::optional<double> constantScalar(Value value);

/// The value of a FloatAttr (nullopt for anything else, or null).
std::optional<double> floatAttrValue(Attribute attr);

/// `value` is relu6(x + 3) = clamp(x + 3, 0, 6), written as tosa.add and
/// tosa.clamp or as arith addf and maximum/minimum in either nesting: the
/// second factor of hard-swish, x * relu6(x + 3) / 6.
bool isRelu6OfXPlus3(Value value, Value x);

} // namespace mlir::qa

#endif // QUANTAWARE_ANALYSIS_FLOATMATCHERS_H
