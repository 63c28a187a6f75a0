//===- QAOps.td - QuantAware operations -------------------*- tablegen -*-===//
//
// Ops whose integer semantics are fully determined by the operand and result
// types (scales, zero points, storage ranges) and their attributes.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_IR_QAOPS_TD
#define QUANTAWARE_DIALECT_QA_IR_QAOPS_TD

include "quantaware/Dialect/QA/IR/QAAttrs.td"
include "quantaware/Dialect/QA/IR/QATypes.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QA_QuantizedElement : Type<
    CPred<"::mlir::qa::isQuantizedElementType($_self)">,
    "uniform quantized or binary element type">;
def QA_QuantizedTensor : RankedTensorOf<[QA_QuantizedElement]>;
def QA_FloatTensor : RankedTensorOf<[AnyFloat]>;

// Every quantized operand and result is checked against its shape: zero
// points inside the storage range, per-axis scale counts equal to the
// dimension, sub-channel blocks dividing it, axes within rank.
def QA_QuantizedTypesAreValid : NativeOpTrait<"QuantizedTypesAreValid"> {
  let cppNamespace = "::mlir::qa::OpTrait";
}

class QA_Op<string mnemonic, list<Trait> traits = []>
    : Op<QA_Dialect, mnemonic, !listconcat(traits, [QA_QuantizedTypesAreValid])>;

// Attributes shared by the windowed ops.
defvar QA_Strides = DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
defvar QA_Dilations = DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
defvar QA_Padding = DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">;
defvar QA_Rounding = DefaultValuedAttr<QA_RoundingAttr,
    "::mlir::qa::RoundingMode::TFLiteDouble">;

//===----------------------------------------------------------------------===//
// Calibration and simulation
//===----------------------------------------------------------------------===//

