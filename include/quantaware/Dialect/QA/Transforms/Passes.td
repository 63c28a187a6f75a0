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

def QAInstrument : Pass<"qa-instrument", "func::FuncOp"> {
  let summary = "Insert qa.observe on every tensor calibration measures";
  let description = [{
    Marks the tensors `qa-calibrate` measures with `qa.observe "<name>"`:
    the function arguments and every float tensor an op computes (constants
    excluded: their range is known). Names come from `NameLoc` locations
    when an importer set them, else from the program (`arg0`,
    `tosa.matmul_0`, ...), so the same model always gets the same names and
    statistics files stay valid. Run it alone to see what calibration will
    observe; `qa-calibrate` runs it on a copy of the function.

    ```mlir
    // quant-opt --qa-instrument
    %0 = tosa.matmul %x, %w, %zp, %zp : ...
    // becomes
    %0 = tosa.matmul %x, %w, %zp, %zp : ...
    %1 = qa.observe "tosa.matmul_0" %0 : tensor<1x1x32xf32>
    ```
  }];
  let dependentDialects = ["::mlir::qa::QADialect"];
}

def QACalibrate : Pass<"qa-calibrate", "ModuleOp"> {
  let summary = "Choose ranges from sample data: min-max, moving average, "
                "percentile, KL entropy or MSE";
  let description = [{
    Runs the float function on sample inputs and records, for every tensor
    `qa-instrument` would observe, its minimum and maximum, moving averages
    of each sample's extremes, and 2048-bin (`bins`) histograms of values and
    of magnitudes (per-channel extremes too where the value's
    `#qa.precision` is per channel). A copy of the function is instrumented,
    lowered to LLVM and JIT-compiled for the host; the input is untouched
    apart from the ranges written back.

    Each observed op result then gets a calibrated
    `qa.range = #qa.range<lo, hi>` chosen by `method`:

    * `min-max`: the observed extremes;
    * `moving-average`: exponential moving averages of each sample's extremes
      (`averaging-constant`, 0.01 as TensorFlow);
    * `percentile`: the `percentile`-th percentile of magnitudes;
    * `entropy`: TensorRT's KL-divergence threshold, with `2^bits` levels for
      non-negative tensors and `2^(bits-1)` otherwise;
    * `mse`: the clipping threshold of least squared quantization error at
      `bits` bits.

    Threshold methods return `[max(min, -T), min(max, T)]`. The exact
    definitions are in `include/quantaware/Calibration/Statistics.h`.
    Arguments get a calibrated range unless they carry a proven one.

    Samples: `samples` names one `.npy` array per function argument
    (comma-separated), each with a leading batch dimension, or a directory
    of such arrays. Each sample must have the argument's shape (a leading 1
    of the argument may be left out) and no NaN or infinity. Statistics can
    be saved with `stats-out` and reused with `stats-in`, so a model is
    calibrated once and quantized many times. Progress (count, rate, ETA) is
    shown when stderr is a terminal.

    ```sh
    quant-opt model.mlir --qa-calibrate="samples=images.npy method=entropy stats-out=stats.json"
    quant-opt model.mlir --qa-calibrate="stats-in=stats.json method=percentile percentile=99.9"
    ```
  }];
  let options = [
    Option<"functionName", "function", "std::string", /*default=*/"\"\"",
           "Function to calibrate (default: the only public function)">,
    Option<"samples", "samples", "std::string", /*default=*/"\"\"",
           "Comma-separated .npy files or directories, one per argument">,
    Option<"statsIn", "stats-in", "std::string", /*default=*/"\"\"",
           "Read statistics from this JSON file instead of running samples">,
    Option<"statsOut", "stats-out", "std::string", /*default=*/"\"\"",
           "Write the collected statistics to this JSON file">,
    Option<"method", "method", "std::string", /*default=*/"\"min-max\"",
           "min-max | moving-average | percentile | entropy | mse">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile of magnitudes kept by the percentile method">,
    Option<"averagingConstant", "averaging-constant", "double",
           /*default=*/"0.01",
           "Weight of each new sample in the moving averages (applied while "
           "samples run; a statistics file records the one it used)">,
    Option<"bins", "bins", "int64_t", /*default=*/"2048", "Histogram bins">,
    Option<"bits", "bits", "unsigned", /*default=*/"8",
           "Bit width the entropy and mse methods optimize for">,
  ];
  let dependentDialects = ["::mlir::qa::QADialect"];
}

