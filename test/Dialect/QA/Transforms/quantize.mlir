// RUN: quant-opt %s --qa-quantize -split-input-file -verify-diagnostics | FileCheck %s

// x in [0, 1]: s8 asymmetric, scale 1/255, zero point -128.
// Weights (K = 2, N = 2): channel 0 = [1, -2], channel 1 = [-0.5, 0.25];
// symmetric per channel: scale 2/127 -> [round(63.5) = 64, -127],
// scale 0.5/127 -> [-127, round(63.5) = 64] (ties away from zero).
// Bias [0.5, -0.25] at scale_in * scale_w: 0.5 * 255 * 127 / 2 = 8096.25 -> 8096,
// -0.25 * 255 * 127 / 0.5 = -16192.5 -> -16193.
// Result [0, 3] after ReLU: scale 3/255, zero point -128, storage [-128, 127].
// CHECK-LABEL: func.func @dense_relu
// CHECK: %[[Q:.*]] = qa.quantize %arg0 : tensor<1x1x2xf32> -> tensor<1x1x2x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[W:.*]] = qa.constant dense<{{\[\[}}64, -127], [-127, 64]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.015748031496062992,0.003937007874015748}>>
// CHECK: %[[B:.*]] = qa.constant dense<[8096, -16193]> : tensor<2xi32> : tensor<2x!quant.uniform<i32:f32:0, {6.17569862590{{[0-9]*}}E-5,1.54392465647{{[0-9]*}}E-5}>>
// CHECK: %[[Y:.*]] = qa.fully_connected %[[Q]], %[[W]], %[[B]] : {{.*}} -> tensor<1x1x2x!quant.uniform<i8:f32, 0.011764705882352941:-128>>
// CHECK: %[[R:.*]] = qa.dequantize %[[Y]] : tensor<1x1x2x!quant.uniform<i8:f32, 0.011764705882352941:-128>> -> tensor<1x1x2xf32>
// CHECK: return %[[R]]
// CHECK-NOT: tosa.
func.func @dense_relu(%x: tensor<1x1x2xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, -0.5], [-2.0, 0.25]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %b = "tosa.const"() <{values = dense<[[[0.5, -0.25]]]> : tensor<1x1x2xf32>}> : () -> tensor<1x1x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 1.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %a = tosa.add %m, %b {qa.range = #qa.range<-1.5, 3.0>} : (tensor<1x1x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32, qa.range = #qa.range<0.0, 3.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %r : tensor<1x1x2xf32>
}

// -----

