// RUN: quant-opt %s --qa-quantize 2>&1 | FileCheck %s --check-prefix=FALLBACK
// RUN: not quant-opt %s --qa-quantize=float-fallback=false 2>&1 | FileCheck %s --check-prefix=STRICT

// An op without a quantized form stays float between a dequantize and a
// quantize, with a remark; with float-fallback=false it is an error (for
// integer-only code), but an op the user marked qa.keep_float still only
// gets its remark. The layer after it is quantized either way.
// FALLBACK: remark: stays float: it is marked qa.keep_float
// FALLBACK: remark: stays float: qa-quantize has no quantized form for 'tosa.erf' yet
// FALLBACK: %[[E:.*]] = tosa.erf %arg0
// FALLBACK: qa.quantize %[[E]]
// FALLBACK: qa.fully_connected
// STRICT: remark: stays float: it is marked qa.keep_float
// STRICT-NEXT: tosa.sigmoid
// STRICT: error: stays float, and float-fallback is off: qa-quantize has no quantized form for 'tosa.erf' yet
// STRICT-NOT: error
func.func @fallback(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> (tensor<1x1x2xf32>, tensor<1x1x2xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %s = tosa.sigmoid %x {qa.keep_float, qa.range = #qa.range<0.0, 1.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %e = tosa.erf %x {qa.range = #qa.range<-1.0, 1.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %m = tosa.matmul %e, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %s, %m : tensor<1x1x2xf32>, tensor<1x1x2xf32>
}
