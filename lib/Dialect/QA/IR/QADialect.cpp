//===- QADialect.cpp - QuantAware dialect ---------------------------------===//
//
// Registers the `qa` dialect's ops, attributes and types, materializes its
// constants and verifies the discardable `qa.range` / `qa.precision`
// attributes wherever they are attached.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/IR/QAOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qa;

#include "quantaware/Dialect/QA/IR/QAOpsDialect.cpp.inc"

void QADialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "quantaware/Dialect/QA/IR/QAOps.cpp.inc"
      >();
  registerAttributes();
  registerTypes();
}

Operation *QADialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!elements || !tensorType ||
      !isQuantizedElementType(tensorType.getElementType()))
    return nullptr;
  return ConstantOp::create(builder, loc, tensorType, elements);
}

//===----------------------------------------------------------------------===//
// Discardable attributes
//===----------------------------------------------------------------------===//

/// The attribute `name` recorded for `value`.
static Attribute valueAttr(Value value, StringRef name) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    // Only the entry block's arguments are the function's.
    auto function =
        dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
    return function && arg.getOwner()->isEntryBlock()
               ? function.getArgAttr(arg.getArgNumber(), name)
               : Attribute();
  }
  Attribute attr = value.getDefiningOp()->getAttr(name);
  if (auto array = dyn_cast_or_null<ArrayAttr>(attr))
    return array[cast<OpResult>(value).getResultNumber()];
  return attr;
}

RangeAttr mlir::qa::getValueRange(Value value) {
  return dyn_cast_or_null<RangeAttr>(
      valueAttr(value, QADialect::kRangeAttrName));
}

PrecisionAttr mlir::qa::getValuePrecision(Value value) {
  return dyn_cast_or_null<PrecisionAttr>(
      valueAttr(value, QADialect::kPrecisionAttrName));
}

void mlir::qa::setValuePrecision(Value value, PrecisionAttr precision) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    assert(arg.getOwner()->isEntryBlock() && "a function argument");
    cast<FunctionOpInterface>(arg.getOwner()->getParentOp())
        .setArgAttr(arg.getArgNumber(), QADialect::kPrecisionAttrName,
                    precision);
    return;
  }
  Operation *op = value.getDefiningOp();
  assert(op->getNumResults() == 1 && "one precision per single-result op");
  op->setAttr(QADialect::kPrecisionAttrName, precision);
}

/// Checks one `qa.range` / `qa.precision` entry against the value it
/// describes.
static LogicalResult
verifyValueAttr(function_ref<InFlightDiagnostic()> emitError, StringRef name,
                Attribute attr, Type valueType) {
  Type elementType = getElementTypeOrSelf(valueType);
  if (name == QADialect::kRangeAttrName) {
    if (!isa<RangeAttr>(attr))
      return emitError() << "'" << name << "' must be a #qa.range, got "
                         << attr;
    if (!isa<FloatType>(elementType))
      return emitError() << "'" << name
                         << "' describes a float value, but the value has type "
                         << valueType;
    return success();
  }

  auto precision = dyn_cast<PrecisionAttr>(attr);
  if (!precision)
    return emitError() << "'" << name << "' must be a #qa.precision, got "
                       << attr;
  if (precision.getGranularity() != Granularity::PerTensor) {
    auto shaped = dyn_cast<ShapedType>(valueType);
    if (!shaped || !shaped.hasRank() || precision.getAxis() >= shaped.getRank())
      return emitError() << "'" << name << "' axis " << precision.getAxis()
                         << " is out of range for " << valueType;
  }
  if (!isQuantizedElementType(elementType))
    return success();
  // A value that is already quantized must agree with its precision.
  bool isBinary = isa<BinaryType>(elementType);
  if ((precision.getScheme() == Scheme::Binary) != isBinary ||
      precision.getBits() != getStorageBitWidth(elementType))
    return emitError() << "'" << name << "' has " << precision.getBits()
                       << " bits but the value's storage type is "
                       << getStorageBitWidth(elementType) << "-bit "
                       << elementType;
  if (!isBinary && precision.getIsSigned() !=
                       cast<quant::QuantizedType>(elementType).isSigned())
    return emitError() << "'" << name
                       << "' signedness differs from the storage type of "
                       << elementType;
  return success();
}

LogicalResult QADialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (name == kKeepFloatAttrName) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' is a unit attribute";
    return success();
  }
  if (name != kRangeAttrName && name != kPrecisionAttrName)
    return op->emitError() << "unknown qa attribute '" << name << "'";

  // One attribute for a single-result op, or an array with one per result.
  auto emitError = [&] { return op->emitError(); };
  if (auto array = dyn_cast<ArrayAttr>(attr.getValue())) {
    if (array.size() != op->getNumResults())
      return op->emitError()
             << "'" << name << "' has " << array.size()
             << " entries but the op has " << op->getNumResults() << " results";
    for (auto [entry, result] : llvm::zip_equal(array, op->getResults()))
      if (failed(verifyValueAttr(emitError, name, entry, result.getType())))
        return failure();
    return success();
  }
  if (op->getNumResults() != 1)
    return op->emitError() << "'" << name << "' on an op with "
                           << op->getNumResults()
                           << " results must be an array with one entry per "
                              "result";
  return verifyValueAttr(emitError, name, attr.getValue(),
                         op->getResult(0).getType());
}

LogicalResult QADialect::verifyRegionArgAttribute(Operation *op,
                                                  unsigned regionIndex,
                                                  unsigned argIndex,
                                                  NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (name != kRangeAttrName && name != kPrecisionAttrName)
    return op->emitError() << "unknown qa argument attribute '" << name << "'";
  Type argType;
  if (auto function = dyn_cast<FunctionOpInterface>(op))
    argType = function.getArgumentTypes()[argIndex];
  else
    argType = op->getRegion(regionIndex).getArgument(argIndex).getType();
  return verifyValueAttr(
      [&] { return op->emitError() << "argument #" << argIndex << ": "; }, name,
      attr.getValue(), argType);
}
