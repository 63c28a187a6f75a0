//===- QATypes.td - QuantAware types ----------------------*- tablegen -*-===//
//
// Element types that upstream `!quant.uniform` cannot express.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QATYPES_TD
#define QUANTAWARE_DIALECT_QA_IR_QATYPES_TD

include "quantaware/Dialect/QA/IR/QADialect.td"
include "mlir/IR/AttrTypeBase.td"

def QA_BinaryType : TypeDef<QA_Dialect, "Binary"> {
  let mnemonic = "binary";
  let summary = "1-bit sign quantization: values +alpha or -alpha";
  let description = [{
    A binary (sign) quantized element: each element is stored as one bit `b`
    and represents the real value `(2 * b - 1) * alpha`, so bit 1 is
    `+alpha` and bit 0 is `-alpha`. With this encoding the dot product of two
    binary vectors of length `K` is `2 * popcount(xnor(x, y)) - K`, scaled by
    the product of their alphas.

    `alpha` is one positive finite scale per tensor, or one per index of a
    channel axis. The storage type is `i1`; the expressed type is a float.
    Zero is not representable, which `!quant.uniform` would require.

    ```mlir
    tensor<64x!qa.binary<f32, 0.5>>                 // per tensor
    tensor<2x64x!qa.binary<f32:0, {0.5, 0.25}>>     // per channel, axis 0
    ```
  }];
  let parameters = (ins "::mlir::FloatType":$expressedType,
                        "int32_t":$axis,
                        "::mlir::DenseF64ArrayAttr":$alphaAttr);
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::FloatType":$expressedType,
                                        "int32_t":$axis,
                                        "::llvm::ArrayRef<double>":$alphas), [{
      ::mlir::MLIRContext *context = expressedType.getContext();
      return $_get(context, expressedType, axis,
                   ::mlir::DenseF64ArrayAttr::get(context, alphas));
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Axis value meaning "one alpha for the whole tensor".
    static constexpr int32_t kPerTensor = -1;
    bool isPerChannel() const { return getAxis() != kPerTensor; }
    ::llvm::ArrayRef<double> getAlphas() const {
      return getAlphaAttr().asArrayRef();
    }
  }];
}

#endif // QUANTAWARE_DIALECT_QA_IR_QATYPES_TD
