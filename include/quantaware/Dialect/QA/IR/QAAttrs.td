//===- QAAttrs.td - QuantAware attributes -----------------*- tablegen -*-===//
//
// Ranges, precisions and rounding modes: the facts that passes attach to
// values and that fully determine the integer semantics of `qa` ops.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QAATTRS_TD
#define QUANTAWARE_DIALECT_QA_IR_QAATTRS_TD

include "quantaware/Dialect/QA/IR/QADialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class QA_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<QA_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def QA_RangeKind : I32EnumAttr<"RangeKind", "how an interval is known", [
    I32EnumAttrCase<"Calibrated", 0, "calibrated">,
    I32EnumAttrCase<"Proven", 1, "proven">]> {
  let cppNamespace = "::mlir::qa";
  let genSpecializedAttr = 0;
}

def QA_Granularity : I32EnumAttr<"Granularity",
    "how many scales a quantized tensor has", [
    I32EnumAttrCase<"PerTensor", 0, "per_tensor">,
    I32EnumAttrCase<"PerChannel", 1, "per_channel">,
    I32EnumAttrCase<"PerGroup", 2, "per_group">]> {
  let cppNamespace = "::mlir::qa";
  let genSpecializedAttr = 0;
}

def QA_Scheme : I32EnumAttr<"Scheme", "how stored integers map to reals", [
    I32EnumAttrCase<"Uniform", 0, "uniform">,
    I32EnumAttrCase<"Binary", 1, "binary">]> {
  let cppNamespace = "::mlir::qa";
  let genSpecializedAttr = 0;
}

def QA_RoundingMode : I32EnumAttr<"RoundingMode",
    "rounding of a fixed-point rescale", [
    I32EnumAttrCase<"TFLiteDouble", 0, "tflite_double">,
    I32EnumAttrCase<"TFLiteSingle", 1, "tflite_single">,
    I32EnumAttrCase<"HalfEven", 2, "half_even">]> {
  let cppNamespace = "::mlir::qa";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// #qa.range
//===----------------------------------------------------------------------===//

def QA_RangeAttr : QA_Attr<"Range", "range"> {
  let summary = "Closed real interval of a value, proven or calibrated";
  let description = [{
    `#qa.range<lo, hi>` states that a float value lies in `[lo, hi]`.
    Both bounds are finite and `lo <= hi`.

    The optional kind says how the interval is known:

    * `calibrated` (the default, omitted when printed): observed on sample
      data by `qa-calibrate`; it chooses quantization scales but proves
      nothing;
    * `proven`: derived by static range analysis (or asserted by the user on
      a function argument); later passes may rely on it for overflow proofs.

    Example:

    ```mlir
    func.func @f(%x: tensor<1x784xf32> {qa.range = #qa.range<0.0, 1.0, proven>})
    %y = tosa.clamp %x {...} {qa.range = #qa.range<-0.25, 6.0>} : ...
    ```
  }];
  let parameters = (ins APFloatParameter<"lower bound">:$lower,
                        APFloatParameter<"upper bound">:$upper,
                        "::mlir::qa::RangeKind":$kind);
  let builders = [
    AttrBuilder<(ins "double":$lo, "double":$hi,
                     CArg<"RangeKind", "RangeKind::Calibrated">:$kind), [{
      return $_get($_ctxt, ::llvm::APFloat(lo), ::llvm::APFloat(hi), kind);
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    double getLo() const { return getLower().convertToDouble(); }
    double getHi() const { return getUpper().convertToDouble(); }
    bool isProven() const { return getKind() == RangeKind::Proven; }
    /// True when `other` lies inside this interval.
    bool contains(RangeAttr other) const {
      return getLo() <= other.getLo() && other.getHi() <= getHi();
    }
  }];
}

//===----------------------------------------------------------------------===//
// #qa.precision
//===----------------------------------------------------------------------===//

def QA_PrecisionAttr : QA_Attr<"Precision", "precision"> {
  let summary = "Bit width, signedness, symmetry, granularity and scheme of a value";
  let description = [{
    The precision chosen for a tensor (by the user or by
    `qa-assign-precision`) and consumed by `qa-quantize`.

    Syntax:

    ```
    precision   ::= `#qa.precision<` (uniform | `binary`) `,` granularity `>`
    uniform     ::= (`s` | `u`) bits `,` (`symmetric` | `asymmetric`)
    bits        ::= 1 | 2 | 4 | 8 | 16
    granularity ::= `per_tensor` | `per_channel(` axis `)`
                  | `per_group(` axis `,` group-size `)`
    ```

    `sN` / `uN` give the bit width and signedness of the uniform scheme.
    Symmetric quantization has zero point 0 and, when signed, the narrow
    range `[-(2^(N-1)-1), 2^(N-1)-1]` so that negation is exact.
    `binary` is 1-bit sign quantization (`!qa.binary`, values +-alpha).
    `per_channel(axis)` has one scale per index of `axis`;
    `per_group(axis, size)` has one scale per block of `size` consecutive
    elements along `axis` (and per index of every other dimension).

    Examples:

    ```mlir
    #qa.precision<s8, symmetric, per_channel(0)>
    #qa.precision<u8, asymmetric, per_tensor>
    #qa.precision<s4, symmetric, per_group(1, 32)>
    #qa.precision<binary, per_channel(0)>
    ```
  }];
  let parameters = (ins "unsigned":$bits, "bool":$isSigned, "bool":$symmetric,
                        "::mlir::qa::Granularity":$granularity,
                        "int64_t":$axis, "int64_t":$groupSize,
                        "::mlir::qa::Scheme":$scheme);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Range of stored integers for this precision.
    ::mlir::qa::StorageRange getStorageRange() const;
  }];
}

//===----------------------------------------------------------------------===//
// #qa.rounding
//===----------------------------------------------------------------------===//

def QA_RoundingAttr : EnumAttr<QA_Dialect, QA_RoundingMode, "rounding"> {
  let summary = "Rounding of a requantization";
  let description = [{
    Names the rounding of an integer rescale, each bit-exact with its
    reference:

    * `tflite_double`: TFLite's `MultiplyByQuantizedMultiplier`, i.e.
      gemmlowp `SaturatingRoundingDoublingHighMul` followed by
      `RoundingDivideByPOT` (two roundings). The project default.
    * `tflite_single`: TFLite's single-rounding variant
      (`TFLITE_SINGLE_ROUNDING`): one 64-bit product, one rounding shift.
    * `half_even`: ONNX `QLinearMatMul` / `QLinearConv`: the accumulator is
      rescaled in float and rounded half to even.

    For float-to-integer quantization (`qa.quantize`, `qa.fake_quant`) the
    TFLite modes round half away from zero and `half_even` rounds half to
    even, as TFLite and ONNX `QuantizeLinear` do.

    ```mlir
    %r = qa.requantize %acc {rounding = #qa.rounding<half_even>} : ...
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // QUANTAWARE_DIALECT_QA_IR_QAATTRS_TD
