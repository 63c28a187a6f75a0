// RUN: quant-opt %s --qa-quantize 2>&1 | FileCheck %s --check-prefix=FALLBACK
// RUN: not quant-opt %s --qa-quantize=float-fallback=false 2>&1 | FileCheck %s --check-prefix=STRICT

// An op without a quantized form stays float between a dequantize and a
// quantize, with a remark; with float-fallback=false it is an error (for
// integer-only code), as is any other op computing with floats (an argmax
// of float values, which the fallback leaves unsaid), but an op the user
// marked qa.keep_float still only gets its remark. The layer after the erf
// is quantized either way.
// FALLBACK: remark: stays float: it is marked qa.keep_float
// FALLBACK-NEXT: tosa.sigmoid
// FALLBACK: remark: stays float: it is marked qa.keep_float
// FALLBACK-NEXT: tosa.exp
// FALLBACK: remark: stays float: qa-quantize has no quantized form for 'tosa.erf' yet
// FALLBACK-NOT: argmax{{.*}}yet
// FALLBACK: %[[E:.*]] = tosa.erf %arg0
// FALLBACK: qa.quantize %[[E]]
// FALLBACK: qa.fully_connected
// STRICT: remark: stays float: it is marked qa.keep_float
// STRICT-NEXT: tosa.sigmoid
// STRICT: remark: stays float: it is marked qa.keep_float
// STRICT-NEXT: tosa.exp
// STRICT: error: stays float, and float-fallback is off: qa-quantize has no quantized form for 'tosa.erf' yet
// STRICT: error: stays float, and float-fallback is off: qa-quantize has no quantized form for 'tosa.argmax' yet
// STRICT-NOT: error
func.func @fallback(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1xi32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %s = tosa.sigmoid %x {qa.keep_float, qa.range = #qa.range<0.0, 1.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %k = tosa.exp %x {qa.keep_float, qa.range = #qa.range<0.0, 3.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %e = tosa.erf %x {qa.range = #qa.range<-1.0, 1.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %m = tosa.matmul %e, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %a = tosa.argmax %x {axis = 2 : i32} : (tensor<1x1x2xf32>) -> tensor<1x1xi32>
  return %s, %k, %m, %a : tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1xi32>
}