def QAQuantize : Pass<"qa-quantize", "func::FuncOp"> {
  let summary = "Rewrite float ops into qa ops on quantized types";
  let description = [{
    Quantizes the float graph from the ranges on its values (`qa.range`,
    from `qa-propagate-ranges` and `qa-calibrate`):

    * `tosa.matmul` of an activation `[1, M, K]` by constant weights
      `[1, K, N]`, with an optional `tosa.add` of a constant bias and an
      optional `tosa.clamp` with lower bound 0 (ReLU, ReLU6), becomes one
      `qa.fully_connected`. Weights are quantized at compile time,
      symmetric per output channel with `weight-bits` bits, to the levels
      [-(2^(bits-1) - 1), 2^(bits-1) - 1], rounded half away from zero. The
      scale maps max |w| to the largest level (`weight-clipping=max`, the
      default at 8 and 16 bits), or is the clipped scale max |w| * r / qmax,
      r in {1, 0.99, ..., 0.30}, of least squared error (`mse`, the default
      at 2 and 4 bits, where a few saturated outliers cost less than coarse
      levels for all others). With `weight-group-size=g` (dividing K),
      fully-connected weights get a scale per output channel and block of g
      along K instead (per-group, float32 scales), the bias the channel's
      largest block scale. `weight-granularity=per-tensor` gives one scale
      for the tensor, and `weight-symmetric=false` asymmetric weights with
      a zero point (the full storage range over `[min(w, 0), max(w, 0)]`,
      as for activations). At `weight-bits=1` weights are binary
      (`!qa.binary`, per channel): the bit is `w >= 0` and alpha is
      mean |w| of the channel, the least-squares scale for those signs
      (XNOR-Net). Sub-byte weights are packed by `qa-lower-to-integer`. The bias goes to i32 at scale
      `scale_in * scale_w[n]`; the clamp fuses into the result's narrowed
      storage range.
    * `tosa.conv2d` of an NHWC activation by constant OHWI weights and a
      constant bias (per output channel, or one value broadcast), with an
      optional ReLU `tosa.clamp`, becomes one `qa.conv2d` keeping its
      strides, padding and dilation; weights and bias are quantized as for
      `qa.fully_connected`, per output channel.
    * `tosa.depthwise_conv2d` likewise becomes `qa.depthwise_conv2d`, its
      `[KH, KW, C, M]` weights rearranged to `[1, KH, KW, C * M]` and
      quantized per output channel (axis 3).
    * `tosa.max_pool2d` and `tosa.avg_pool2d` become `qa.max_pool2d` and
      `qa.avg_pool2d` with the input's quantization kept for the result (the
      maximum and the window average commute with it; TFLite's rule), and
      the average excluding padding as TOSA does.
    * `tosa.add` and `tosa.mul` of two activations (residual connections,
      gates) become `qa.add` and `qa.mul` on their integers, each operand
      keeping its quantization, an add's ReLU / ReLU6 fused into its result;
      a `tosa.matmul` of two activations (attention) becomes `qa.matmul`;
      a `tosa.concat` becomes `qa.concat` of its operands' integers.
    * `tosa.sigmoid`, `tosa.tanh` and hard-swish written out
      (`x * clamp(x + 3, 0, 6)`, with a constant factor such as 1/6 after
      it) of an 8-bit input become `qa.table`
      lookups computed at compile time: entry i is the function at the real
      value of stored input `min + i` (`min` of the full storage type: -128
      for i8, 0 for u8), quantized to the result
      type (from its range) rounding as `rounding` says (half away from zero
      in the TFLite modes), saturated. A wider input stays float, with a
      remark.
    * A `tosa.reshape` of static shape whose input is already integer
      (a `qa.dequantize`) moves the integers instead:
      `tensor.collapse_shape` to one dimension, then `tensor.expand_shape`;
      a `tosa.transpose` likewise becomes a `linalg.transpose` of integers.
    * Activations are `activation-bits` asymmetric per tensor, chosen from
      their `qa.range` (`chooseQuantParams`), or as their `#qa.precision`
      says when present.
    * Weights are quantized as the `#qa.precision` on their constant says
      when present (what `qa-assign-precision` writes: each layer its own
      width, `per_tensor`, `per_channel` on the output-channel axis of the
      tosa layout, `per_group(1, g)` along K of fully-connected weights or
      `per_group(3, g)` along C of OHWI convolution filters (a scale per
      output channel, filter position and block), or `binary, per_channel`),
      else as the options say. A precision the layer cannot take is an error
      naming it.
    * Binary activations (`#qa.precision<binary, per_tensor>` on a value, or
      `activation-bits=1`) are read by fully-connected layers and unpadded
      convolutions (a binary zero to pad with does not exist) with binary
      weights (XNOR + popcount): the bit is `x >= 0`, taken by a
      `qa.quantize` from floats or a `qa.requantize` from integers
      (`q >= zp`); alpha is the mean magnitude `(lo^2 + hi^2) / (2 (hi - lo))`
      of a value spread over its range (the real range of the integers'
      type, or the `qa.range`, widened to contain 0). With
      `activation-bits=1` every other value is 8-bit, and so is a value that
      is never negative (its signs would be constant); a binary precision on
      such a value, or on a value that another op reads, is an error.
    * An op marked `qa.keep_float` stays float, with a remark; on a layer's
      matmul or convolution it keeps the layer's fused bias add and clamp
      float too (those follow their layer: marking only them has no
      effect).
    * The integer graph is entered with `qa.quantize` and left with
      `qa.dequantize`; between two quantized layers the values stay integer.

    A trained graph keeps its own quantization instead of being calibrated:
    each `qa.fake_quant` (QAT export) becomes the `qa.quantize` /
    `qa.dequantize` pair it simulates, a quantize of a float constant is
    folded into a `qa.constant` at compile time (float32 division, the pair's
    rounding), weights that are a `qa.dequantize` of a `qa.constant` (QDQ
    export; per tensor, or per output channel) are used as they are, biases
    may be dequantized constants too, and a value quantized by the graph
    takes that type rather than one from its range. A quantize of a
    dequantize back to the same quantization (between two layers) is the
    integer value itself.

    A value without a range is an error naming it. Every other op stays float
    between a dequantize and a quantize, with a remark saying so; with
    `float-fallback=false` (for integer-only code) that is an error instead,
    and so is any other op computing with floats but the graph's boundary
    (an argmax of float logits), except for ops marked `qa.keep_float`.
    (The boundary's `qa.quantize` / `qa.dequantize`, and `half_even`
    rescales, lower to exact float32 arithmetic.)

    ```mlir
    // quant-opt --qa-propagate-ranges --qa-quantize
    %m = tosa.matmul %x, %w, %zp, %zp : ... -> tensor<1x1x32xf32>
    %a = tosa.add %m, %b : ...
    %r = tosa.clamp %a {min_val = 0.0 : f32, ...} : ...
    // becomes
    %q = qa.quantize %x : tensor<1x1x64xf32> -> tensor<1x1x64x!quant.uniform<i8:f32, ...>>
    %y = qa.fully_connected %q, %wq, %bq : (...) -> tensor<1x1x32x!quant.uniform<i8<-128:127>:f32, ...>>
    %r = qa.dequantize %y : ... -> tensor<1x1x32xf32>
    ```
  }];
  let options = [
    Option<"activationBits", "activation-bits", "unsigned", /*default=*/"8",
           "Bit width of activations without a #qa.precision (2, 4, 8 or "
           "16; 1: binary inputs of fully-connected layers and unpadded "
           "convolutions with binary weights, 8 bits elsewhere)">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "Bit width of weights (1 for binary, 2, 4, 8 or 16)">,
    Option<"weightGranularity", "weight-granularity", "std::string",
           /*default=*/"\"per-channel\"",
           "Weight scales per-channel or per-tensor">,
    Option<"weightSymmetric", "weight-symmetric", "bool", /*default=*/"true",
           "Symmetric weights (zero point 0, narrow range); false: "
           "asymmetric with a zero point over [min(w, 0), max(w, 0)]">,
    Option<"weightGroupSize", "weight-group-size", "int64_t",
           /*default=*/"0",
           "Fully-connected weights per group of this many along K (a scale "
           "per channel and group; 0: per channel)">,
    Option<"weightClipping", "weight-clipping", "std::string",
           /*default=*/"\"auto\"",
           "Weight scale per channel: max (max |w| to the largest level), "
           "mse (the clipped scale of least squared error), or auto (max at "
           "8 and 16 bits, mse below)">,
    Option<"rounding", "rounding", "std::string", /*default=*/"\"tflite_double\"",
           "Rounding of the quantized ops: tflite_double, tflite_single or "
           "half_even">,
    Option<"floatFallback", "float-fallback", "bool", /*default=*/"true",
           "Leave ops without a quantized form float (false: an error, "
           "unless marked qa.keep_float)">,
  ];
  let dependentDialects = ["::mlir::qa::QADialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QAReportError : Pass<"qa-report-error", "ModuleOp"> {
  let summary = "Per-tensor quantization error on samples: SQNR, absolute "
                "error, cosine similarity, top-1 agreement and accuracy";
  let description = [{
    Measures where accuracy goes: the float function and quantized copies of
    it (`qa-quantize` with `quantize-options`, then `qa-lower-to-integer`,
    JIT-compiled for the host) run on the sample inputs, and every tensor a
    quantized op produces is compared with its float value over all samples:

    * **local**: that op's layer quantized alone (every other op
      `qa.keep_float`), as TFLite's QuantizationDebugger and ONNX Runtime's
      `qdq_loss_debug` measure a layer;
    * **cumulative**: every op up to that tensor quantized (those after it
      kept float, so that its value stays visible), the error of everything
      before it.

    A tensor is named as `qa-instrument` names it; `op` is the op whose
    result it is (for a layer with a fused bias add or ReLU, that last op).
    Metrics (definitions in `include/quantaware/Precision/Measurement.h`):
    SQNR in dB (`10 log10(sum r^2 / sum (q - r)^2)`, `inf` without error),
    max and mean absolute error, and cosine similarity. For the function's
    first result also top-1 agreement of the quantized with the float model
    per sample and, with `labels` (an `.npy` of one integer class per
    sample), the accuracy of both.

    The report is a table on stderr (`table=-`, the default; or a file) and,
    with `json=<file>`, JSON. The IR is left as it is.

    ```sh
    quant-opt model.mlir --qa-calibrate=samples=s.npy \
      --qa-report-error="samples=s.npy labels=l.npy json=error.json quantize-options='weight-bits=4'"
    ```
  }];
  let options = [
    Option<"functionName", "function", "std::string", /*default=*/"\"\"",
           "Function to measure (default: the only public function)">,
    Option<"samples", "samples", "std::string", /*default=*/"\"\"",
           "Comma-separated .npy files or directories, one per argument">,
    Option<"labels", "labels", "std::string", /*default=*/"\"\"",
           ".npy of one integer class per sample (optional)">,
    Option<"quantizeOptions", "quantize-options", "std::string",
           /*default=*/"\"\"", "Options of qa-quantize for the quantized copies">,
    Option<"table", "table", "std::string", /*default=*/"\"-\"",
           "Where the table goes: a file, or - for stderr">,
    Option<"json", "json", "std::string", /*default=*/"\"\"",
           "Also write the report as JSON to this file">,
  ];
}

