//===- QADialect.td - QuantAware dialect definition -------*- tablegen -*-===//
//
// The `qa` dialect: what upstream `quant` lacks for a quantizing compiler.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QADIALECT_TD
#define QUANTAWARE_DIALECT_QA_IR_QADIALECT_TD

include "mlir/IR/OpBase.td"

def QA_Dialect : Dialect {
  let name = "qa";
  let cppNamespace = "::mlir::qa";
  let summary = "Quant-aware ops, attributes and types for integer-only inference";
  let description = [{
    The `qa` dialect carries a float neural-network graph through calibration,
    precision assignment and quantization down to integer-only arithmetic.

    It builds on upstream `!quant.uniform` element types (per-tensor,
    per-axis and sub-channel) and adds what they lack:

    * `#qa.range`: the interval of a value, either proven by static analysis
      or observed by calibration;
    * `#qa.precision`: the bit width, signedness, symmetry, granularity and
      scheme chosen for a value;
    * `#qa.rounding`: the rounding of a requantization, made explicit;
    * `!qa.binary`: 1-bit sign quantization (values +-alpha);
    * ops whose integer semantics are fully determined by their operand and
      result types and attributes, so that every lowering and every target
      must produce the same bits.

    Discardable attributes `qa.range` and `qa.precision` may be attached to
    any op (one attribute, or an array with one entry per result) and to
    function arguments; the dialect verifies them. The unit attribute
    `qa.keep_float` on an op asks `qa-quantize` to leave it float (a
    sensitive layer a user keeps in float, or every layer but one when
    `qa-report-error` measures that layer alone).
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Name of the discardable attribute holding a value's interval.
    static constexpr ::llvm::StringLiteral kRangeAttrName = "qa.range";
    /// Name of the discardable attribute holding a value's chosen precision.
    static constexpr ::llvm::StringLiteral kPrecisionAttrName = "qa.precision";
    /// Name of the unit attribute that keeps an op float in qa-quantize.
    static constexpr ::llvm::StringLiteral kKeepFloatAttrName = "qa.keep_float";

  private:
    // Defined next to the generated storage classes they need.
    void registerAttributes();
    void registerTypes();

  public:
  }];
}

#endif // QUANTAWARE_DIALECT_QA_IR_QADIALECT_TD
