//===- Passes.td - QuantAware passes on the qa dialect -----*- tablegen -*-===//
//
// The passes of the quantization flow; each runs alone from quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_DIALECT_QA_TRANSFORMS_PASSES_TD
#define QUANTAWARE_DIALECT_QA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QAPropagateRanges : Pass<"qa-propagate-ranges", "func::FuncOp"> {
  let summary = "Bound every float value by a proven interval";
  let description = [{
    Runs a sound interval analysis (sparse dataflow, with widening on
    loop-carried values) over a float graph in tosa, linalg-on-tensors,
    tensor, arith and math, and attaches the result to every op whose results
    are all floats as `qa.range = #qa.range<lo, hi, proven>` (an array for
    several results). Bounds hold for the exact real-number semantics of the
    graph; they are computed with directed rounding, so they are exact when
    representable and never too tight.

    Sources of ranges:

    * `qa.range` on function arguments: the user's input range (proven when
      marked `proven`; e.g. `[0, 1]` for images);
    * constants (exact);
    * calibrated `qa.range` attributes (from `qa-calibrate`), used where no
      static bound exists; values derived from them are marked calibrated.

    Transfer functions cover add, sub, mul, div, neg, abs; matmul, fully
    connected, conv2d and depthwise conv2d with constant weights (the exact
    bound of every output channel from its positive and negative weight
    parts), bias add; relu, relu6, clamp, max, min; sigmoid, tanh, exp,
    hard-swish (`x * relu6(x + 3)` is recognized), hard-sigmoid, softmax;
    average and max pooling; reshape, transpose, concat, pad, slice; batch
    norm (as mul/add with constants); reduce sum and mean; and any
    `linalg.generic` whose body uses these arith/math ops, including
    reductions.

    Anything else is unbounded, with a remark naming the op, so the user sees
    where precision is lost. A calibrated range that is not inside the proven
    one gets a warning: the samples violate the declared input ranges, or
    the model is not what it claims.

    Example:

    ```mlir
    // quant-opt --qa-propagate-ranges
    func.func @f(%x: tensor<4xf32> {qa.range = #qa.range<-1.0, 2.0, proven>}) -> tensor<4xf32> {
      %0 = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
      // gets {qa.range = #qa.range<0.000000e+00, 2.000000e+00, proven>}
      return %0 : tensor<4xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::qa::QADialect"];
}

#endif // QUANTAWARE_DIALECT_QA_TRANSFORMS_PASSES_TD