def QAAssignPrecision : Pass<"qa-assign-precision", "ModuleOp"> {
  let summary = "Choose the bit width of every layer's weights and input "
                "under an error budget, from measured sensitivities";
  let description = [{
    Mixed precision: picks, for every layer (`tosa.matmul` by constant
    weights, `tosa.conv2d`, `tosa.depthwise_conv2d`), one candidate
    (weight width and granularity, input activation width) so that the
    model is cheapest while its measured error stays within the budget, and
    writes the choice as `#qa.precision` on the weights' constant and on the
    layer's input value, which `qa-quantize` then follows. The values must
    carry ranges (run `qa-calibrate` first).

    * **Candidates**: weights of each width in `weight-bits` (16, 8, 4, 2,
      in each of `weight-layouts`: symmetric per output channel,
      asymmetric per output channel, symmetric per tensor; also per group
      of each size in `group-sizes` along K of fully-connected weights or C
      of convolution filters, where it divides them; 1: binary per
      channel), with input activations of each
      width in `activation-bits` (16, 8, 4, 2: asymmetric per tensor).
      Binary activations (1 in `activation-bits`) pair only with binary
      weights, in fully-connected layers and unpadded convolutions, where
      the lowering takes them.
    * **Sensitivity**, measured, not guessed: for each layer and candidate
      the model runs on the samples with that layer quantized alone (every
      other op `qa.keep_float`, its result at 16 bits, since the next
      layer's input width is that layer's choice); its error is the noise
      power it adds to the function's first result, `mean((y_q - y)^2)`.
      Errors are taken as additive over layers.
    * **Cost** (`objective`): `size`, the bits of the weights with their
      scales (32-bit each) and zero points (the weights' width) plus those
      of the layer's input activation; or
      `latency`, MACs divided by the nominal MACs per cycle of the kernel
      that `target`'s descriptor lists for the (activation bits, weight
      bits) pair (cycles), a candidate no kernel serves left out; without a
      `target`, a generic cost per MAC: max(8, a, w) / 8 for a-bit by w-bit
      integers, 1/8 for binary by binary (XNOR + popcount).
    * **Budget**: `min-sqnr` (dB) of the first result, and/or, with
      `labels`, `max-accuracy-drop` (points of top-1 accuracy on the
      samples below the float model's). The least-cost assignment whose
      summed error fits the budget is found exactly (branch and bound, see
      `include/quantaware/Precision/Solver.h`); then the whole model is
      quantized as chosen and measured. If it misses the budget, the noise
      budget is tightened 1 dB at a time and solved again (with labels the
      search starts from a 0 dB budget and tightens until the accuracy
      holds), until it passes or no assignment fits: then an error names the
      budget and the best error measured. Everything is deterministic: the
      same model, samples and options give the same assignment.

    A value feeding several layers takes the widest activation they chose;
    the width is also written where the integers are made when pooling,
    reshapes or transposes (which keep their input's integers) stand
    between. Binary activations are candidates only where the layer is the
    value's one reader. Layers that `qa-quantize` would keep float are left
    out with a remark, and weights shared by several layers are refused.
    The report (table, `json`) lists each layer's choice, its cost and share
    of the total, and its measured error, then the totals against uniform
    8-bit (weight bits, cost), the verified output SQNR, top-1 agreement and
    accuracy.

    ```sh
    quant-opt model.mlir --qa-calibrate=samples=s.npy \
      --qa-assign-precision="samples=s.npy labels=l.npy max-accuracy-drop=0.5 weight-bits=8,4,2" \
      --qa-quantize
    ```
  }];
  let options = [
    Option<"functionName", "function", "std::string", /*default=*/"\"\"",
           "Function to assign (default: the only public function)">,
    Option<"samples", "samples", "std::string", /*default=*/"\"\"",
           "Comma-separated .npy files or directories, one per argument">,
    Option<"labels", "labels", "std::string", /*default=*/"\"\"",
           ".npy of one integer class per sample (for max-accuracy-drop)">,
    Option<"objective", "objective", "std::string", /*default=*/"\"size\"",
           "What to minimize: size or latency">,
    Option<"targetName", "target", "std::string", /*default=*/"\"\"",
           "Target descriptor whose kernels price the latency objective "
           "(host, x86_64-avx512vnni, x86_64-avx2, aarch64-dotprod, "
           "aarch64-i8mm, aarch64-neon, riscv64-rvv; default: a generic "
           "cost)">,
    Option<"minSqnr", "min-sqnr", "double", /*default=*/"-1",
           "Least SQNR (dB) of the first result (negative: no such budget)">,
    Option<"maxAccuracyDrop", "max-accuracy-drop", "double",
           /*default=*/"-1",
           "Most points of top-1 accuracy lost against float (needs "
           "labels; negative: no such budget)">,
    ListOption<"weightBits", "weight-bits", "unsigned",
               "Candidate weight widths (default 8,4,2; 1 is binary)">,
    ListOption<"activationBits", "activation-bits", "unsigned",
               "Candidate input activation widths (default 8; 1 is binary)">,
    ListOption<"weightLayouts", "weight-layouts", "std::string",
               "Candidate weight layouts: per-channel, "
               "asymmetric-per-channel, per-tensor (default: all three)">,
    ListOption<"groupSizes", "group-sizes", "int64_t",
               "Also per-group weights of these sizes (along K of "
               "fully-connected weights, C of convolution filters)">,
    Option<"quantizeOptions", "quantize-options", "std::string",
           /*default=*/"\"\"",
           "Options of qa-quantize for the measured copies (e.g. rounding)">,
    Option<"table", "table", "std::string", /*default=*/"\"-\"",
           "Where the report table goes: a file, or - for stderr">,
    Option<"json", "json", "std::string", /*default=*/"\"\"",
           "Also write the report as JSON to this file">,
  ];
}

#endif // QUANTAWARE_DIALECT_QA_TRANSFORMS_PASSES_TD
