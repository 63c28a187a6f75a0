//===- FloatMatchers.cpp - Float constants and activation patterns --------===//

#include "quantaware/Analysis/FloatMatchers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qa;

double mlir::qa::toDouble(APFloat value) {
  bool losesInfo;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

std::optional<double> mlir::qa::constantScalar(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto scalar = dyn_cast<FloatAttr>(attr))
    return toDouble(scalar.getValue());
  if (auto elements = dyn_cast<DenseFPElementsAttr>(attr);
      elements && elements.isSplat())
    return toDouble(elements.getSplatValue<APFloat>());
  return std::nullopt;
}

std::optional<double> mlir::qa::floatAttrValue(Attribute attr) {
  if (auto value = dyn_cast_or_null<FloatAttr>(attr))
    return toDouble(value.getValue());
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Hard-swish: x * relu6(x + 3), in tosa or arith form
//===----------------------------------------------------------------------===//

static bool isConstant(Value value, double expected) {
  std::optional<double> constant = constantScalar(value);
  return constant && *constant == expected;
}

/// `value` is x + 3 (either operand order, tosa or arith).
static bool isXPlus3(Value value, Value x) {
  Operation *op = value.getDefiningOp();
  if (!op || !isa<tosa::AddOp, arith::AddFOp>(op))
    return false;
  Value a = op->getOperand(0), b = op->getOperand(1);
  return (a == x && isConstant(b, 3.0)) || (b == x && isConstant(a, 3.0));
}

/// `value` is clamp(x + 3, 0, 6) written as tosa.clamp or as arith
/// maximum/minimum in either nesting.
bool mlir::qa::isRelu6OfXPlus3(Value value, Value x) {
  Operation *op = value.getDefiningOp();
  if (!op)
    return false;
  if (auto clamp = dyn_cast<tosa::ClampOp>(op))
    return floatAttrValue(clamp.getMinValAttr()) == 0.0 &&
           floatAttrValue(clamp.getMaxValAttr()) == 6.0 &&
           isXPlus3(clamp.getInput(), x);
  auto boundedBy = [&](Operation *outer, double outerBound, auto innerIsa,
                       double innerBound) {
    for (unsigned i = 0; i < 2; ++i) {
      Value inner = outer->getOperand(i);
      if (!isConstant(outer->getOperand(1 - i), outerBound))
        continue;
      Operation *innerOp = inner.getDefiningOp();
      if (!innerOp || !innerIsa(innerOp))
        continue;
      for (unsigned j = 0; j < 2; ++j)
        if (isConstant(innerOp->getOperand(1 - j), innerBound) &&
            isXPlus3(innerOp->getOperand(j), x))
          return true;
    }
    return false;
  };
  auto isMax = [](Operation *o) {
    return isa<arith::MaximumFOp, arith::MaxNumFOp>(o);
  };
  auto isMin = [](Operation *o) {
    return isa<arith::MinimumFOp, arith::MinNumFOp>(o);
  };
  if (isMin(op))
    return boundedBy(op, 6.0, isMax, 0.0);
  if (isMax(op))
    return boundedBy(op, 0.0, isMin, 6.0);
  return false;
}
