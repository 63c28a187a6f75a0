//===- QAAttrs.cpp - QuantAware attributes --------------------------------===//
//
// Parsing, printing and verification of #qa.range and #qa.precision.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QAAttrs.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qa;

#include "quantaware/Dialect/QA/IR/QAEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "quantaware/Dialect/QA/IR/QAAttrs.cpp.inc"

void QADialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "quantaware/Dialect/QA/IR/QAAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// RangeAttr
//===----------------------------------------------------------------------===//

// range ::= `<` lo `,` hi (`,` (`calibrated` | `proven`))? `>`
Attribute RangeAttr::parse(AsmParser &parser, Type) {
  double lo, hi;
  RangeKind kind = RangeKind::Calibrated;
  if (parser.parseLess() || parser.parseFloat(lo) || parser.parseComma() ||
      parser.parseFloat(hi))
    return {};
  if (succeeded(parser.parseOptionalComma())) {
    StringRef keyword;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseKeyword(&keyword))
      return {};
    std::optional<RangeKind> parsed = symbolizeRangeKind(keyword);
    if (!parsed) {
      parser.emitError(loc) << "expected 'calibrated' or 'proven', got '"
                            << keyword << "'";
      return {};
    }
    kind = *parsed;
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), APFloat(lo), APFloat(hi), kind);
}

void RangeAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printer.printFloat(getLower());
  printer << ", ";
  printer.printFloat(getUpper());
  if (isProven())
    printer << ", " << stringifyRangeKind(getKind());
  printer << '>';
}

LogicalResult RangeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                APFloat lower, APFloat upper, RangeKind) {
  double lo = lower.convertToDouble(), hi = upper.convertToDouble();
  if (!std::isfinite(lo) || !std::isfinite(hi))
    return emitError() << "range bounds must be finite, got [" << lo << ", "
                       << hi << "]";
  if (lo > hi)
    return emitError() << "range lower bound " << lo
                       << " exceeds upper bound " << hi;
  return success();
}

//===----------------------------------------------------------------------===//
// PrecisionAttr
//===----------------------------------------------------------------------===//

static constexpr int64_t kNoAxis = -1;

// precision   ::= `<` (uniform | `binary`) `,` granularity `>`
// uniform     ::= (`s` | `u`) bits `,` (`symmetric` | `asymmetric`)
// granularity ::= `per_tensor` | `per_channel(` axis `)`
//               | `per_group(` axis `,` size `)`
Attribute PrecisionAttr::parse(AsmParser &parser, Type) {
  unsigned bits = 1;
  bool isSigned = true, symmetric = true;
  Scheme scheme = Scheme::Uniform;
  if (parser.parseLess())
    return {};

  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return {};
  if (keyword == "binary") {
    scheme = Scheme::Binary;
  } else {
    if (keyword.size() < 2 || (keyword[0] != 's' && keyword[0] != 'u') ||
        keyword.drop_front().getAsInteger(10, bits)) {
      parser.emitError(loc)
          << "expected 'binary' or a width such as 's8' or 'u4', got '"
          << keyword << "'";
      return {};
    }
    isSigned = keyword[0] == 's';
    if (parser.parseComma())
      return {};
    loc = parser.getCurrentLocation();
    if (parser.parseKeyword(&keyword))
      return {};
    if (keyword != "symmetric" && keyword != "asymmetric") {
      parser.emitError(loc) << "expected 'symmetric' or 'asymmetric', got '"
                            << keyword << "'";
      return {};
    }
    symmetric = keyword == "symmetric";
  }

  if (parser.parseComma())
    return {};
  loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&keyword))
    return {};
  std::optional<Granularity> granularity = symbolizeGranularity(keyword);
  if (!granularity) {
    parser.emitError(loc)
        << "expected 'per_tensor', 'per_channel' or 'per_group', got '"
        << keyword << "'";
    return {};
  }
  int64_t axis = kNoAxis, groupSize = 0;
  if (*granularity != Granularity::PerTensor) {
    if (parser.parseLParen() || parser.parseInteger(axis))
      return {};
    if (*granularity == Granularity::PerGroup &&
        (parser.parseComma() || parser.parseInteger(groupSize)))
      return {};
    if (parser.parseRParen())
      return {};
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), bits, isSigned, symmetric,
                    *granularity, axis, groupSize, scheme);
}

void PrecisionAttr::print(AsmPrinter &printer) const {
  printer << '<';
  if (getScheme() == Scheme::Binary)
    printer << "binary";
  else
    printer << (getIsSigned() ? 's' : 'u') << getBits() << ", "
            << (getSymmetric() ? "symmetric" : "asymmetric");
  printer << ", " << stringifyGranularity(getGranularity());
  if (getGranularity() == Granularity::PerChannel)
    printer << '(' << getAxis() << ')';
  if (getGranularity() == Granularity::PerGroup)
    printer << '(' << getAxis() << ", " << getGroupSize() << ')';
  printer << '>';
}

LogicalResult
PrecisionAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      unsigned bits, bool isSigned, bool symmetric,
                      Granularity granularity, int64_t axis, int64_t groupSize,
                      Scheme scheme) {
  if (scheme == Scheme::Binary) {
    if (bits != 1 || !isSigned || !symmetric)
      return emitError() << "binary precision is 1-bit, signed and symmetric";
    if (granularity == Granularity::PerGroup)
      return emitError() << "binary precision has one alpha per tensor or per "
                            "channel, not per group";
  } else if (!llvm::is_contained({2u, 4u, 8u, 16u}, bits)) {
    return emitError() << "uniform precision must have 2, 4, 8 or 16 bits, got "
                       << bits << " (1 bit is the 'binary' scheme)";
  }
  if (granularity == Granularity::PerTensor) {
    if (axis != kNoAxis || groupSize != 0)
      return emitError() << "per-tensor precision has no axis or group size";
    return success();
  }
  if (axis < 0)
    return emitError() << "quantization axis must be non-negative, got "
                       << axis;
  if (granularity == Granularity::PerGroup ? groupSize < 2 : groupSize != 0)
    return emitError() << "group size must be at least 2 for per_group and "
                          "absent otherwise, got "
                       << groupSize;
  return success();
}

StorageRange PrecisionAttr::getStorageRange() const {
  if (getScheme() == Scheme::Binary)
    return {0, 1};
  return qa::getStorageRange(getBits(), getIsSigned(),
                             /*narrow=*/getSymmetric() && getIsSigned());
}
