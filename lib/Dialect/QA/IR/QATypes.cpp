//===- QATypes.cpp - QuantAware types -------------------------------------===//
//
// !qa.binary, and the checks of quantized element types against the shapes
// of the tensors that hold them (which upstream's types cannot do alone).
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QATypes.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qa;

#define GET_TYPEDEF_CLASSES
#include "quantaware/Dialect/QA/IR/QAOpsTypes.cpp.inc"

void QADialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "quantaware/Dialect/QA/IR/QAOpsTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// BinaryType
//===----------------------------------------------------------------------===//

// binary ::= `<` float-type (`:` axis)? `,` (alpha | `{` alpha (`,` alpha)*
// `}`) `>`
Type BinaryType::parse(AsmParser &parser) {
  FloatType expressedType;
  int32_t axis = kPerTensor;
  SmallVector<double> alphas;
  if (parser.parseLess() || parser.parseType(expressedType))
    return {};
  if (succeeded(parser.parseOptionalColon()) && parser.parseInteger(axis))
    return {};
  if (parser.parseComma())
    return {};
  auto parseAlpha = [&]() -> ParseResult {
    return parser.parseFloat(alphas.emplace_back());
  };
  if (axis == kPerTensor ? parseAlpha()
                         : parser.parseCommaSeparatedList(
                               AsmParser::Delimiter::Braces, parseAlpha))
    return {};
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), expressedType, axis,
                    DenseF64ArrayAttr::get(parser.getContext(), alphas));
}

void BinaryType::print(AsmPrinter &printer) const {
  printer << '<' << getExpressedType();
  if (isPerChannel())
    printer << ':' << getAxis();
  printer << ", ";
  auto printAlpha = [&](double alpha) { printer.printFloat(APFloat(alpha)); };
  if (isPerChannel()) {
    printer << '{';
    llvm::interleaveComma(getAlphas(), printer, printAlpha);
    printer << '}';
  } else {
    printAlpha(getAlphas().front());
  }
  printer << '>';
}

LogicalResult BinaryType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 FloatType expressedType, int32_t axis,
                                 DenseF64ArrayAttr alphaAttr) {
  ArrayRef<double> alphas = alphaAttr.asArrayRef();
  if (axis < kPerTensor)
    return emitError() << "binary quantization axis must be non-negative, got "
                       << axis;
  if (alphas.empty())
    return emitError() << "binary quantization needs at least one alpha";
  if (axis == kPerTensor && alphas.size() != 1)
    return emitError() << "per-tensor binary quantization has exactly one "
                          "alpha, got "
                       << alphas.size();
  for (double alpha : alphas)
    if (!std::isfinite(alpha) || alpha <= 0)
      return emitError() << "binary alpha must be positive and finite, got "
                         << alpha;
  return success();
}

//===----------------------------------------------------------------------===//
// Quantized element type helpers
//===----------------------------------------------------------------------===//

bool mlir::qa::isQuantizedElementType(Type type) {
  return isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType,
             quant::UniformQuantizedSubChannelType, BinaryType>(type);
}

unsigned mlir::qa::getStorageBitWidth(Type quantizedElementType) {
  if (isa<BinaryType>(quantizedElementType))
    return 1;
  return cast<quant::QuantizedType>(quantizedElementType)
      .getStorageTypeIntegralWidth();
}

StorageRange mlir::qa::getStorageRange(Type quantizedElementType) {
  if (isa<BinaryType>(quantizedElementType))
    return {0, 1};
  auto quantized = cast<quant::QuantizedType>(quantizedElementType);
  return {quantized.getStorageTypeMin(), quantized.getStorageTypeMax()};
}

FloatType mlir::qa::getExpressedType(Type quantizedElementType) {
  if (auto binary = dyn_cast<BinaryType>(quantizedElementType))
    return binary.getExpressedType();
  return cast<FloatType>(
      cast<quant::QuantizedType>(quantizedElementType).getExpressedType());
}

static LogicalResult
verifyZeroPoints(function_ref<InFlightDiagnostic()> emitError,
                 ArrayRef<int64_t> zeroPoints, StorageRange range) {
  for (int64_t zeroPoint : zeroPoints)
    if (zeroPoint < range.min || zeroPoint > range.max)
      return emitError() << "zero point " << zeroPoint
                         << " is outside the storage range [" << range.min
                         << ", " << range.max << "]";
  return success();
}

