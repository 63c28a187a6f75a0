//===- AttrsAndTypesTest.cpp - C++ API of qa attributes and types ---------===//
//
// The builders, accessors and verifiers that passes call directly, including
// invariants the textual syntax cannot even express (a per-tensor precision
// with an axis, a per-tensor binary type with two alphas).
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QAAttrs.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"
#include "quantaware/Dialect/QA/IR/QATypes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::qa;

namespace {

class QADialectTest : public ::testing::Test {
protected:
  QADialectTest() { context.loadDialect<QADialect>(); }

  /// Runs `build` and returns the first diagnostic it emitted ("" if none).
  template <typename Fn>
  std::string diagnosticOf(Fn build) {
    std::string message;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    build();
    return message;
  }

  Type parse(StringRef text) { return parseType(text, &context); }

  InFlightDiagnostic emit() {
    return mlir::emitError(UnknownLoc::get(&context));
  }

  MLIRContext context;
};

TEST_F(QADialectTest, RangeAccessors) {
  auto range = RangeAttr::get(&context, -1.5, 6.0);
  EXPECT_EQ(range.getLo(), -1.5);
  EXPECT_EQ(range.getHi(), 6.0);
  EXPECT_FALSE(range.isProven());
  auto proven = RangeAttr::get(&context, -2.0, 8.0, RangeKind::Proven);
  EXPECT_TRUE(proven.isProven());
  EXPECT_TRUE(proven.contains(range));
  EXPECT_FALSE(range.contains(proven));
  // Uniqued: same parameters, same attribute.
  EXPECT_EQ(range, RangeAttr::get(&context, -1.5, 6.0));
  EXPECT_NE(range, RangeAttr::get(&context, -1.5, 6.0, RangeKind::Proven));
}

TEST_F(QADialectTest, RangeRejectsInvertedAndNonFinite) {
  EXPECT_EQ(diagnosticOf([&] {
              EXPECT_FALSE(RangeAttr::getChecked([&] { return emit(); },
                                                 &context, APFloat(1.0),
                                                 APFloat(0.0),
                                                 RangeKind::Calibrated));
            }),
            "range lower bound 1.000000e+00 exceeds upper bound 0.000000e+00");
  EXPECT_NE(diagnosticOf([&] {
              EXPECT_FALSE(RangeAttr::getChecked(
                  [&] { return emit(); }, &context,
                  APFloat::getNaN(APFloat::IEEEdouble()), APFloat(0.0),
                  RangeKind::Calibrated));
            }),
            "");
}

TEST_F(QADialectTest, PrecisionStorageRanges) {
  auto s8 = PrecisionAttr::get(&context, 8, true, true, Granularity::PerTensor,
                               -1, 0, Scheme::Uniform);
  EXPECT_EQ(s8.getStorageRange(), (StorageRange{-127, 127}));
  auto s8Asym = PrecisionAttr::get(&context, 8, true, false,
                                   Granularity::PerTensor, -1, 0,
                                   Scheme::Uniform);
  EXPECT_EQ(s8Asym.getStorageRange(), (StorageRange{-128, 127}));
  auto u4 = PrecisionAttr::get(&context, 4, false, false,
                               Granularity::PerChannel, 0, 0, Scheme::Uniform);
  EXPECT_EQ(u4.getStorageRange(), (StorageRange{0, 15}));
  auto binary = PrecisionAttr::get(&context, 1, true, true,
                                   Granularity::PerChannel, 0, 0,
                                   Scheme::Binary);
  EXPECT_EQ(binary.getStorageRange(), (StorageRange{0, 1}));
}

TEST_F(QADialectTest, PrecisionInvariantsOutsideTheSyntax) {
  auto check = [&](unsigned bits, bool isSigned, bool symmetric,
                   Granularity granularity, int64_t axis, int64_t group,
                   Scheme scheme) {
    return diagnosticOf([&] {
      EXPECT_FALSE(PrecisionAttr::getChecked([&] { return emit(); }, &context,
                                             bits, isSigned, symmetric,
                                             granularity, axis, group, scheme));
    });
  };
  EXPECT_EQ(check(8, true, true, Granularity::PerTensor, 0, 0, Scheme::Uniform),
            "per-tensor precision has no axis or group size");
  EXPECT_EQ(check(8, true, true, Granularity::PerChannel, 0, 4, Scheme::Uniform),
            "group size must be at least 2 for per_group and absent otherwise, "
            "got 4");
  EXPECT_EQ(check(1, false, true, Granularity::PerTensor, -1, 0, Scheme::Binary),
            "binary precision is 1-bit, signed and symmetric");
  EXPECT_EQ(check(2, true, true, Granularity::PerTensor, -1, 0, Scheme::Binary),
            "binary precision is 1-bit, signed and symmetric");
}

TEST_F(QADialectTest, PrecisionPrintsAndParses) {
  auto attr = PrecisionAttr::get(&context, 4, true, true, Granularity::PerGroup,
                                 1, 32, Scheme::Uniform);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << attr;
  EXPECT_EQ(text, "#qa.precision<s4, symmetric, per_group(1, 32)>");
  EXPECT_EQ(parseAttribute(text, &context), attr);
}

TEST_F(QADialectTest, BinaryType) {
  FloatType f32 = Float32Type::get(&context);
  double half = 0.5, quarter = 0.25;
  auto perTensor =
      BinaryType::get(f32, BinaryType::kPerTensor, ArrayRef<double>(half));
  EXPECT_FALSE(perTensor.isPerChannel());
  EXPECT_EQ(perTensor.getAlphas(), ArrayRef<double>({0.5}));
  auto perChannel = BinaryType::get(f32, 0, ArrayRef<double>({half, quarter}));
  EXPECT_TRUE(perChannel.isPerChannel());
  EXPECT_EQ(perChannel, parse("!qa.binary<f32:0, {0.5, 0.25}>"));
  EXPECT_EQ(diagnosticOf([&] {
              EXPECT_FALSE(BinaryType::getChecked(
                  [&] { return emit(); }, &context, f32, BinaryType::kPerTensor,
                  DenseF64ArrayAttr::get(&context, {0.5, 0.25})));
            }),
            "per-tensor binary quantization has exactly one alpha, got 2");
}

TEST_F(QADialectTest, QuantizedElementHelpers) {
  Type i8 = parse("!quant.uniform<i8:f32, 0.1:-3>");
  Type u4 = parse("!quant.uniform<u4:f16:0, {0.1, 0.2}>");
  Type narrow = parse("!quant.uniform<i8<-127:127>:f32, 0.1>");
  Type binary = parse("!qa.binary<bf16, 1.0>");
  Type subChannel = parse("!quant.uniform<i4:f32:{1:2}, {{0.1, 0.2}}>");
  for (Type type : {i8, u4, narrow, binary, subChannel})
    EXPECT_TRUE(isQuantizedElementType(type));
  EXPECT_FALSE(isQuantizedElementType(Float32Type::get(&context)));
  EXPECT_FALSE(isQuantizedElementType(IntegerType::get(&context, 8)));

  EXPECT_EQ(getStorageBitWidth(i8), 8u);
  EXPECT_EQ(getStorageBitWidth(u4), 4u);
  EXPECT_EQ(getStorageBitWidth(binary), 1u);
  EXPECT_EQ(getStorageRange(i8), (StorageRange{-128, 127}));
  EXPECT_EQ(getStorageRange(u4), (StorageRange{0, 15}));
  EXPECT_EQ(getStorageRange(narrow), (StorageRange{-127, 127}));
  EXPECT_EQ(getStorageRange(binary), (StorageRange{0, 1}));
  EXPECT_EQ(getExpressedType(u4), Float16Type::get(&context));
  EXPECT_EQ(getExpressedType(binary), BFloat16Type::get(&context));
}

TEST_F(QADialectTest, QuantizedTensorShapeChecks) {
  Type perAxis = parse("!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>");
  auto verify = [&](Type type, ArrayRef<int64_t> shape) {
    return diagnosticOf([&] {
      (void)verifyQuantizedTensorType([&] { return emit(); }, type, shape);
    });
  };
  EXPECT_EQ(verify(perAxis, {4, 3}), "");
  EXPECT_EQ(verify(perAxis, {4, ShapedType::kDynamic}), "");
  EXPECT_EQ(verify(perAxis, {4, 2}), "has 3 scales but dimension 1 has size 2");
  EXPECT_EQ(verify(perAxis, {4}),
            "quantized axis 1 is out of range for a tensor of rank 1");
  EXPECT_EQ(verify(Float32Type::get(&context), {4}),
            "expected a quantized element type, got 'f32'");
}

} // namespace