// ReLU6 on a range calibrated as [0, 12]: scale 12/255, zero point -128;
// 6 is stored as -128 + round(127.5) = 0, so the storage range narrows to
// [-128, 0]. Two layers chain in the integer domain: no dequantize/quantize
// between them.
// CHECK-LABEL: func.func @relu6_chain
// CHECK: %[[Y1:.*]] = qa.fully_connected {{.*}} -> tensor<1x1x2x!quant.uniform<i8<-128:0>:f32, 0.047058823529411764:-128>>
// CHECK-NOT: qa.dequantize
// CHECK-NOT: qa.quantize
// CHECK: qa.fully_connected %[[Y1]], {{.*}} -> tensor<1x1x1x!quant.uniform<i8:f32, {{.*}}>>
func.func @relu6_chain(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-6.0, 6.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %r = tosa.clamp %m {min_val = 0.0 : f32, max_val = 6.0 : f32, qa.range = #qa.range<0.0, 12.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %w2 = "tosa.const"() <{values = dense<[[[0.5], [-0.5]]]> : tensor<1x2x1xf32>}> : () -> tensor<1x2x1xf32>
  %m2 = tosa.matmul %r, %w2, %zp, %zp {qa.range = #qa.range<-3.0, 3.0>} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m2 : tensor<1x1x1xf32>
}

// -----

func.func @missing_range(%x: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{qa-quantize needs a qa.range for this value; run qa-propagate-ranges or qa-calibrate first}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}

// -----

// A product of two activations becomes qa.matmul (each operand x and y in
// [-1, 1]: 2/255, zero point -1; the result in [-2, 2]: 4/255, -1); ops
// without a quantized form stay float, with a remark, and so does a matmul
// by constant weights with a batch of 2.
// CHECK-LABEL: func.func @stays_float
// CHECK: %[[P:.*]] = qa.matmul %{{.*}}, %{{.*}} : (tensor<1x1x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>, tensor<1x2x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>) -> tensor<1x1x2x!quant.uniform<i8:f32, 0.015686274509803921:-1>>
// CHECK: %[[D:.*]] = qa.dequantize %[[P]]
// CHECK: tosa.erf %[[D]]
// CHECK: tosa.matmul
func.func @stays_float(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>},
                       %y: tensor<1x2x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>},
                       %z: tensor<2x1x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> (tensor<1x1x2xf32>, tensor<2x1x2xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %y, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  // expected-remark @+1 {{stays float: qa-quantize has no quantized form for 'tosa.erf' yet}}
  %e = tosa.erf %m : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<2x2x2xf32>}> : () -> tensor<2x2x2xf32>
  // expected-remark @+1 {{stays float: qa-quantize handles a tosa.matmul by constant weights with batch 1 or of two activations, and convolutions with constant weights and bias}}
  %b = tosa.matmul %z, %w, %zp, %zp : (tensor<2x1x2xf32>, tensor<2x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1x2xf32>
  return %e, %b : tensor<1x1x2xf32>, tensor<2x1x2xf32>
}

// -----

// TOSA's ReLU clamps at FLT_MAX: far beyond the storage range, it does not
// narrow it. With a symmetric s8 result (zero point 0) the storage becomes
// [0, 127], not empty.
// CHECK-LABEL: func.func @relu_symmetric_result
// CHECK: qa.fully_connected {{.*}} -> tensor<1x1x2x!quant.uniform<i8<0:127>:f32, 0.047244094488188976>>
func.func @relu_symmetric_result(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %r = tosa.clamp %m {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32, qa.range = #qa.range<0.0, 6.0>,
                      qa.precision = #qa.precision<s8, symmetric, per_tensor>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %r : tensor<1x1x2xf32>
}

// -----

// A bias that varies along rows, not output channels, does not fuse: the
// add stays float.
// CHECK-LABEL: func.func @per_row_bias
// CHECK: %[[Y:.*]] = qa.fully_connected %{{[0-9]+}}, %{{[0-9]+}} :
// CHECK: %[[D:.*]] = qa.dequantize %[[Y]]
// CHECK: tosa.add %[[D]]
func.func @per_row_bias(%x: tensor<1x2x2xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x2x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %b = "tosa.const"() <{values = dense<[[[10.0], [-10.0]]]> : tensor<1x2x1xf32>}> : () -> tensor<1x2x1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-6.0, 6.0>} : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  // expected-remark @+1 {{stays float: qa-quantize has no quantized form for 'tosa.add' yet}}
  %a = tosa.add %m, %b {qa.range = #qa.range<-16.0, 16.0>} : (tensor<1x2x2xf32>, tensor<1x2x1xf32>) -> tensor<1x2x2xf32>
  return %a : tensor<1x2x2xf32>
}

// -----

// tosa.conv2d with constant OHWI weights, a broadcast bias and a ReLU:
// qa.conv2d with its strides, padding and dilations. Filter [0.5, -1,
// 0.25, 1]: scale 1/127, stored [round(63.5) = 64, -127, round(31.75) = 32,
// 127]. Bias 0.5 at scale (1/255)(1/127): 0.5 * 255 * 127 = 16192.5 -> 16193.
// CHECK-LABEL: func.func @conv_relu
// CHECK: %[[Q:.*]] = qa.quantize %arg0 : tensor<1x5x5x1xf32> -> tensor<1x5x5x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[W:.*]] = qa.constant dense<{{\[\[\[\[}}64], [-127]], {{\[\[}}32], [127]]]]> : tensor<1x2x2x1xi8> : tensor<1x2x2x1x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314959}>>
// CHECK: %[[B:.*]] = qa.constant dense<16193> : tensor<1xi32>
// CHECK: %[[Y:.*]] = qa.conv2d %[[Q]], %[[W]], %[[B]] {padding = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : {{.*}} -> tensor<1x3x3x1x!quant.uniform<i8:f32, 0.011764705882352941:-128>>
// CHECK: qa.dequantize %[[Y]]
// CHECK-NOT: tosa.conv2d
func.func @conv_relu(%x: tensor<1x5x5x1xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x3x3x1xf32> {
  %w = "tosa.const"() <{values = dense<[[[[0.5], [-1.0]], [[0.25], [1.0]]]]> : tensor<1x2x2x1xf32>}> : () -> tensor<1x2x2x1xf32>
  %b = "tosa.const"() <{values = dense<[0.5]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>, qa.range = #qa.range<-1.0, 3.0>}
      : (tensor<1x5x5x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x1xf32>
  %r = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32, qa.range = #qa.range<0.0, 3.0>} : (tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  return %r : tensor<1x3x3x1xf32>
}

// -----

// A bias too large for i32 at scale_in * scale_w (1e-6/255 * 1e-3/127, so
// 1.0 would be about 3.2e13) is an error at the add that holds it.
func.func @bias_overflow(%x: tensor<1x1x1xf32> {qa.range = #qa.range<0.0, 1.0e-6, proven>}) -> tensor<1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<1.0e-3> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %b = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<0.0, 1.0e-9>} : (tensor<1x1x1xf32>, tensor<1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  // expected-error @+1 {{bias of channel 0 does not fit i32 at scale}}
  %a = tosa.add %m, %b {qa.range = #qa.range<1.0, 1.0001>} : (tensor<1x1x1xf32>, tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  return %a : tensor<1x1x1xf32>
}

// -----

// The same for a convolution's bias operand: the error is at the conv.
func.func @conv_bias_overflow(%x: tensor<1x1x1x1xf32> {qa.range = #qa.range<0.0, 1.0e-6, proven>}) -> tensor<1x1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<1.0e-3> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<1.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{bias of channel 0 does not fit i32 at scale}}
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qa.range = #qa.range<1.0, 1.0001>}
      : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %c : tensor<1x1x1x1xf32>
}

// -----

// Pooling keeps its input's quantization (x in [0, 1]: scale 1/255, zero
// point -128) for its result, the average excluding padding as TOSA does and
// rounding as the pass option says; a reshape after integer producers moves
// the integers (collapse to one dimension, then expand), so the matmul
// consumes them without a dequantize/quantize pair.
// CHECK-LABEL: func.func @pool_reshape
// CHECK: %[[Q:.*]] = qa.quantize %arg0 : tensor<1x4x4x1xf32> -> tensor<1x4x4x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[M:.*]] = qa.max_pool2d %[[Q]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>> -> tensor<1x2x2x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[A:.*]] = qa.avg_pool2d %[[M]] {kernel = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>} : {{.*}} -> tensor<1x2x2x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1, 2, 3]] : tensor<1x2x2x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>> into tensor<4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[C]] {{\[\[}}0, 1, 2]] output_shape [1, 1, 4] : tensor<4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>> into tensor<1x1x4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: qa.fully_connected %[[E]], {{.*}} -> tensor<1x1x1x!quant.uniform<i8:f32, {{.*}}>>
// CHECK-NOT: tosa.
func.func @pool_reshape(%x: tensor<1x4x4x1xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>, qa.range = #qa.range<0.0, 1.0>} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32>
  %a = tosa.avg_pool2d %m, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>, qa.range = #qa.range<0.0, 1.0>} : (tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  %shape = tosa.const_shape {values = dense<[1, 1, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r = tosa.reshape %a, %shape : (tensor<1x2x2x1xf32>, !tosa.shape<3>) -> tensor<1x1x4xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x4x1xf32>}> : () -> tensor<1x4x1xf32>
  %y = tosa.matmul %r, %w, %zp, %zp {qa.range = #qa.range<0.0, 4.0>} : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %y : tensor<1x1x1xf32>
}

// -----

// A reshape of a float value stays float, with a remark.
// CHECK-LABEL: func.func @float_reshape
// CHECK: tosa.reshape %arg0
func.func @float_reshape(%x: tensor<2x2xf32>) -> tensor<4xf32> {
  %shape = tosa.const_shape {values = dense<4> : tensor<1xindex>} : () -> !tosa.shape<1>
  // expected-remark @+1 {{stays float: a reshape moves integers only when its input comes from a quantized op, per tensor, and both shapes are static}}
  %r = tosa.reshape %x, %shape : (tensor<2x2xf32>, !tosa.shape<1>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Sigmoid of x in [-1, 1] (scale 2/255, zero point round(-128 + 127.5) = -1,
// half away from zero) into [0, 1] (scale 1/255, zero point -128): entry i
// is round(255 * sigmoid(2/255 * (i - 127))) - 128, so entry 0 is
// round(255 * sigmoid(-254/255)) - 128 = round(68.78) - 128 = -59 (0xC5),
// entry 127 is round(127.5) - 128 = 0 (half away from zero) and entry 255 is
// round(255 * sigmoid(256/255)) - 128 = round(186.62) - 128 = 59 (0x3B).
// CHECK-LABEL: func.func @sigmoid_table
// CHECK: %[[Q:.*]] = qa.quantize %arg0 : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// CHECK: %[[T:.*]] = qa.table %[[Q]] {table = dense<"0xC5{{([0-9A-F]{2}){126}00([0-9A-F]{2}){127}3B}}"> : tensor<256xi8>} : tensor<4x!quant.uniform<i8:f32, 0.0078431372549019607:-1>> -> tensor<4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: qa.dequantize %[[T]]
func.func @sigmoid_table(%x: tensor<4xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<4xf32> {
  %y = tosa.sigmoid %x {qa.range = #qa.range<0.0, 1.0>} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A 16-bit input (its #qa.precision says so) would need 65536 entries: the
// sigmoid stays float.
func.func @wide_table(%x: tensor<4xf32> {qa.range = #qa.range<-0.5, 0.5>}) -> tensor<4xf32> {
  %a = tosa.add %x, %x {qa.range = #qa.range<-1.0, 1.0>, qa.precision = #qa.precision<s16, asymmetric, per_tensor>} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // expected-remark @+1 {{stays float: a lookup table takes inputs of at most 8 bits, this one has 16}}
  %y = tosa.sigmoid %a {qa.range = #qa.range<0.0, 1.0>} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A depthwise convolution: tosa's [KH, KW, C, M] weights become qa's
// [1, KH, KW, C * M], quantized per output channel along axis 3. Channel 0
// (input channel 0) has [1, -0.5] over kh: scale 1/127, [127, -64] (ties
// away); channel 1 has [0.5, 0.25]: scale 0.5/127, [127, 64].
// CHECK-LABEL: func.func @depthwise
// CHECK: qa.constant dense<{{\[\[\[\[}}127, 127]], {{\[\[}}-64, 64]]]]> : tensor<1x2x1x2xi8> : tensor<1x2x1x2x!quant.uniform<i8<-127:127>:f32:3, {0.0078740157480314959,0.003937007874015748}>>
// CHECK: qa.depthwise_conv2d {{.*}} {padding = array<i64: 1, 0, 0, 0>} : {{.*}} -> tensor<1x3x3x2x!quant.uniform<i8:f32, {{.*}}>>
// CHECK-NOT: tosa.depthwise_conv2d
func.func @depthwise(%x: tensor<1x3x3x2xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x3x3x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[1.0], [0.5]]], [[[-0.5], [0.25]]]]> : tensor<2x1x2x1xf32>}> : () -> tensor<2x1x2x1xf32>
  %b = "tosa.const"() <{values = dense<[0.0, 0.1]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 0>, stride = array<i64: 1, 1>, qa.range = #qa.range<-1.0, 1.0>} : (tensor<1x3x3x2xf32>, tensor<2x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// -----

// A QDQ graph (as ONNX exporters write it) keeps its own quantization and
// needs no ranges: the input's quantize/dequantize pair feeds the layer's
// integers, the dequantized weights [1, K, N] per-axis along N become qa's
// [N, K] along axis 0 with the same stored values and scales, the layer's
// result takes the type of the quantize after it, and the pair after the
// layer folds away.
// CHECK-LABEL: func.func @qdq
// CHECK: %[[X:.*]] = qa.quantize %arg0 : tensor<1x1x4xf32> -> tensor<1x1x4x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: %[[W:.*]] = qa.constant dense<{{\[\[}}1, 3, 5, 7], [2, 4, 6, 8]]> : tensor<2x4xi8> : tensor<2x4x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>>
// CHECK: %[[Y:.*]] = qa.fully_connected %[[X]], %[[W]] : {{.*}} -> tensor<1x1x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: %[[R:.*]] = qa.dequantize %[[Y]]
// CHECK-NEXT: return %[[R]]
func.func @qdq(%x: tensor<1x1x4xf32>) -> tensor<1x1x2xf32> {
  %qx = qa.quantize %x : tensor<1x1x4xf32> -> tensor<1x1x4x!quant.uniform<u8:f32, 0.02:128>>
  %dx = qa.dequantize %qx : tensor<1x1x4x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x1x4xf32>
  %w = qa.constant dense<[[[1, 2], [3, 4], [5, 6], [7, 8]]]> : tensor<1x4x2xi8> : tensor<1x4x2x!quant.uniform<i8:f32:2, {0.1, 0.2}>>
  %dw = qa.dequantize %w : tensor<1x4x2x!quant.uniform<i8:f32:2, {0.1, 0.2}>> -> tensor<1x4x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %dx, %dw, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %qy = qa.quantize %m : tensor<1x1x2xf32> -> tensor<1x1x2x!quant.uniform<i8:f32, 0.5:-3>>
  %dy = qa.dequantize %qy : tensor<1x1x2x!quant.uniform<i8:f32, 0.5:-3>> -> tensor<1x1x2xf32>
  return %dy : tensor<1x1x2xf32>
}

// -----

// fake_quant (what QAT frameworks export) is folded the same way: the
// weights are quantized at compile time with the trained scales
// (0.05 / 0.01 = 5, -0.04 / 0.02 = -2, ...), the bias at scale_in * scale_w,
// the result takes the trained type and the ReLU narrows its storage range
// (0 is stored as -100).
// CHECK-LABEL: func.func @fake_quant
// CHECK: %[[X:.*]] = qa.quantize %arg0 : tensor<1x1x2xf32> -> tensor<1x1x2x!quant.uniform<i8:f32, 1.000000e-02:-5>>
// CHECK: %[[W:.*]] = qa.constant dense<{{\[\[}}5, -3], [-2, 4]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
// CHECK: %[[B:.*]] = qa.constant dense<[1000, -250]> : tensor<2xi32>
// CHECK: %[[Y:.*]] = qa.fully_connected %[[X]], %[[W]], %[[B]] : {{.*}} -> tensor<1x1x2x!quant.uniform<i8<-100:127>:f32, 5.000000e-02:-100>>
// CHECK: %[[R:.*]] = qa.dequantize %[[Y]]
// CHECK-NEXT: return %[[R]]
func.func @fake_quant(%x: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> {
  %fx = qa.fake_quant %x as !quant.uniform<i8:f32, 0.01:-5> : tensor<1x1x2xf32>
  %w = "tosa.const"() <{values = dense<[[[0.05, -0.04], [-0.03, 0.08]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %fw = qa.fake_quant %w as !quant.uniform<i8<-127:127>:f32:2, {0.01, 0.02}> : tensor<1x2x2xf32>
  %b = "tosa.const"() <{values = dense<[[[0.1, -0.05]]]> : tensor<1x1x2xf32>}> : () -> tensor<1x1x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %fx, %fw, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %a = tosa.add %m, %b : (tensor<1x1x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %fy = qa.fake_quant %r as !quant.uniform<i8:f32, 0.05:-100> : tensor<1x1x2xf32>
  return %fy : tensor<1x1x2xf32>
}

// -----

// A residual connection: the add of two activations becomes qa.add on their
// integers, each keeping its own quantization (x in [0, 1]: 1/255, -128,
// quantized once for its three users; the layer's output in [-2, 2]: 4/255,
// round(-128 + 127.5) = -1 half away from zero), with the ReLU after it
// fused into the result's storage range ([0, 3]: 3/255, -128). A product of
// two activations becomes qa.mul.
// CHECK-LABEL: func.func @residual
// CHECK: %[[X:.*]] = qa.quantize %arg0 : {{.*}} -> tensor<1x1x2x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[Y:.*]] = qa.fully_connected %[[X]]
// CHECK: %[[S:.*]] = qa.add %[[Y]], %[[X]] : (tensor<1x1x2x!quant.uniform<i8:f32, 0.015686274509803921:-1>>, tensor<1x1x2x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>) -> tensor<1x1x2x!quant.uniform<i8:f32, 0.011764705882352941:-128>>
// CHECK-NOT: qa.quantize
// CHECK: %[[P:.*]] = qa.mul %[[S]], %[[X]] : {{.*}} -> tensor<1x1x2x!quant.uniform<i8:f32, 0.011764705882352941:-128>>
// CHECK: qa.dequantize %[[P]]
// CHECK-NOT: tosa.add
// CHECK-NOT: tosa.clamp
func.func @residual(%x: tensor<1x1x2xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, -1.0], [1.0, 1.0]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %s = tosa.add %m, %x {qa.range = #qa.range<-2.0, 3.0>} : (tensor<1x1x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %r = tosa.clamp %s {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32, qa.range = #qa.range<0.0, 3.0>} : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %r, %x, %shift {qa.range = #qa.range<0.0, 3.0>} : (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1xi8>) -> tensor<1x1x2xf32>
  return %p : tensor<1x1x2xf32>
}

// -----

// Unranked tensors stay float.
func.func @unranked(%x: tensor<*xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<*xf32> {
  // expected-remark @+1 {{stays float: qa-quantize needs tensors of static shape}}
  %y = tosa.sigmoid %x {qa.range = #qa.range<0.0, 1.0>} : (tensor<*xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// A reshape of per-axis integers would move the axis its scales follow.
func.func @per_axis_reshape() -> tensor<4xf32> {
  %w = qa.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
  %d = qa.dequantize %w : tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> -> tensor<2x2xf32>
  %shape = tosa.const_shape {values = dense<4> : tensor<1xindex>} : () -> !tosa.shape<1>
  // expected-remark @+1 {{stays float: a reshape moves integers only when its input comes from a quantized op, per tensor, and both shapes are static}}
  %r = tosa.reshape %d, %shape : (tensor<2x2xf32>, !tosa.shape<1>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A concatenation of two activations becomes qa.concat of their integers,
// each keeping its quantization ([0, 1]: 1/255, -128; [-1, 1]: 2/255, -1),
// the result typed from its range ([-1, 1]).
// CHECK-LABEL: func.func @concat
// CHECK: %[[A:.*]] = qa.quantize %arg0 : {{.*}} -> tensor<1x2x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[B:.*]] = qa.quantize %arg1 : {{.*}} -> tensor<1x3x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// CHECK: qa.concat %[[A]], %[[B]] {axis = 1 : i64} : {{.*}} -> tensor<1x5x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
func.func @concat(%a: tensor<1x2xf32> {qa.range = #qa.range<0.0, 1.0>}, %b: tensor<1x3xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x5xf32> {
  %c = tosa.concat %a, %b {axis = 1 : i32, qa.range = #qa.range<-1.0, 1.0>} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  return %c : tensor<1x5xf32>
}

// -----

// Hard-swish written in tosa ops, x * clamp(x + 3, 0, 6) * (1/6), is one
// table of x; the rest of the pattern goes.
// CHECK-LABEL: func.func @hard_swish
// CHECK: %[[Q:.*]] = qa.quantize %arg0
// CHECK: %[[T:.*]] = qa.table %[[Q]]
// CHECK: qa.dequantize %[[T]]
// CHECK-NOT: tosa.
func.func @hard_swish(%x: tensor<4xf32> {qa.range = #qa.range<-4.0, 4.0>}) -> tensor<4xf32> {
  %three = "tosa.const"() <{values = dense<3.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %sixth = "tosa.const"() <{values = dense<0.166666672> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %a = tosa.add %x, %three : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %m = tosa.mul %r, %x, %shift : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>
  %y = tosa.mul %m, %sixth, %shift {qa.range = #qa.range<-0.375, 4.0>} : (tensor<4xf32>, tensor<1xf32>, tensor<1xi8>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A graph quantization after a fused ReLU narrows the layer's result
// ([-100, 127]); a max pooling keeps its input's type, so the pair before it
// does not fold (its input stays the full type).
// CHECK-LABEL: func.func @no_fold_into_pool
// CHECK: %[[Y:.*]] = qa.conv2d {{.*}} -> tensor<1x2x2x1x!quant.uniform<i8<-100:127>:f32, 2.000000e-02:-100>>
// CHECK: %[[D:.*]] = qa.dequantize %[[Y]]
// CHECK: %[[Q:.*]] = qa.quantize %[[D]] : {{.*}} -> tensor<1x2x2x1x!quant.uniform<i8:f32, 2.000000e-02:-100>>
// CHECK: qa.max_pool2d %[[Q]] {{.*}} : tensor<1x2x2x1x!quant.uniform<i8:f32, 2.000000e-02:-100>> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 2.000000e-02:-100>>
func.func @no_fold_into_pool(%x: tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32> {
  %fx = qa.fake_quant %x as !quant.uniform<i8:f32, 0.01> : tensor<1x2x2x1xf32>
  %w = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c = tosa.conv2d %fx, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  %r = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %fr = qa.fake_quant %r as !quant.uniform<i8:f32, 0.02:-100> : tensor<1x2x2x1xf32>
  %p = tosa.max_pool2d %fr {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
  return %p : tensor<1x1x1x1xf32>
}

// -----

// An operand of unknown shape leaves the op float; integer arithmetic is
// not quantized at all (no range needed).
// CHECK-LABEL: func.func @not_quantized
// CHECK: tosa.add %arg0, %arg1
// CHECK: tosa.add %arg2, %arg2
func.func @not_quantized(%x: tensor<4xf32> {qa.range = #qa.range<0.0, 1.0>}, %y: tensor<*xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  // expected-remark @+1 {{stays float: qa-quantize needs tensors of static shape}}
  %a = tosa.add %x, %y : (tensor<4xf32>, tensor<*xf32>) -> tensor<4xf32>
  %j = tosa.add %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %a, %j : tensor<4xf32>, tensor<4xi32>
}

// -----

// A trained constant with a NaN folds as qa.quantize computes at run time:
// NaN is the zero point (10), 1.0 / 0.1 + 10 = 20.
// CHECK-LABEL: func.func @nan_constant
// CHECK: qa.constant dense<[10, 20]> : tensor<2xi8>
func.func @nan_constant() -> tensor<2xf32> {
  %c = "tosa.const"() <{values = dense<[0x7FC00000, 1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %q = qa.quantize %c : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.1:10>>
  %d = qa.dequantize %q : tensor<2x!quant.uniform<i8:f32, 0.1:10>> -> tensor<2xf32>
  return %d : tensor<2xf32>
}

// -----

// A hard-swish whose product broadcasts x is no table of x: the product
// becomes an elementwise qa.mul and the rest stays float.
// CHECK-LABEL: func.func @broadcast_hard_swish
// CHECK-NOT: qa.table
// CHECK: qa.mul
func.func @broadcast_hard_swish(%x: tensor<1x1xf32> {qa.range = #qa.range<-4.0, 4.0>}) -> tensor<2x2xf32> {
  %three = "tosa.const"() <{values = dense<3.0> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-remark @+1 {{stays float: qa-quantize has no quantized form for 'tosa.add' yet}}
  %a = tosa.add %x, %three : (tensor<1x1xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{stays float: qa-quantize has no quantized form for 'tosa.clamp' yet}}
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 6.0 : f32, qa.range = #qa.range<0.0, 6.0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = tosa.mul %x, %r, %shift {qa.range = #qa.range<-24.0, 24.0>} : (tensor<1x1xf32>, tensor<2x2xf32>, tensor<1xi8>) -> tensor<2x2xf32>
  return %m : tensor<2x2xf32>
}

// -----

// A transpose after integers moves them (linalg.transpose on the quantized
// type), so the layer after it consumes them directly; one of a float value
// stays float.
// CHECK-LABEL: func.func @transpose_integers
// CHECK: %[[Q:.*]] = qa.quantize %arg0
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Q]] : tensor<1x2x3x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>) outs(%{{.*}} : tensor<1x3x2x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>) permutation = [0, 2, 1]
// CHECK: qa.fully_connected %[[T]],
// CHECK: tosa.transpose %arg1
func.func @transpose_integers(%x: tensor<1x2x3xf32>, %y: tensor<2x3xf32>) -> (tensor<1x3x2xf32>, tensor<3x2xf32>) {
  %q = qa.quantize %x : tensor<1x2x3xf32> -> tensor<1x2x3x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
  %d = qa.dequantize %q : tensor<1x2x3x!quant.uniform<i8:f32, 0.0078431372549019607:-1>> -> tensor<1x2x3xf32>
  %t = tosa.transpose %d {perms = array<i32: 0, 2, 1>} : (tensor<1x2x3xf32>) -> tensor<1x3x2xf32>
  %w = "tosa.const"() <{values = dense<[[[1.0, 0.5], [-1.0, 0.25]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %t, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x3x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x2xf32>
  // expected-remark @+1 {{stays float: a transpose moves integers only when its input comes from a quantized op, per tensor}}
  %u = tosa.transpose %y {perms = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %m, %u : tensor<1x3x2xf32>, tensor<3x2xf32>
}