/// Checks that `axis` indexes `shape` and, when the dimension is static, that
/// it has `count` entries (one scale or alpha per index).
static LogicalResult verifyAxis(function_ref<InFlightDiagnostic()> emitError,
                                int64_t axis, size_t count,
                                ArrayRef<int64_t> shape, StringRef what) {
  if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
    return emitError() << "quantized axis " << axis
                       << " is out of range for a tensor of rank "
                       << shape.size();
  if (!ShapedType::isDynamic(shape[axis]) &&
      static_cast<int64_t>(count) != shape[axis])
    return emitError() << "has " << count << " " << what << " but dimension "
                       << axis << " has size " << shape[axis];
  return success();
}

static LogicalResult
verifySubChannel(function_ref<InFlightDiagnostic()> emitError,
                 quant::UniformQuantizedSubChannelType type,
                 ArrayRef<int64_t> shape) {
  DenseElementsAttr scales = type.getScales();
  ArrayRef<int64_t> scaleShape = scales.getType().getShape();
  if (scaleShape.size() != shape.size())
    return emitError() << "sub-channel scales have rank " << scaleShape.size()
                       << " but the tensor has rank " << shape.size();
  SmallVector<int64_t> blockSizes(shape.size(), 0);
  for (auto [dim, blockSize] : type.getBlockSizeInfo()) {
    if (dim < 0 || dim >= static_cast<int64_t>(shape.size()))
      return emitError() << "quantized axis " << dim
                         << " is out of range for a tensor of rank "
                         << shape.size();
    blockSizes[dim] = blockSize;
  }
  for (auto [dim, size] : llvm::enumerate(shape)) {
    if (ShapedType::isDynamic(size))
      continue;
    int64_t blockSize = blockSizes[dim] ? blockSizes[dim] : size;
    if (size % blockSize != 0)
      return emitError() << "block size " << blockSize
                         << " does not divide dimension " << dim << " of size "
                         << size;
    if (scaleShape[dim] != size / blockSize)
      return emitError() << "sub-channel scales have " << scaleShape[dim]
                         << " entries along dimension " << dim << ", expected "
                         << size / blockSize;
  }
  return verifyZeroPoints(emitError, getSubChannelZeroPoints(type),
                          {type.getStorageTypeMin(), type.getStorageTypeMax()});
}

SmallVector<int64_t>
mlir::qa::getSubChannelZeroPoints(quant::UniformQuantizedSubChannelType type) {
  // Zero points are bit patterns of the storage width: u4 15 prints as -1,
  // and MLIR 22 re-parses that -1 into an i4 APInt with stray high bits. Only
  // the low `width` bits are meaningful.
  unsigned width = type.getStorageTypeIntegralWidth();
  uint64_t mask = llvm::maskTrailingOnes<uint64_t>(width);
  SmallVector<int64_t> zeroPoints;
  for (const APInt &zeroPoint : type.getZeroPoints().getValues<APInt>()) {
    uint64_t bits = zeroPoint.getZExtValue() & mask;
    zeroPoints.push_back(type.isSigned() ? llvm::SignExtend64(bits, width)
                                         : static_cast<int64_t>(bits));
  }
  return zeroPoints;
}

LogicalResult mlir::qa::verifyQuantizedTensorType(
    function_ref<InFlightDiagnostic()> emitError, Type quantizedElementType,
    ArrayRef<int64_t> shape) {
  return llvm::TypeSwitch<Type, LogicalResult>(quantizedElementType)
      .Case([&](quant::UniformQuantizedType type) {
        return verifyZeroPoints(emitError, type.getZeroPoint(),
                                getStorageRange(type));
      })
      .Case([&](quant::UniformQuantizedPerAxisType type) {
        if (failed(verifyAxis(emitError, type.getQuantizedDimension(),
                              type.getScales().size(), shape, "scales")))
          return failure();
        return verifyZeroPoints(emitError, type.getZeroPoints(),
                                getStorageRange(type));
      })
      .Case([&](quant::UniformQuantizedSubChannelType type) {
        return verifySubChannel(emitError, type, shape);
      })
      .Case([&](BinaryType type) {
        if (!type.isPerChannel())
          return success();
        return verifyAxis(emitError, type.getAxis(), type.getAlphas().size(),
                          shape, "alphas");
      })
      .Default([&](Type) {
        return emitError() << "expected a quantized element type, got "
                           << quantizedElementType;
      });
}
