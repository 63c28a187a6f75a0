// RUN: quant-opt %s --qa-quantize=weight-bits=2 | FileCheck %s --check-prefix=MSE
// RUN: quant-opt %s --qa-quantize="weight-bits=2 weight-clipping=max" | FileCheck %s --check-prefix=MAX
// RUN: quant-opt %s --qa-quantize=weight-bits=1 -verify-diagnostics | FileCheck %s --check-prefix=BINARY
// RUN: quant-opt %s --qa-quantize="activation-bits=4" | FileCheck %s --check-prefix=A4
// RUN: quant-opt %s --qa-quantize="weight-bits=4 weight-group-size=2 weight-clipping=max" | FileCheck %s --check-prefix=GROUP
// RUN: quant-opt %s --qa-quantize="weight-granularity=per-tensor weight-symmetric=false" | FileCheck %s --check-prefix=AFFINE
// RUN: not quant-opt %s --qa-quantize="weight-clipping=median" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not quant-opt %s --qa-quantize="weight-granularity=per-row" 2>&1 | FileCheck %s --check-prefix=GRANULARITY
// RUN: not quant-opt %s --qa-quantize="weight-bits=3" 2>&1 | FileCheck %s --check-prefix=WIDTH
// RUN: not quant-opt %s --qa-quantize="activation-bits=32" 2>&1 | FileCheck %s --check-prefix=WIDTH

// Sub-byte weights and the choice of their scales. At 2 bits the levels are
// {-s, 0, s}. Channel 0 is [1, 0.4, 0.4, 0.4, 0.4]:
// - max: s = 1, so every 0.4 rounds to 0; squared error 4 * 0.4^2 = 0.64.
// - mse (the default below 8 bits): for s <= 0.8 all five round to +1 and
//   the error 4 (0.4 - s)^2 + (1 - s)^2 is least at s = 0.52 (0.288); for
//   s > 0.8 it is at least 0.64. So s = 0.52, stored [1, 1, 1, 1, 1].
// Channel 1, [0.3, -0.3, 0.3, -0.3, 0.3], is exact at s = 0.3 (as f32) either way.
// MSE: qa.constant dense<{{\[\[}}1, 1, 1, 1, 1], [1, -1, 1, -1, 1]]> : tensor<2x5xi2> : tensor<2x5x!quant.uniform<i2<-1:1>:f32:0, {5.200000e-01,0.30000001192092896}>>
// MAX: qa.constant dense<{{\[\[}}1, 0, 0, 0, 0], [1, -1, 1, -1, 1]]> : tensor<2x5xi2> : tensor<2x5x!quant.uniform<i2<-1:1>:f32:0, {1.000000e+00,0.30000001192092896}>>
// At 1 bit the weights are signs (w >= 0 is true) with alpha = mean |w| per
// channel: (1 + 4 * 0.4) / 5 = 0.52 and 0.3 (0.4 and 0.3 as f32).
// BINARY: qa.constant dense<{{\[\[}}true, true, true, true, true], [true, false, true, false, true]]> : tensor<2x5xi1> : tensor<2x5x!qa.binary<f32:0, {0.5200000047{{[0-9]*}}, 0.30000001192092896}>>
// BAD: error: unknown weight-clipping 'median': expected auto, max or mse
// GRANULARITY: error: unknown weight-granularity 'per-row': expected per-channel or per-tensor
// WIDTH: error: activation-bits and weight-bits must be 1 (binary), 2, 4, 8 or 16
// 4-bit activations: x in [-1, 1] is scale 2/15, zero point round(-8 + 7.5)
// = -1 (half away from zero).
// A4-LABEL: func.func @clipping
// A4: qa.quantize %arg0 : tensor<1x1x5xf32> -> tensor<1x1x5x!quant.uniform<i4:f32, 0.13333333333333333:-1>>
func.func @clipping(%x: tensor<1x1x5xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, 0.3], [0.4, -0.3], [0.4, 0.3], [0.4, -0.3], [0.4, 0.3]]]> : tensor<1x5x2xf32>}> : () -> tensor<1x5x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-3.0, 3.0>} : (tensor<1x1x5xf32>, tensor<1x5x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}

// Binary weights are +-alpha: a channel of only zeros (pruned) cannot be
// expressed, so the layer stays float (only the binary run checks remarks).
// BINARY-LABEL: func.func @zero_channel
// BINARY: tosa.matmul
func.func @zero_channel(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[0.0, 0.5], [0.0, -0.5]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-remark @+1 {{stays float: output channel 0 has only zero weights, which binary weights cannot express}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-1.0, 1.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}

// Per-group weights, blocks of 2 along K: [1, 0.5] has scale 1/7, stored as
// float32 0.142857149 (a hair above 1/7, so 0.5 / scale = 3.4999... -> 3);
// [0.25, -0.25] has scale 0.25/7 -> [7, -7]. @clipping (K = 5, not a
// multiple of 2) stays per channel.
// GROUP-LABEL: func.func @clipping
// GROUP: qa.constant {{.*}} : tensor<2x5x!quant.uniform<i4<-7:7>:f32:0,
// GROUP-LABEL: func.func @per_group
// GROUP: qa.constant dense<{{\[\[}}7, 3, 7, -7]]> : tensor<1x4xi4> : tensor<1x4x!quant.uniform<i4<-7:7>:f32:{0:1, 1:2}, {{\{\{}}0.142857149, 0.0357142873}}>>
// GROUP: qa.fully_connected
func.func @per_group(%x: tensor<1x1x4xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0], [0.5], [0.25], [-0.25]]]> : tensor<1x4x1xf32>}> : () -> tensor<1x4x1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}

// Per-tensor asymmetric weights: [1, 0.5, 0.25, -0.25] span [-0.25, 1], so
// scale 1.25/255 and zero point round(-128 + 0.25 * 255 / 1.25) = -77;
// stored round(w / scale) - 77 = [204, 102, 51, -51] - 77.
// AFFINE-LABEL: func.func @per_group
// AFFINE: qa.constant dense<{{\[\[}}127, 25, -26, -128]]> : tensor<1x4xi8> : tensor<1x4x!quant.uniform<i8:f32, 0.0049019607843137254:-77>>
