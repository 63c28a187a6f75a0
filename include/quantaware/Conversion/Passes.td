//===- Passes.td - QuantAware conversion passes ------------*- tablegen -*-===//
//
// Dialect conversions out of qa.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_CONVERSION_PASSES_TD
#define QUANTAWARE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def QALowerToInteger : Pass<"qa-lower-to-integer", "ModuleOp"> {
  let summary = "Lower qa ops to integer-only linalg, tensor and arith";
  let description = [{
    Rewrites quantized tensors to their signless storage type (`!quant.uniform
    <i8:...>` becomes `i8`; 2- and 4-bit values are held one per byte, sign-
    or zero-extended, so no sub-byte address is ever formed) and every `qa`
    op to integer arithmetic whose
    results are bit-exact with the reference semantics of its types and
    `#qa.rounding` (see docs/Numerics.md):

    * `qa.constant` becomes `arith.constant` of the stored integers;
    * `qa.fully_connected` becomes an i32 contraction of the
      stored values (sign- or zero-extended by storage signedness); the
      zero-point terms are folded into one constant per output channel at
      compile time (weight sums, `K * zp_in * zp_w`, the bias), and the
      activation-sum term is computed only where a weight zero point is not 0;
      each output channel's accumulator is bounded first: i32 where that is
      proven enough, else i64 (within 2^47) requantized as TFLite's int64
      `MultiplyByQuantizedMultiplier` (16-bit rounded multiplier, one
      rounding shift; TFLite modes only);
    * 1-, 2- and 4-bit weights stay packed (`8 / bits` fields per byte,
      lowest first, rows padded to whole bytes): the contraction reads whole
      bytes and extracts each field with a left shift and an arithmetic
      (signed) or logical (unsigned) right shift, so no sub-byte address is
      ever formed; a binary weight bit selects `+x` or `-x` (sign-selected
      adds);
    * binary inputs with binary weights: the input bits are packed 8 per byte
      at run time and each byte pair adds `2 * popcount(xnor(x, w))`, the sum
      starting at `K - 2 * 8 * ceil(K / 8)` so that padding cancels;
    * `qa.fully_connected` with per-group weights (a scale and zero point
      per output channel and block of K; 2- and 4-bit ones packed when a
      block is whole bytes) accumulates each group in i32,
      sums the groups in i64 with one fixed-point multiplier per group and
      a common shift per channel (`S_n = 30 - e_n`, `e_n` the exponent of
      the channel's largest ratio), and rounds once (docs/Numerics.md);
    * `qa.conv2d` pads its input with the input zero point (padding is real
      zero), gathers the windows into a patch matrix and contracts it with
      the filters like a fully-connected layer;
    * requantization (explicit `qa.requantize`, or implied by a result scale)
      uses the Q31 multiplier and shift of `scale_in * scale_w[c] / scale_out`
      with the rounding of `#qa.rounding`, adds the result zero point and
      saturates to the result's storage range (fused ReLU included); a
      per-axis `qa.requantize` does so per channel, its multipliers, shifts
      and zero points read along the axis;
    * `qa.depthwise_conv2d` accumulates each window
      directly in i32 over `[N, OH, OW, C, M]`, with the filter's integer
      values as a small i8/i16/i32 constant (sub-byte and binary filters
      widened at compile time), subtracts `zp_w` times each window's input
      sum for asymmetric filters, and requantizes per output channel;
    * `qa.add` and `qa.mul` (NumPy broadcasting) follow TFLite's integer
      kernels in the TFLite modes: add shifts the centered inputs left by 20
      (15 for 16-bit results), rescales each by `s_i / (2 max(s_1, s_2))`,
      sums and rescales by `2 max(s_1, s_2) / (2^shift s_out)`; mul rescales
      the centered product by `s_1 s_2 / s_out`. In `half_even` the rescale
      is float32 (`(s_1 / s_out)(a - zp_1) + (s_2 / s_out)(b - zp_2)`, or
      `(s_1 s_2 / s_out)(a - zp_1)(b - zp_2)`) rounded half to even. Shifts
      and products that could leave i32 are refused;
    * `qa.matmul` of two activations sums centered products in i32 (the
      zero points are run-time subtractions, nothing being constant) and
      requantizes by `s_lhs s_rhs / s_out`;
    * `qa.concat` inserts each operand at its offset along the axis,
      requantized first (as `qa.requantize`) where its type is not the
      result's;
    * `qa.clamp` becomes min/max on stored values;
    * `qa.max_pool2d` becomes a linalg max pooling on stored values (signed
      or unsigned by storage, padding with the storage minimum);
      `qa.avg_pool2d` with one quantization for input and result sums each
      window in i32 and divides by its compile-time count, rounding as the op
      says;
    * `tensor.collapse_shape` / `tensor.expand_shape` / `tensor.empty` and
      `linalg.transpose` of quantized tensors act on the storage;
    * `qa.table` indexes its table constant with the stored input minus the
      storage type's minimum;
    * `qa.quantize` and `qa.dequantize` are the explicit float islands at the
      boundary of the integer graph (to binary: the bit `x >= 0`).

    Supported so far: per-tensor activations of 2, 4, 8 or 16 bits (binary
    into a fully-connected layer with binary weights), per-tensor or
    per-channel weights of 1 (binary), 2, 4, 8 or 16 bits, in `qa.constant`,
    `qa.fully_connected`, `qa.matmul`, `qa.conv2d`, `qa.depthwise_conv2d`,
    `qa.add`, `qa.mul`, `qa.concat`, `qa.max_pool2d`, `qa.avg_pool2d`,
    `qa.table`, `qa.requantize`, `qa.clamp`, `qa.quantize` and
    `qa.dequantize`, and per-group weights in `qa.fully_connected`. Anything
    else (per-group convolution filters, accumulators beyond 2^47 or needing
    half_even beyond i32) is reported with an error naming the op, never
    lowered wrongly.

    ```mlir
    // quant-opt --qa-lower-to-integer
    %y = qa.fully_connected %x, %w, %b : (...) -> tensor<1x32x!quant.uniform<i8:f32, 0.05:-3>>
    // becomes a linalg.generic contraction to i32 and a linalg.generic that
    // adds the folded constants, rescales, offsets and saturates to i8.
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // QUANTAWARE_CONVERSION_PASSES_TD
