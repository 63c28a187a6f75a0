// qa-quantize follows the #qa.precision of each tensor (what
// qa-assign-precision writes) over its options, and qa.keep_float.
// RUN: quant-opt %s --split-input-file --qa-quantize -verify-diagnostics | FileCheck %s
// RUN: quant-opt %s --split-input-file --qa-quantize="activation-bits=1 weight-bits=1" -verify-diagnostics | FileCheck %s --check-prefix=SIGNS

// Weights with their own precision, each layer its own: 4 bits per channel
// ([0.7, -0.7] -> scale 0.1, stored [7, -7]); 8 bits per tensor (max |w| = 1
// -> scale 1/127: 0.5 -> 63.5 -> 64 half away from zero, 0.25 -> 32,
// 0.75 -> 95); binary per channel (alpha = mean |w|).
// CHECK-LABEL: func.func @per_layer
// CHECK: qa.constant dense<{{\[\[}}7, -7]]> : tensor<1x2xi4> : tensor<1x2x!quant.uniform<i4<-7:7>:f32:0, {0.09999999{{[0-9]*}}}>>
// CHECK: qa.constant dense<{{\[\[}}64, -127], [32, 95]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.0078740157480314959>>
// CHECK: qa.constant dense<{{\[\[}}true, false], [true, true]]> : tensor<2x2xi1> : tensor<2x2x!qa.binary<f32:0, {7.500000e-01, 5.000000e-01}>>
func.func @per_layer(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w0 = "tosa.const"() <{values = dense<[[[0.7], [-0.7]]]> : tensor<1x2x1xf32>}> {qa.precision = #qa.precision<s4, symmetric, per_channel(2)>} : () -> tensor<1x2x1xf32>
  %m0 = tosa.matmul %x, %w0, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> {qa.precision = #qa.precision<s8, symmetric, per_tensor>} : () -> tensor<1x2x2xf32>
  %x1 = tosa.concat %m0, %m0 {axis = 2 : i32, qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x1xf32>, tensor<1x1x1xf32>) -> tensor<1x1x2xf32>
  %m1 = tosa.matmul %x1, %w1, %zp, %zp {qa.range = #qa.range<-3.0, 3.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %w2 = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> {qa.precision = #qa.precision<binary, per_channel(2)>} : () -> tensor<1x2x2xf32>
  %m2 = tosa.matmul %m1, %w2, %zp, %zp {qa.range = #qa.range<-3.0, 3.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m2 : tensor<1x1x2xf32>
}

// -----

// Per group, blocks of 2 along K (axis 1 of [1, K, N]): [0.7, 0.3] has scale
// 0.1, [0.14, -0.14] scale 0.02 (as float32); both exact, so the
// least-squares clipping of 4 bits keeps them.
// CHECK-LABEL: func.func @per_group
// CHECK: qa.constant dense<{{\[\[}}7, 3, 7, -7]]> : tensor<1x4xi4> : tensor<1x4x!quant.uniform<i4<-7:7>:f32:{0:1, 1:2}, {{\{\{}}1.000000e-01, 2.000000e-02}}>>
func.func @per_group(%x: tensor<1x1x4xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<[[[0.7], [0.3], [0.14], [-0.14]]]> : tensor<1x4x1xf32>}> {qa.precision = #qa.precision<s4, symmetric, per_group(1, 2)>} : () -> tensor<1x4x1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x4xf32>, tensor<1x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}

// -----

// Convolution filters per group of input channels (axis 3 of OHWI): a scale
// per output channel, filter position and block of 2 channels; [0.7, 0.3]
// and [0.14, -0.14] as in @per_group.
// CHECK-LABEL: func.func @per_group_conv
// CHECK: qa.constant dense<{{\[\[\[\[}}7, 3, 7, -7]]]]> : tensor<1x1x1x4xi4> : tensor<1x1x1x4x!quant.uniform<i4<-7:7>:f32:{0:1, 1:1, 2:1, 3:2}, {{\{\{\{\{}}1.000000e-01, 2.000000e-02}}}}>>
// CHECK: qa.conv2d
func.func @per_group_conv(%x: tensor<1x1x1x4xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<[[[[0.7, 0.3, 0.14, -0.14]]]]> : tensor<1x1x1x4xf32>}> {qa.precision = #qa.precision<s4, symmetric, per_group(3, 2)>} : () -> tensor<1x1x1x4xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %b, %b {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %c : tensor<1x1x1x1xf32>
}

// -----

// A binary activation: alpha is the mean magnitude of a value spread over
// [-1, 3]: (1 + 9) / (2 * 4) = 1.25. The second layer reads the signs of the
// first one's integers (q >= zp) with the alpha of their type's real range:
// [-3, 3] at 8 bits is scale 6/255, zero point -1 (-0.5 half away from
// zero), so [-127, 128] * 6/255 and alpha (127^2 + 128^2) / (2 * 255) * 6/255
// = 1.500023...
// CHECK-LABEL: func.func @binary_activations
// CHECK: %[[X:.*]] = qa.quantize %arg0 : tensor<1x1x2xf32> -> tensor<1x1x2x!qa.binary<f32, 1.250000e+00>>
// CHECK: %[[Y:.*]] = qa.fully_connected %[[X]]
// CHECK-SAME: -> tensor<1x1x2x!quant.uniform<i8:f32, 0.023529411764705882:-1>>
// CHECK: %[[S:.*]] = qa.requantize %[[Y]] : tensor<1x1x2x!quant.uniform<i8:f32, 0.023529411764705882:-1>> -> tensor<1x1x2x!qa.binary<f32, 1.500023068{{[0-9]*}}>>
// CHECK: qa.fully_connected %[[S]]
// SIGNS-LABEL: func.func @binary_activations
// SIGNS: qa.quantize %arg0 : tensor<1x1x2xf32> -> tensor<1x1x2x!qa.binary<f32, 1.250000e+00>>
// SIGNS: qa.requantize
func.func @binary_activations(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 3.0>, qa.precision = #qa.precision<binary, per_tensor>}) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> {qa.precision = #qa.precision<binary, per_channel(2)>} : () -> tensor<1x2x2xf32>
  %m0 = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-3.0, 3.0>, qa.precision = #qa.precision<binary, per_tensor>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %m1 = tosa.matmul %m0, %w, %zp, %zp {qa.range = #qa.range<-3.0, 3.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m1 : tensor<1x1x2xf32>
}

// -----

// With activation-bits=1 fully-connected layers and unpadded convolutions
// with binary weights read signs; a padded convolution reads 8-bit integers
// (a binary zero to pad with does not exist).
// SIGNS-LABEL: func.func @convolutions
// SIGNS: qa.quantize %arg0 : tensor<1x2x2x1xf32> -> tensor<1x2x2x1x!qa.binary<f32, 5.000000e-01>>
// SIGNS: qa.conv2d
// SIGNS: qa.quantize %arg0 : tensor<1x2x2x1xf32> -> tensor<1x2x2x1x!quant.uniform<i8:f32
// SIGNS: qa.conv2d
func.func @convolutions(%x: tensor<1x2x2x1xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> (tensor<1x1x1x1xf32>, tensor<1x3x3x1xf32>) {
  %w = "tosa.const"() <{values = dense<[[[[0.5], [-0.5]], [[0.25], [1.0]]]]> : tensor<1x2x2x1xf32>}> : () -> tensor<1x2x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %b, %b {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %p = tosa.conv2d %x, %w, %b, %b, %b {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x1xf32>
  return %c, %p : tensor<1x1x1x1xf32>, tensor<1x3x3x1xf32>
}

// -----

// qa.keep_float leaves a layer float, its bias add with it.
// CHECK-LABEL: func.func @kept_float
// CHECK: tosa.matmul
// CHECK: tosa.add
// CHECK-NOT: qa.fully_connected
func.func @kept_float(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %b = "tosa.const"() <{values = dense<[[[0.5, 0.25]]]> : tensor<1x1x2xf32>}> : () -> tensor<1x1x2xf32>
  // expected-remark @+1 {{stays float: it is marked qa.keep_float}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.keep_float, qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %a = tosa.add %m, %b {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %a : tensor<1x1x2xf32>
}

// -----

// Precisions a layer cannot take.
func.func @unsigned_weights(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.7], [-0.7]]]> : tensor<1x2x1xf32>}> {qa.precision = #qa.precision<u8, asymmetric, per_tensor>} : () -> tensor<1x2x1xf32>
  // expected-error @+1 {{qa-quantize cannot quantize the weights of this layer as #qa.precision<u8, asymmetric, per_tensor>: weights are stored signed}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}

// -----

func.func @wrong_axis(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.7], [-0.7]]]> : tensor<1x2x1xf32>}> {qa.precision = #qa.precision<s4, symmetric, per_channel(1)>} : () -> tensor<1x2x1xf32>
  // expected-error @+1 {{its output channels are axis 2}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}

// -----

func.func @group_not_dividing(%x: tensor<1x1x3xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.7], [-0.7], [0.1]]]> : tensor<1x3x1xf32>}> {qa.precision = #qa.precision<s4, symmetric, per_group(1, 2)>} : () -> tensor<1x3x1xf32>
  // expected-error @+1 {{the group size must divide K = 3 and be smaller}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x3xf32>, tensor<1x3x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}

// -----

func.func @binary_per_tensor_weights(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.7], [-0.7]]]> : tensor<1x2x1xf32>}> {qa.precision = #qa.precision<binary, per_tensor>} : () -> tensor<1x2x1xf32>
  // expected-error @+1 {{binary weights have one alpha per output channel}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}

// -----

func.func @group_in_conv(%x: tensor<1x2x2x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x1x1xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<1x2x2x2xf32>}> {qa.precision = #qa.precision<s4, symmetric, per_group(1, 2)>} : () -> tensor<1x2x2x2xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{groups are blocks along K (axis 1) of fully-connected weights [1, K, N] or along C (axis 3) of OHWI convolution filters}}
  %c = tosa.conv2d %x, %w, %b, %b, %b {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %c : tensor<1x1x1x1xf32>
}

// -----

// Binary activations feed only fully-connected layers and unpadded
// convolutions with binary weights.
func.func @binary_into_integer_weights(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>, qa.precision = #qa.precision<binary, per_tensor>}) -> tensor<1x1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.7], [-0.7]]]> : tensor<1x2x1xf32>}> {qa.precision = #qa.precision<s8, symmetric, per_channel(2)>} : () -> tensor<1x2x1xf32>
  // expected-error @+1 {{a binary input (#qa.precision<binary, per_tensor>) needs a fully-connected layer or an unpadded convolution with binary weights}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  return %m : tensor<1x1x1xf32>
}

// -----

func.func @binary_into_pool(%x: tensor<1x2x2x1xf32> {qa.range = #qa.range<-1.0, 1.0>, qa.precision = #qa.precision<binary, per_tensor>}) -> tensor<1x1x1x1xf32> {
  // expected-error @+1 {{a binary activation (#qa.precision<binary, per_tensor>) feeds only fully-connected layers and unpadded convolutions with binary weights}}
  %p = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>, qa.range = #qa.range<-1.0, 1.0>} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
  return %p : tensor<1x1x1x1xf32>
}

// -----

// The signs of a value that is never negative would be constant.
func.func @never_negative(%x: tensor<1x1x2xf32> {qa.range = #qa.range<0.0, 1.0>, qa.precision = #qa.precision<binary, per_tensor>}) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> {qa.precision = #qa.precision<binary, per_channel(2)>} : () -> tensor<1x2x2xf32>
  // expected-error @+1 {{a binary input (#qa.precision<binary, per_tensor>) of a value in [0.000000e+00, 1.000000e+00], never negative, would be constant}}
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}

// -----

// With activation-bits=1 such a value (pixels in [0, 1], a ReLU's output)
// keeps 8 bits instead.
// CHECK-LABEL: func.func @never_negative_option
// SIGNS-LABEL: func.func @never_negative_option
// SIGNS: qa.quantize %arg0 : tensor<1x1x2xf32> -> tensor<1x1x2x!quant.uniform<i8:f32
func.func @never_negative_option(%x: tensor<1x1x2xf32> {qa.range = #qa.range<0.0, 1.0>}) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}

// -----

// A trained graph's binary activation read by a layer that cannot take signs.
func.func @trained_binary_into_integer_weights(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %q = qa.quantize %x : tensor<1x1x2xf32> -> tensor<1x1x2x!qa.binary<f32, 0.5>>
  %d = qa.dequantize %q : tensor<1x1x2x!qa.binary<f32, 0.5>> -> tensor<1x1x2xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> {qa.precision = #qa.precision<s8, symmetric, per_channel(2)>} : () -> tensor<1x2x2xf32>
  // expected-error @+1 {{this layer reads a binary activation of the trained graph, but only fully-connected layers and unpadded convolutions with binary weights read signs}}
  %m = tosa.matmul %d, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}

// -----

// A block argument other than the function's has no range of its own.
func.func @second_block(%x: tensor<1x1x2xf32> {qa.range = #qa.range<-1.0, 1.0>}) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  cf.br ^bb1(%x : tensor<1x1x2xf32>)
^bb1(%y: tensor<1x1x2xf32>):
  // expected-error @+1 {{qa-quantize needs a qa.range for this value}}
  %m = tosa.matmul %y, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}
