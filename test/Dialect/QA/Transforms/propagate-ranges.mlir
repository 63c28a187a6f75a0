// RUN: quant-opt %s --qa-propagate-ranges -split-input-file -verify-diagnostics | FileCheck %s

// Exact expected bounds, worked out by hand in the comments. Transcendental
// results are checked to 12 significant digits (the bounds step a few ulps
// outward to absorb libm's error).

// CHECK-LABEL: func.func @relu6_and_arithmetic
func.func @relu6_and_arithmetic(%x: tensor<4xf32> {qa.range = #qa.range<-1.0, 2.0, proven>},
                                %y: tensor<4xf32> {qa.range = #qa.range<0.5, 1.0, proven>},
                                %z: tensor<4xf32> {qa.range = #qa.range<-3.0, 0.5, proven>}) {
  // clamp([-1, 2], 0, 6) = [0, 2]
  // CHECK: tosa.clamp {{.*}}qa.range = #qa.range<0.000000e+00, 2.000000e+00, proven>
  %relu6 = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  // [-1, 2] + [0.5, 1] = [-0.5, 3]
  // CHECK: tosa.add {{.*}}qa.range = #qa.range<-5.000000e-01, 3.000000e+00, proven>
  %add = tosa.add %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // [-1, 2] - [0.5, 1] = [-2, 1.5]
  // CHECK: tosa.sub {{.*}}qa.range = #qa.range<-2.000000e+00, 1.500000e+00, proven>
  %sub = tosa.sub %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // corners of [-1, 2] x [-3, 0.5]: 3, -0.5, -6, 1
  // CHECK: tosa.mul {{.*}}qa.range = #qa.range<-6.000000e+00, 3.000000e+00, proven>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %mul = tosa.mul %x, %z, %shift : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>
  // -[-1, 2] = [-2, 1]
  // CHECK: tosa.negate {{.*}}qa.range = #qa.range<-2.000000e+00, 1.000000e+00, proven>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %neg = tosa.negate %x, %zp, %zp : (tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4xf32>
  // |[-1, 2]| = [0, 2]
  // CHECK: tosa.abs {{.*}}qa.range = #qa.range<0.000000e+00, 2.000000e+00, proven>
  %abs = tosa.abs %x : (tensor<4xf32>) -> tensor<4xf32>
  // max([-1, 2], [0.5, 1]) = [0.5, 2]; min = [-1, 1]
  // CHECK: tosa.maximum {{.*}}qa.range = #qa.range<5.000000e-01, 2.000000e+00, proven>
  %max = tosa.maximum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: tosa.minimum {{.*}}qa.range = #qa.range<-1.000000e+00, 1.000000e+00, proven>
  %min = tosa.minimum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // 1 / [0.5, 1] = [1, 2]
  // CHECK: tosa.reciprocal {{.*}}qa.range = #qa.range<1.000000e+00, 2.000000e+00, proven>
  %recip = tosa.reciprocal %y : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<4xf32> {qa.range = #qa.range<-1.0, 1.0, proven>},
                       %u: tensor<4xf32>) {
  // e^-1 = 0.367879441171442..., e = 2.71828182845904...
  // CHECK: tosa.exp {{.*}}qa.range = #qa.range<0.367879441171{{[0-9]*}}, 2.71828182845{{[0-9]*}}, proven>
  %exp = tosa.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  // tanh(1) = 0.761594155955764...
  // CHECK: tosa.tanh {{.*}}qa.range = #qa.range<-0.761594155955{{[0-9]*}}, 0.761594155955{{[0-9]*}}, proven>
  %tanh = tosa.tanh %x : (tensor<4xf32>) -> tensor<4xf32>
  // sigmoid(-1) = 0.268941421369995..., sigmoid(1) = 0.731058578630004...
  // CHECK: tosa.sigmoid %{{.*}}qa.range = #qa.range<0.268941421369{{[0-9]*}}, 0.731058578630{{[0-9]*}}, proven>
  %sigmoid = tosa.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  // Unbounded input: sigmoid still lies in [0, 1], tanh in [-1, 1].
  // CHECK: tosa.sigmoid %{{.*}}qa.range = #qa.range<0.000000e+00, 1.000000e+00, proven>
  %sigmoid_any = tosa.sigmoid %u : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: tosa.tanh %{{.*}}qa.range = #qa.range<-1.000000e+00, 1.000000e+00, proven>
  %tanh_any = tosa.tanh %u : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// x * relu6(x + 3) on [-4, 4]: hard-swish(x) = x * relu6(x + 3) / 6 has its
// minimum -0.375 at x = -1.5 and reaches 4 at x = 4, so the product is
// 6 * [-0.375, 4] = [-2.25, 24] (naive interval product: [-24, 24]).
// CHECK-LABEL: func.func @hard_swish
func.func @hard_swish(%x: tensor<4xf32> {qa.range = #qa.range<-4.0, 4.0, proven>}) {
  %three = "tosa.const"() <{values = dense<3.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // CHECK: tosa.add {{.*}}qa.range = #qa.range<-1.000000e+00, 7.000000e+00, proven>
  %plus3 = tosa.add %x, %three : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: tosa.clamp {{.*}}qa.range = #qa.range<0.000000e+00, 6.000000e+00, proven>
  %relu6 = tosa.clamp %plus3 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: tosa.mul {{.*}}qa.range = #qa.range<-2.250000e+00, 2.400000e+01, proven>
  %product = tosa.mul %x, %relu6, %shift : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>
  // hard-sigmoid = relu6(x + 3) * 0.25 here: [0, 1.5]
  %quarter = "tosa.const"() <{values = dense<0.25> : tensor<4xf32>}> : () -> tensor<4xf32>
  // CHECK: tosa.mul {{.*}}qa.range = #qa.range<0.000000e+00, 1.500000e+00, proven>
  %scaled = tosa.mul %relu6, %quarter, %shift : (tensor<4xf32>, tensor<4xf32>, tensor<1xi8>) -> tensor<4xf32>
  return
}

// -----

// x in [-1, 2]; B columns [1, 2, -3, 0] and [-1, 0.5, 0, 1].
// column 0: upper 1*2 + 2*2 + (-3)(-1) = 9, lower -1 - 2 - 6 = -9
// column 1: upper 1 + 1 + 0 + 2 = 4, lower -2 - 0.5 - 1 = -3.5
// CHECK-LABEL: func.func @matmul_constant_weights
// CHECK: tosa.matmul {{.*}}qa.range = #qa.range<-9.000000e+00, 9.000000e+00, proven>
func.func @matmul_constant_weights(%x: tensor<1x1x4xf32> {qa.range = #qa.range<-1.0, 2.0, proven>}) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[1.0, -1.0], [2.0, 0.5], [-3.0, 0.0], [0.0, 1.0]]]> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}

// -----

// Both operands variable: depth 3 x ([-1, 2] * [0, 1] = [-1, 2]) = [-3, 6].
// CHECK-LABEL: func.func @matmul_activations
// CHECK: tosa.matmul {{.*}}qa.range = #qa.range<-3.000000e+00, 6.000000e+00, proven>
func.func @matmul_activations(%a: tensor<1x2x3xf32> {qa.range = #qa.range<-1.0, 2.0, proven>},
                              %b: tensor<1x3x2xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %a, %b, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  return %m : tensor<1x2x2xf32>
}

// -----

// Weights [O=2, KH=2, KW=2, C=1]: channel 0 [1, -1, 2, 0.5], channel 1 all 0.25.
// No padding, x in [-1, 2]:
//   channel 0: upper 2 + 1 + 4 + 1 = 8, lower -1 - 2 - 2 - 0.5 = -5.5; + bias 1 = [-4.5, 9]
//   channel 1: [-1, 2]; + bias -1 = [-2, 1]                      hull: [-4.5, 9]
// Padding 1, x in [1, 2]: zeros enter the window, so x in [0, 2]:
//   channel 0: upper 2 + 0 + 4 + 1 = 7, lower 0 - 2 + 0 + 0 = -2; + 1 = [-1, 8]
//   channel 1: [0, 2] - 1 = [-1, 1]                              hull: [-1, 8]
// CHECK-LABEL: func.func @conv2d
// CHECK: tosa.conv2d {{.*}}qa.range = #qa.range<-4.500000e+00, 9.000000e+00, proven>
// CHECK: tosa.conv2d {{.*}}qa.range = #qa.range<-1.000000e+00, 8.000000e+00, proven>
func.func @conv2d(%x: tensor<1x3x3x1xf32> {qa.range = #qa.range<-1.0, 2.0, proven>},
                  %p: tensor<1x3x3x1xf32> {qa.range = #qa.range<1.0, 2.0, proven>}) {
  %w = "tosa.const"() <{values = dense<[[[[1.0], [-1.0]], [[2.0], [0.5]]], [[[0.25], [0.25]], [[0.25], [0.25]]]]> : tensor<2x2x2x1xf32>}> : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() <{values = dense<[1.0, -1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x3x3x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %1 = tosa.conv2d %p, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
      : (tensor<1x3x3x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

// Weights [KH=2, KW=2, C=2, M=1]: channel 0 [1, 2, -1, 0.5], channel 1 all -1.
// x in [0, 1]: channel 0 [-1, 3.5], channel 1 [-4, 0]; hull [-4, 3.5].
// CHECK-LABEL: func.func @depthwise_conv2d
// CHECK: tosa.depthwise_conv2d {{.*}}qa.range = #qa.range<-4.000000e+00, 3.500000e+00, proven>
func.func @depthwise_conv2d(%x: tensor<1x3x3x2xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) {
  %w = "tosa.const"() <{values = dense<[[[[1.0], [-1.0]], [[2.0], [-1.0]]], [[[-1.0], [-1.0]], [[0.5], [-1.0]]]]> : tensor<2x2x2x1xf32>}> : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x3x3x2xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return
}

// -----

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x4x4x1xf32> {qa.range = #qa.range<1.0, 2.0, proven>}) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // A mean of values in [1, 2] lies in [1, 2].
  // CHECK: tosa.avg_pool2d {{.*}}qa.range = #qa.range<1.000000e+00, 2.000000e+00, proven>
  %0 = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}
      : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  // With padding, zeros may count: [0, 2].
  // CHECK: tosa.avg_pool2d {{.*}}qa.range = #qa.range<0.000000e+00, 2.000000e+00, proven>
  %1 = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
      : (tensor<1x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x1xf32>
  // Padded positions never win a max.
  // CHECK: tosa.max_pool2d {{.*}}qa.range = #qa.range<1.000000e+00, 2.000000e+00, proven>
  %2 = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>}
      : (tensor<1x4x4x1xf32>) -> tensor<1x3x3x1xf32>
  return
}

// -----

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x4xf32> {qa.range = #qa.range<-1.0, 2.0, proven>},
                         %y: tensor<2x4xf32> {qa.range = #qa.range<3.0, 4.0, proven>}) {
  %shape = tosa.const_shape {values = dense<[4, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  // CHECK: tosa.reshape {{.*}}qa.range = #qa.range<-1.000000e+00, 2.000000e+00, proven>
  %0 = tosa.reshape %x, %shape : (tensor<2x4xf32>, !tosa.shape<2>) -> tensor<4x2xf32>
  // CHECK: tosa.transpose {{.*}}qa.range = #qa.range<-1.000000e+00, 2.000000e+00, proven>
  %1 = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<2x4xf32>) -> tensor<4x2xf32>
  // hull([-1, 2], [3, 4]) = [-1, 4]
  // CHECK: tosa.concat {{.*}}qa.range = #qa.range<-1.000000e+00, 4.000000e+00, proven>
  %2 = tosa.concat %x, %y {axis = 0 : i32} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  // Padding with 5: hull([-1, 2], 5) = [-1, 5]
  // CHECK: tosa.pad {{.*}}qa.range = #qa.range<-1.000000e+00, 5.000000e+00, proven>
  %padding = tosa.const_shape {values = dense<[1, 1, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %five = "tosa.const"() <{values = dense<5.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %3 = tosa.pad %x, %padding, %five : (tensor<2x4xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<4x4xf32>
  // CHECK: tosa.slice {{.*}}qa.range = #qa.range<3.000000e+00, 4.000000e+00, proven>
  %start = tosa.const_shape {values = dense<[0, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %size = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %4 = tosa.slice %y, %start, %size : (tensor<2x4xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x2xf32>
  return
}

// -----

// CHECK-LABEL: func.func @reductions_and_batch_norm
func.func @reductions_and_batch_norm(%x: tensor<2x4xf32> {qa.range = #qa.range<-1.0, 2.0, proven>},
                                     %c: tensor<1x2xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) {
  // Sum of 4 values in [-1, 2] = [-4, 8]; the mean (x 0.25) = [-1, 2].
  // CHECK: tosa.reduce_sum {{.*}}qa.range = #qa.range<-4.000000e+00, 8.000000e+00, proven>
  %sum = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %quarter = "tosa.const"() <{values = dense<0.25> : tensor<2x1xf32>}> : () -> tensor<2x1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // CHECK: tosa.mul {{.*}}qa.range = #qa.range<-1.000000e+00, 2.000000e+00, proven>
  %mean = tosa.mul %sum, %quarter, %shift : (tensor<2x1xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x1xf32>
  // CHECK: tosa.reduce_max {{.*}}qa.range = #qa.range<-1.000000e+00, 2.000000e+00, proven>
  %max = tosa.reduce_max %x {axis = 1 : i32} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  // Batch norm as an affine op: (c - mean) * scale + bias with per-channel
  // constants mean [0.5, 1], scale [2, 4], bias [0, 1]:
  // c - mean in [0 - 1, 1 - 0.5] = [-1, 0.5]; x scale: [-4, 2]; + bias: [-4, 3]
  %mu = "tosa.const"() <{values = dense<[[0.5, 1.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %gamma = "tosa.const"() <{values = dense<[[2.0, 4.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %beta = "tosa.const"() <{values = dense<[[0.0, 1.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  // CHECK: tosa.sub {{.*}}qa.range = #qa.range<-1.000000e+00, 5.000000e-01, proven>
  %centered = tosa.sub %c, %mu : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  // CHECK: tosa.mul {{.*}}qa.range = #qa.range<-4.000000e+00, 2.000000e+00, proven>
  %scaled = tosa.mul %centered, %gamma, %shift : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1xi8>) -> tensor<1x2xf32>
  // CHECK: tosa.add {{.*}}qa.range = #qa.range<-4.000000e+00, 3.000000e+00, proven>
  %bn = tosa.add %scaled, %beta : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return
}

// -----

// CHECK-LABEL: func.func @linalg_named_and_generic
func.func @linalg_named_and_generic(%x: tensor<1x4xf32> {qa.range = #qa.range<-1.0, 2.0, proven>},
                                    %v: tensor<8xf32> {qa.range = #qa.range<-0.5, 1.0, proven>}) {
  %w = arith.constant dense<[[1.0, -1.0], [2.0, 0.5], [-3.0, 0.0], [0.0, 1.0]]> : tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x2xf32>
  // CHECK: linalg.fill {{.*}}qa.range = #qa.range<0.000000e+00, 0.000000e+00, proven>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x2xf32>) -> tensor<1x2xf32>
  // Same weights as @matmul_constant_weights: [-9, 9].
  // CHECK: linalg.matmul {{.*}}qa.range = #qa.range<-9.000000e+00, 9.000000e+00, proven>
  %mm = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  // Elementwise body: relu(mm * 0.5 + 1) = max([-4.5, 4.5] + 1, 0) = [0, 5.5]
  // CHECK: linalg.generic {{.*}}qa.range = #qa.range<0.000000e+00, 5.500000e+00, proven>
  %relu = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                          iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<1x2xf32>) outs(%empty : tensor<1x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %s = arith.mulf %in, %half : f32
    %a = arith.addf %s, %one : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x2xf32>
  // Sum reduction of 8 values in [-0.5, 1] from 0: [-4, 8]
  %scalar = tensor.empty() : tensor<f32>
  %acc = linalg.fill ins(%zero : f32) outs(%scalar : tensor<f32>) -> tensor<f32>
  // CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}}qa.range = #qa.range<-4.000000e+00, 8.000000e+00, proven>
  %sum = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>],
                         iterator_types = ["reduction"]}
      ins(%v : tensor<8xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %out, %in : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  // Max reduction from -3.4e38: [-0.5, 1]
  %lowest = arith.constant -3.40282347E+38 : f32
  %maxinit = linalg.fill ins(%lowest : f32) outs(%scalar : tensor<f32>) -> tensor<f32>
  // CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}}qa.range = #qa.range<-5.000000e-01, 1.000000e+00, proven>
  %max = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>],
                         iterator_types = ["reduction"]}
      ins(%v : tensor<8xf32>) outs(%maxinit : tensor<f32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %out, %in : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  return
}

// -----

// Filter [KH=1, KW=2, C=1, F=2]: channel 0 [1, -2], channel 1 [0.5, 0.5];
// x in [0, 1]: channel 0 [-2, 1], channel 1 [0, 1]; init 0: hull [-2, 1].
// CHECK-LABEL: func.func @linalg_conv
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}}qa.range = #qa.range<-2.000000e+00, 1.000000e+00, proven>
func.func @linalg_conv(%x: tensor<1x3x3x1xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x3x2x2xf32> {
  %f = arith.constant dense<[[[[1.0, 0.5]], [[-2.0, 0.5]]]]> : tensor<1x2x1x2xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x3x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %f : tensor<1x3x3x1xf32>, tensor<1x2x1x2xf32>) outs(%init : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  return %y : tensor<1x3x2x2xf32>
}

// -----

// softmax over 4 values in [0, 1]: each element lies in
// [1 / (1 + 3e), 1 / (1 + 3/e)] = [0.10923177257303..., 0.47536688641867...]
// CHECK-LABEL: func.func @softmax
// CHECK: linalg.softmax {{.*}}qa.range = #qa.range<0.1092317725730{{[0-9]*}}, 0.4753668864186{{[0-9]*}}, proven>
func.func @softmax(%x: tensor<2x4xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<2x4xf32> {
  %empty = tensor.empty() : tensor<2x4xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<2x4xf32>) outs(%empty : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %s : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @scalar_arith
func.func @scalar_arith(%x: f32 {qa.range = #qa.range<1.0, 2049.0, proven>},
                        %y: f32 {qa.range = #qa.range<-1.0, 2.0, proven>}) {
  // f16 cannot hold 2049: truncation rounds the upper bound out to 2050.
  // CHECK: arith.truncf {{.*}}qa.range = #qa.range<1.000000e+00, 2.050000e+03, proven>
  %t = arith.truncf %x : f32 to f16
  // Division by an interval containing 0 is unbounded: no attribute.
  // CHECK: arith.divf
  // CHECK-NOT: qa.range
  // CHECK-SAME: : f32
  %q = arith.divf %x, %y : f32
  return
}

// -----

func.func @unsupported_op(%x: tensor<4xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<4xf32> {
  // expected-remark @+1 {{no range transfer function for 'tosa.erf': its results, and everything computed from them, are unbounded}}
  %e = tosa.erf %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: tosa.add
  // CHECK-NOT: qa.range
  // CHECK-SAME: -> tensor<4xf32>
  %a = tosa.add %e, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

func.func @unsupported_linalg_body(%x: tensor<4xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<4xf32> {
  %empty = tensor.empty() : tensor<4xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%empty : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    // expected-remark @+1 {{no range transfer function for 'math.erf'}}
    %r = math.erf %in : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %e : tensor<4xf32>
}

// -----

// A calibrated range continues the propagation where static reasoning
// stops, and what follows is calibrated, not proven.
// CHECK-LABEL: func.func @calibrated_source
func.func @calibrated_source(%x: tensor<4xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<4xf32> {
  // expected-remark @+1 {{no range transfer function for 'tosa.erf'}}
  %e = tosa.erf %x {qa.range = #qa.range<-0.75, 0.75>} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: tosa.erf {{.*}}qa.range = #qa.range<-7.500000e-01, 7.500000e-01>}
  // [-0.75, 0.75] + [-1, 1] = [-1.75, 1.75], calibrated
  // CHECK: tosa.add {{.*}}qa.range = #qa.range<-1.750000e+00, 1.750000e+00>}
  %a = tosa.add %e, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// A calibrated range outside the proven one is reported and kept (it is
// what chooses the scale).
// CHECK-LABEL: func.func @calibrated_outside_proven
func.func @calibrated_outside_proven(%x: tensor<4xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<4xf32> {
  // expected-warning @+1 {{calibrated range [-5.000000e-01, 1.000000e+00] of result #0 is not inside its proven range [0.000000e+00, 1.000000e+00]}}
  %r = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32, qa.range = #qa.range<-0.5, 1.0>} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: tosa.clamp {{.*}}qa.range = #qa.range<-5.000000e-01, 1.000000e+00>}
  return %r : tensor<4xf32>
}

// -----

// An argument range that is only calibrated makes everything calibrated.
// CHECK-LABEL: func.func @calibrated_argument
// CHECK: tosa.clamp {{.*}}qa.range = #qa.range<0.000000e+00, 3.000000e+00>}
func.func @calibrated_argument(%x: tensor<4xf32> {qa.range = #qa.range<-2.0, 3.0>}) -> tensor<4xf32> {
  %r = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A broadcast bias (one value for both output channels) is added to every
// channel: channel bounds [-5.5, 8] and [-1, 2] (see @conv2d) plus 100.
// CHECK-LABEL: func.func @conv2d_broadcast_bias
// CHECK: tosa.conv2d {{.*}}qa.range = #qa.range<9.450000e+01, 1.080000e+02, proven>
func.func @conv2d_broadcast_bias(%x: tensor<1x3x3x1xf32> {qa.range = #qa.range<-1.0, 2.0, proven>}) {
  %w = "tosa.const"() <{values = dense<[[[[1.0], [-1.0]], [[2.0], [0.5]]], [[[0.25], [0.25]], [[0.25], [0.25]]]]> : tensor<2x2x2x1xf32>}> : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() <{values = dense<[100.0]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<1x3x3x1xf32>, tensor<2x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return
}