def QA_ObserveOp : QA_Op<"observe", [AllTypesMatch<["input", "output"]>,
                                     MemoryEffects<[MemWrite]>]> {
  let summary = "Calibration probe: records statistics of a tensor, returns it";
  let description = [{
    Marks a float tensor whose statistics (min, max, histogram) calibration
    collects. `name` identifies the tensor in the statistics file and must be
    non-empty. The op returns its input unchanged; it has a write effect so
    that it is neither hoisted nor erased while the graph is instrumented.

    ```mlir
    %y = qa.observe "fc1.out" %x : tensor<1x64xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, QA_FloatTensor:$input);
  let results = (outs QA_FloatTensor:$output);
  let assemblyFormat = "$name $input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def QA_FakeQuantOp : QA_Op<"fake_quant", [Pure,
                                          AllTypesMatch<["input", "output"]>]> {
  let summary = "Quantize-dequantize simulation in float";
  let description = [{
    Rounds every element to the nearest value representable by `type` and
    returns it in float: `dequantize(quantize(x))`, saturating at the
    storage range. This is what quantization-aware training frameworks
    export. `type` is a `!quant.uniform` (any granularity) or `!qa.binary`
    element type whose expressed type is the input element type; its axes
    refer to the input shape. `rounding` selects half away from zero (TFLite
    modes, the default) or half to even (`half_even`).

    ```mlir
    %y = qa.fake_quant %x as !quant.uniform<i8:f32, 0.05:-3> : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins QA_FloatTensor:$input, TypeAttrOf<QA_QuantizedElement>:$type,
                       QA_Rounding:$rounding);
  let results = (outs QA_FloatTensor:$output);
  let assemblyFormat = "$input `as` $type attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

def QA_QuantizeOp : QA_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Float tensor to quantized tensor";
  let description = [{
    `q = clamp(round(x / scale) + zero_point, storage_min, storage_max)` for
    uniform types (per element, with the scale and zero point of its channel
    or block); `q = x >= 0 ? +alpha : -alpha` for `!qa.binary`. NaN has no
    level: it quantizes to the zero point (real 0), and to `-alpha`. `rounding`
    selects half away from zero (TFLite modes, the default) or half to even
    (`half_even`, as ONNX `QuantizeLinear`).

    QuantAware uses its own quantize/dequantize instead of upstream
    `quant.qcast` / `quant.dcast` because they must also take `!qa.binary`
    and carry an explicit rounding mode, which upstream's ops cannot.

    ```mlir
    %q = qa.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
    ```
  }];
  let arguments = (ins QA_FloatTensor:$input, QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QA_DequantizeOp : QA_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Quantized tensor to float tensor";
  let description = [{
    `x = (q - zero_point) * scale` for uniform types, `x = (2q - 1) * alpha`
    for `!qa.binary`. The result element type is the expressed type.

    ```mlir
    %x = qa.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input);
  let results = (outs QA_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QA_RequantizeOp : QA_Op<"requantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Integer rescale from one quantized type to another";
  let description = [{
    Rescales stored integers from the input's quantization to the output's:
    `q_out = clamp(zp_out + rescale(q_in - zp_in), storage_min, storage_max)`
    where `rescale(v)` multiplies by `scale_in / scale_out` in fixed point:
    a Q31 `multiplier` in `[2^30, 2^31)` and a power-of-two `shift`
    (`v * multiplier * 2^(shift - 31)`), rounded as `rounding` says.

    The multiplier and shift are derived from the types (TFLite's
    `QuantizeMultiplier`). They may also be given explicitly (one pair, or
    one per channel of a per-axis input), as importers of TFLite models do;
    the verifier then checks that they represent the ratio of the scales to
    Q31 precision, so the types remain the truth.

    A per-tensor `!qa.binary` result takes the signs of a per-tensor input:
    the bit is `q_in >= zp_in` (the real value is >= 0, as `qa.quantize`
    decides for floats); there is no rescale.

    ```mlir
    %o = qa.requantize %acc : tensor<1x64x!quant.uniform<i32:f32, 0.0004>>
                           -> tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input,
                       OptionalAttr<DenseI32ArrayAttr>:$multiplier,
                       OptionalAttr<DenseI32ArrayAttr>:$shift,
                       QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QA_ConstantOp : QA_Op<"constant", [ConstantLike, Pure]> {
  let summary = "Quantized constant (weights, biases) from stored integers";
  let description = [{
    A quantized tensor constant given by its stored integers: `value` has the
    result's shape and the signless integer storage type of the result's
    element type (`i1` for `!qa.binary`), and every element lies in the
    storage range. Sub-byte storage is packed by the lowering, not here.

    ```mlir
    %w = qa.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi8>
           : tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$value attr-dict `:` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def QA_FullyConnectedOp : QA_Op<"fully_connected", [Pure]> {
  let summary = "Quantized fully-connected layer: out = in x weights^T + bias";
  let description = [{
    `input` is `[..., K]`, `weights` is `[N, K]` (output channels first, as
    TFLite), the optional `bias` is `[N]`, the result `[..., N]`.

    Accumulation is exact in i32 over `(in - zp_in) * (w - zp_w)`, bias
    added, then requantized to the result type with `rounding`; the storage
    range of the result type saturates (a narrowed range such as
    `i8<-3:127>` is a fused ReLU).

    * input: per-tensor `!quant.uniform` of 2 to 16 bits, or per-tensor
      `!qa.binary` when the weights are binary too (XNOR-popcount);
    * weights: `!quant.uniform` per tensor, per channel (axis 0) or per group
      (sub-channel blocks along K), or `!qa.binary` (per tensor or axis 0);
    * bias: i32, zero point 0, scale `scale_in * scale_w[n]` (per axis 0 when
      the weights are per channel);
    * result: per-tensor `!quant.uniform`.

    ```mlir
    %y = qa.fully_connected %x, %w, %b
      : (tensor<1x784x!quant.uniform<i8:f32, 0.0039:-128>>,
         tensor<64x784x!quant.uniform<i8<-127:127>:f32:0, {...}>>,
         tensor<64x!quant.uniform<i32:f32:0, {...}>>)
      -> tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input, QA_QuantizedTensor:$weights,
                       Optional<QA_QuantizedTensor>:$bias, QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QA_MatMulOp : QA_Op<"matmul", [Pure]> {
  let summary = "Quantized (batched) matrix product of two activations";
  let description = [{
    `lhs` is `[B..., M, K]`, `rhs` is `[B..., K, N]` with equal batch
    dimensions, the result `[B..., M, N]`. Both operands are per-tensor
    `!quant.uniform`; accumulation is exact in i32 and requantized to the
    per-tensor result type with `rounding`.

    ```mlir
    %c = qa.matmul %a, %b : (tensor<4x8x!quant.uniform<i8:f32, 0.1>>,
                             tensor<8x16x!quant.uniform<i8:f32, 0.2:3>>)
                          -> tensor<4x16x!quant.uniform<i8:f32, 0.5>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$lhs, QA_QuantizedTensor:$rhs,
                       QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QA_Conv2DOp : QA_Op<"conv2d", [Pure]> {
  let summary = "Quantized 2-D convolution, NHWC input, OHWI filter";
  let description = [{
    `input` is `[N, H, W, C]`, `filter` is `[O, KH, KW, C]` (TFLite's
    layout), the optional `bias` is `[O]`, the result `[N, OH, OW, O]` with
    `OH = (H + pad_top + pad_bottom - dilation_h * (KH - 1) - 1) / stride_h + 1`
    (likewise `OW`). `padding` is `[top, bottom, left, right]`; padded input
    elements are the input zero point (real zero). Operand element rules are
    those of `qa.fully_connected`, with the filter's channel axis 0.

    ```mlir
    %y = qa.conv2d %x, %f, %b {strides = array<i64: 2, 2>,
                               padding = array<i64: 0, 1, 0, 1>}
      : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.02>>,
         tensor<16x3x3x3x!quant.uniform<i8<-127:127>:f32:0, {...}>>,
         tensor<16x!quant.uniform<i32:f32:0, {...}>>)
      -> tensor<1x4x4x16x!quant.uniform<i8:f32, 0.05>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input, QA_QuantizedTensor:$filter,
                       Optional<QA_QuantizedTensor>:$bias,
                       QA_Strides:$strides, QA_Padding:$padding,
                       QA_Dilations:$dilations, QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QA_DepthwiseConv2DOp : QA_Op<"depthwise_conv2d", [Pure]> {
  let summary = "Quantized depthwise 2-D convolution, NHWC input";
  let description = [{
    `input` is `[N, H, W, C]`, `filter` is `[1, KH, KW, C * M]` (TFLite's
    layout; `M` is the depth multiplier), the optional `bias` is `[C * M]`,
    the result `[N, OH, OW, C * M]`; output channel `c * M + m` reads input
    channel `c`. Strides, padding and dilations are as in `qa.conv2d`;
    per-channel filter scales are on axis 3.

    ```mlir
    %y = qa.depthwise_conv2d %x, %f
      : (tensor<1x8x8x4x!quant.uniform<i8:f32, 0.02>>,
         tensor<1x3x3x4x!quant.uniform<i8<-127:127>:f32:3, {...}>>)
      -> tensor<1x6x6x4x!quant.uniform<i8:f32, 0.05>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input, QA_QuantizedTensor:$filter,
                       Optional<QA_QuantizedTensor>:$bias,
                       QA_Strides:$strides, QA_Padding:$padding,
                       QA_Dilations:$dilations, QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class QA_BinaryElementwiseOp<string mnemonic, string formula>
    : QA_Op<mnemonic, [Pure]> {
  let summary = "Quantized elementwise " # mnemonic # " with broadcasting";
  let description = [{
    Computes `}] # formula # [{` in the real domain on per-tensor
    `!quant.uniform` operands with NumPy broadcasting, each operand with its
    own scale and zero point, rescaled to the per-tensor result type with
    `rounding` and saturated to its storage range.

    ```mlir
    %z = qa.}] # mnemonic # [{ %x, %y : (tensor<4x8x!quant.uniform<i8:f32, 0.1>>,
                               tensor<8x!quant.uniform<i8:f32, 0.2:1>>)
                            -> tensor<4x8x!quant.uniform<i8:f32, 0.3:-2>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$lhs, QA_QuantizedTensor:$rhs,
                       QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QA_AddOp : QA_BinaryElementwiseOp<"add", "lhs + rhs">;
def QA_MulOp : QA_BinaryElementwiseOp<"mul", "lhs * rhs">;

def QA_ClampOp : QA_Op<"clamp", [Pure, AllTypesMatch<["input", "output"]>]> {
  let summary = "Clamp stored integers to [min, max]";
  let description = [{
    Clamps every stored integer to `[min, max]`, given in the storage domain
    and inside the storage range of the per-tensor `!quant.uniform` type,
    which input and result share. A ReLU is `min = zero_point`.

    ```mlir
    %r = qa.clamp %x {min = -3 : i64, max = 127 : i64}
           : tensor<4x!quant.uniform<i8:f32, 0.05:-3>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input, I64Attr:$min, I64Attr:$max);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def QA_TableOp : QA_Op<"table", [Pure, SameOperandsAndResultShape]> {
  let summary = "Lookup table on stored integers (sigmoid, tanh, hard-swish)";
  let description = [{
    Maps each stored integer through `table`, a 1-D integer constant with one
    entry per value of the input storage type (`2^bits` entries, at most
    256): entry `i` is the output for stored input `storage_type_min + i`,
    where `storage_type_min` is the minimum of the full storage type (-128
    for i8, 0 for u8). Entries have the result's storage type and lie in its
    storage range. Both types are per-tensor `!quant.uniform`; the table is
    computed at compile time from the function being approximated.

    ```mlir
    %y = qa.table %x {table = dense<[...]> : tensor<256xi8>}
           : tensor<8x!quant.uniform<i8:f32, 0.06:-10>>
          -> tensor<8x!quant.uniform<i8:f32, 0.00390625:-128>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input,
                       AnyIntElementsAttr:$table);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling and data movement
//===----------------------------------------------------------------------===//

def QA_MaxPool2DOp : QA_Op<"max_pool2d", [Pure]> {
  let summary = "Quantized 2-D max pooling, NHWC";
  let description = [{
    Maximum over each `kernel` window of an `[N, H, W, C]` input; padded
    positions never win. Input and result have the same per-tensor element
    type, because the maximum commutes only with an identical quantization.
    Output spatial sizes follow `qa.conv2d` (dilation 1).

    ```mlir
    %y = qa.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.1>> -> tensor<1x4x4x4x!quant.uniform<i8:f32, 0.1>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input, DenseI64ArrayAttr:$kernel,
                       QA_Strides:$strides, QA_Padding:$padding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QA_AvgPool2DOp : QA_Op<"avg_pool2d", [Pure]> {
  let summary = "Quantized 2-D average pooling, NHWC";
  let description = [{
    Average over each `kernel` window of an `[N, H, W, C]` input, rescaled
    to the result's per-tensor type and rounded with `rounding`. The divisor
    counts only the input elements inside the window (as TFLite), or the whole
    window when `count_include_pad` is set (padded elements are real zero).
    With one quantization for input and result (what `qa-quantize` makes),
    the result is the average of the stored values, rounded half away from
    zero in the TFLite modes (TFLite's integer AveragePool,
    `(sum +- count / 2) / count` truncating) and half to even in `half_even`.

    ```mlir
    %y = qa.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>}
      : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.1>> -> tensor<1x8x8x4x!quant.uniform<i8:f32, 0.1>>
    ```
  }];
  let arguments = (ins QA_QuantizedTensor:$input, DenseI64ArrayAttr:$kernel,
                       QA_Strides:$strides, QA_Padding:$padding,
                       UnitAttr:$count_include_pad, QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QA_ConcatOp : QA_Op<"concat", [Pure]> {
  let summary = "Concatenate quantized tensors along an axis";
  let description = [{
    Concatenates per-tensor `!quant.uniform` operands of equal rank along
    `axis`; every other dimension matches. Each operand is requantized to the
    per-tensor result type with `rounding` (an identity when the types agree).

    ```mlir
    %c = qa.concat %a, %b {axis = 1 : i64}
      : (tensor<1x4x!quant.uniform<i8:f32, 0.1>>, tensor<1x2x!quant.uniform<i8:f32, 0.2>>)
      -> tensor<1x6x!quant.uniform<i8:f32, 0.2>>
    ```
  }];
  let arguments = (ins Variadic<QA_QuantizedTensor>:$inputs, I64Attr:$axis,
                       QA_Rounding:$rounding);
  let results = (outs QA_QuantizedTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
}

#endif // QUANTAWARE_DIALECT_QA_IR_QAOPS_TD
