// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s -mlir-print-op-generic | quant-opt | FileCheck %s

// Every qa op, attribute and type round-trips through the custom and the
// generic form.

!act = !quant.uniform<i8:f32, 0.5:-3>
!act_u8 = !quant.uniform<u8:f32, 0.25:128>
!out = !quant.uniform<i8:f32, 2.0:1>

// CHECK-LABEL: func.func @attributes
// CHECK-SAME: qa.range = #qa.range<0.000000e+00, 1.000000e+00, proven>
// CHECK-SAME: qa.range = #qa.range<-2.500000e-01, 6.000000e+00>
// CHECK-SAME: qa.precision = #qa.precision<s8, symmetric, per_channel(0)>
// CHECK-SAME: qa.precision = #qa.precision<u8, asymmetric, per_tensor>
// CHECK-SAME: qa.precision = #qa.precision<s4, symmetric, per_group(1, 32)>
// CHECK-SAME: qa.precision = #qa.precision<binary, per_channel(0)>
// CHECK-SAME: qa.precision = #qa.precision<u2, asymmetric, per_tensor>
// CHECK-SAME: qa.precision = #qa.precision<s16, symmetric, per_tensor>
func.func @attributes(
    %a: tensor<4xf32> {qa.range = #qa.range<0.0, 1.0, proven>},
    %b: tensor<4xf32> {qa.range = #qa.range<-0.25, 6.0, calibrated>},
    %c: tensor<4x64xf32> {qa.precision = #qa.precision<s8, symmetric, per_channel(0)>},
    %d: tensor<4x64xf32> {qa.precision = #qa.precision<u8, asymmetric, per_tensor>},
    %e: tensor<4x64xf32> {qa.precision = #qa.precision<s4, symmetric, per_group(1, 32)>},
    %f: tensor<4x64xf32> {qa.precision = #qa.precision<binary, per_channel(0)>},
    %g: tensor<4x64xf32> {qa.precision = #qa.precision<u2, asymmetric, per_tensor>},
    %h: tensor<4x64xf32> {qa.precision = #qa.precision<s16, symmetric, per_tensor>}) {
  return
}

// Result attributes: one for a single result, an array for several.
// CHECK-LABEL: func.func @result_attributes
// CHECK: arith.addf {{.*}} {qa.precision = #qa.precision<s8, symmetric, per_tensor>, qa.range = #qa.range<-1.000000e+00, 3.000000e+00, proven>}
// CHECK: call @two_results(%{{.*}}) {qa.range = [#qa.range<0.000000e+00, 1.000000e+00>, #qa.range<-1.000000e+00, 0.000000e+00>]}
func.func private @two_results(tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
func.func @result_attributes(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = arith.addf %x, %x {qa.range = #qa.range<-1.0, 3.0, proven>,
                          qa.precision = #qa.precision<s8, symmetric, per_tensor>} : tensor<4xf32>
  %1:2 = func.call @two_results(%0) {qa.range = [#qa.range<0.0, 1.0>, #qa.range<-1.0, 0.0>]}
      : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %1#0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @binary_types
// CHECK-SAME: tensor<64x!qa.binary<f32, 5.000000e-01>>
// CHECK-SAME: tensor<2x64x!qa.binary<f32:0, {5.000000e-01, 2.500000e-01}>>
// CHECK-SAME: tensor<3x!qa.binary<f16, 1.250000e-01>>
func.func @binary_types(%a: tensor<64x!qa.binary<f32, 0.5>>,
                        %b: tensor<2x64x!qa.binary<f32:0, {0.5, 0.25}>>,
                        %c: tensor<3x!qa.binary<f16, 0.125>>) {
  return
}

// CHECK-LABEL: func.func @observe_and_fake_quant
// CHECK: qa.observe "fc1.out" %{{.*}} : tensor<2x4xf32>
// CHECK: qa.fake_quant %{{.*}} as !quant.uniform<i8:f32, 5.000000e-01:-3> : tensor<2x4xf32>
// CHECK: qa.fake_quant %{{.*}} as !quant.uniform<i4:f32:0, {1.000000e-01,2.000000e-01}> {rounding = #qa.rounding<half_even>} : tensor<2x4xf32>
// CHECK: qa.fake_quant %{{.*}} as !qa.binary<f32:1, {1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00}> : tensor<2x4xf32>
// CHECK: qa.fake_quant %{{.*}} as !quant.uniform<i4:f32:{0:1, 1:2}, {{\{\{}}1.000000e-01, 2.000000e-01}, {3.000000e-01, 4.000000e-01}}> : tensor<2x4xf32>
func.func @observe_and_fake_quant(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = qa.observe "fc1.out" %x : tensor<2x4xf32>
  %1 = qa.fake_quant %0 as !act : tensor<2x4xf32>
  %2 = qa.fake_quant %1 as !quant.uniform<i4:f32:0, {0.1, 0.2}> {rounding = #qa.rounding<half_even>} : tensor<2x4xf32>
  %3 = qa.fake_quant %2 as !qa.binary<f32:1, {1.0, 2.0, 3.0, 4.0}> : tensor<2x4xf32>
  %4 = qa.fake_quant %3 as !quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}> : tensor<2x4xf32>
  return %4 : tensor<2x4xf32>
}

// Sub-channel zero points are stored in the storage width: u4 15 prints as
// -1 and must still verify as 15, inside [0, 15].
// CHECK-LABEL: func.func @unsigned_sub_channel_zero_point
// CHECK: qa.dequantize %{{.*}} : tensor<2x4x!quant.uniform<u4:f32:{0:1, 1:2}, {{\{\{}}1.000000e-01:-1, 2.000000e-01}, {3.000000e-01, 4.000000e-01}}>> -> tensor<2x4xf32>
func.func @unsigned_sub_channel_zero_point(%x: tensor<2x4x!quant.uniform<u4:f32:{0:1, 1:2}, {{0.1:15, 0.2}, {0.3, 0.4}}>>) -> tensor<2x4xf32> {
  %0 = qa.dequantize %x : tensor<2x4x!quant.uniform<u4:f32:{0:1, 1:2}, {{0.1:15, 0.2}, {0.3, 0.4}}>> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @conversions
// CHECK: %[[Q:.*]] = qa.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: qa.quantize %{{.*}} {rounding = #qa.rounding<half_even>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 2.500000e-01:128>>
// CHECK: qa.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!qa.binary<f32, 1.000000e+00>>
// CHECK: qa.dequantize %[[Q]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<4xf32>
func.func @conversions(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qa.quantize %x : tensor<4xf32> -> tensor<4x!act>
  %u = qa.quantize %x {rounding = #qa.rounding<half_even>} : tensor<4xf32> -> tensor<4x!act_u8>
  %b = qa.quantize %x : tensor<4xf32> -> tensor<4x!qa.binary<f32, 1.0>>
  %d = qa.dequantize %q : tensor<4x!act> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// CHECK-LABEL: func.func @requantize
// CHECK: qa.requantize %{{.*}} : tensor<1x8x!quant.uniform<i32:f32, 2.500000e-01>> -> tensor<1x8x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.requantize %{{.*}} {multiplier = array<i32: 1073741824>, rounding = #qa.rounding<tflite_single>, shift = array<i32: -2>}
// CHECK: qa.requantize %{{.*}} {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 0, 1>} : tensor<2x8x!quant.uniform<i32:f32:0, {1.000000e+00,2.000000e+00}>> -> tensor<2x8x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.requantize %{{.*}} : tensor<2x8x!quant.uniform<i32:f32:0, {1.000000e+00,2.000000e+00}>> -> tensor<2x8x!quant.uniform<i8:f32:0, {5.000000e-01,5.000000e-01}>>
func.func @requantize(%acc: tensor<1x8x!quant.uniform<i32:f32, 0.25>>,
                      %channels: tensor<2x8x!quant.uniform<i32:f32:0, {1.0, 2.0}>>) {
  %0 = qa.requantize %acc : tensor<1x8x!quant.uniform<i32:f32, 0.25>> -> tensor<1x8x!out>
  // 0.25 / 2.0 = 0.125 = 2^30 * 2^(-2 - 31)
  %1 = qa.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -2>,
                           rounding = #qa.rounding<tflite_single>}
      : tensor<1x8x!quant.uniform<i32:f32, 0.25>> -> tensor<1x8x!out>
  // 1/2 = 2^30 * 2^(0 - 31), 2/2 = 2^30 * 2^(1 - 31)
  %2 = qa.requantize %channels {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 0, 1>}
      : tensor<2x8x!quant.uniform<i32:f32:0, {1.0, 2.0}>> -> tensor<2x8x!out>
  %3 = qa.requantize %channels : tensor<2x8x!quant.uniform<i32:f32:0, {1.0, 2.0}>>
      -> tensor<2x8x!quant.uniform<i8:f32:0, {0.5, 0.5}>>
  return
}

// CHECK-LABEL: func.func @constants
// CHECK: qa.constant dense<{{\[\[}}1, -2], [3, 127]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>
// Signless storage prints as signed: u4 15 is -1, u8 200 is -56.
// CHECK: qa.constant dense<[0, 7, -1]> : tensor<3xi4> : tensor<3x!quant.uniform<u4:f32, 1.000000e-01:8>>
// CHECK: qa.constant dense<[true, false]> : tensor<2xi1> : tensor<2x!qa.binary<f32, 5.000000e-01>>
// CHECK: qa.constant dense<[-56, 0]> : tensor<2xi8> : tensor<2x!quant.uniform<u8:f32, 2.500000e-01:128>>
func.func @constants() {
  %0 = qa.constant dense<[[1, -2], [3, 127]]> : tensor<2x2xi8>
      : tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.2}>>
  %1 = qa.constant dense<[0, 7, 15]> : tensor<3xi4> : tensor<3x!quant.uniform<u4:f32, 0.1:8>>
  %2 = qa.constant dense<[true, false]> : tensor<2xi1> : tensor<2x!qa.binary<f32, 0.5>>
  %3 = qa.constant dense<[200, 0]> : tensor<2xi8> : tensor<2x!act_u8>
  return
}

// CHECK-LABEL: func.func @fully_connected
// CHECK: qa.fully_connected %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>, tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,1.000000e-01}>>) -> tensor<3x2x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.fully_connected %{{.*}}, %{{.*}} {rounding = #qa.rounding<half_even>} : (tensor<3x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x4x!quant.uniform<i4:f32, 1.000000e-01>>) -> tensor<3x2x!quant.uniform<i8<-3:127>:f32, 2.000000e+00:-3>>
// CHECK: qa.fully_connected %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x4x!qa.binary<f32:0, {1.000000e+00, 2.000000e+00}>>, tensor<2x!quant.uniform<i32:f32:0, {5.000000e-01,1.000000e+00}>>)
// CHECK: qa.fully_connected %{{.*}}, %{{.*}} : (tensor<3x4x!qa.binary<f32, 2.500000e-01>>, tensor<2x4x!qa.binary<f32, 5.000000e-01>>) -> tensor<3x2x!quant.uniform<i32:f32, 1.250000e-01>>
// CHECK: qa.fully_connected %{{.*}}, %{{.*}} : (tensor<3x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x4x!quant.uniform<i4:f32:{0:1, 1:2}, {{.*}}>>) -> tensor<3x2x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.fully_connected %{{.*}}, %{{.*}} : (tensor<2x3x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x4x!quant.uniform<i4:f32, 1.000000e-01>>) -> tensor<2x3x2x!quant.uniform<i8:f32, 2.000000e+00:1>>
func.func @fully_connected(%x: tensor<3x4x!act>, %bx: tensor<3x4x!qa.binary<f32, 0.25>>,
                           %x3: tensor<2x3x4x!act>) {
  %w = qa.constant dense<1> : tensor<2x4xi8> : tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.2}>>
  %b = qa.constant dense<0> : tensor<2xi32> : tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.1}>>
  %0 = qa.fully_connected %x, %w, %b
      : (tensor<3x4x!act>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.2}>>,
         tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.1}>>) -> tensor<3x2x!out>
  // 4-bit weights, fused ReLU through the narrowed result storage range.
  %w4 = qa.constant dense<-8> : tensor<2x4xi4> : tensor<2x4x!quant.uniform<i4:f32, 0.1>>
  %1 = qa.fully_connected %x, %w4 {rounding = #qa.rounding<half_even>}
      : (tensor<3x4x!act>, tensor<2x4x!quant.uniform<i4:f32, 0.1>>)
      -> tensor<3x2x!quant.uniform<i8<-3:127>:f32, 2.0:-3>>
  // Binary weights with 8-bit activations: bias scale = 0.5 * alpha.
  %wb = qa.constant dense<true> : tensor<2x4xi1> : tensor<2x4x!qa.binary<f32:0, {1.0, 2.0}>>
  %bb = qa.constant dense<0> : tensor<2xi32> : tensor<2x!quant.uniform<i32:f32:0, {0.5, 1.0}>>
  %2 = qa.fully_connected %x, %wb, %bb
      : (tensor<3x4x!act>, tensor<2x4x!qa.binary<f32:0, {1.0, 2.0}>>,
         tensor<2x!quant.uniform<i32:f32:0, {0.5, 1.0}>>) -> tensor<3x2x!out>
  // Binary x binary (XNOR-popcount) into a raw i32 accumulator.
  %wbt = qa.constant dense<false> : tensor<2x4xi1> : tensor<2x4x!qa.binary<f32, 0.5>>
  %3 = qa.fully_connected %bx, %wbt
      : (tensor<3x4x!qa.binary<f32, 0.25>>, tensor<2x4x!qa.binary<f32, 0.5>>)
      -> tensor<3x2x!quant.uniform<i32:f32, 0.125>>
  // Per-group weights: groups of 2 along K.
  %wg = qa.constant dense<1> : tensor<2x4xi4>
      : tensor<2x4x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>>
  %4 = qa.fully_connected %x, %wg
      : (tensor<3x4x!act>, tensor<2x4x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>>)
      -> tensor<3x2x!out>
  // Rank-3 input: leading dimensions carried over.
  %5 = qa.fully_connected %x3, %w4
      : (tensor<2x3x4x!act>, tensor<2x4x!quant.uniform<i4:f32, 0.1>>) -> tensor<2x3x2x!out>
  return
}

// CHECK-LABEL: func.func @matmul
// CHECK: qa.matmul %{{.*}}, %{{.*}} : (tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<8x16x!quant.uniform<u8:f32, 2.500000e-01:128>>) -> tensor<4x16x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.matmul %{{.*}}, %{{.*}} : (tensor<2x4x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x8x?x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x4x?x!quant.uniform<i16:f32, 2.000000e+00>>
func.func @matmul(%a: tensor<4x8x!act>, %b: tensor<8x16x!act_u8>,
                  %c: tensor<2x4x8x!act>, %d: tensor<2x8x?x!act>) {
  %0 = qa.matmul %a, %b : (tensor<4x8x!act>, tensor<8x16x!act_u8>) -> tensor<4x16x!out>
  %1 = qa.matmul %c, %d : (tensor<2x4x8x!act>, tensor<2x8x?x!act>)
      -> tensor<2x4x?x!quant.uniform<i16:f32, 2.0>>
  return
}

// CHECK-LABEL: func.func @convolutions
// CHECK: qa.conv2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK-SAME: -> tensor<1x4x4x16x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>} : {{.*}} -> tensor<1x4x4x16x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.depthwise_conv2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1x3x3x6x!quant.uniform<i8<-127:127>:f32:3, {{.*}}>>, tensor<6x!quant.uniform<i32:f32:0, {{.*}}>>) -> tensor<1x8x8x6x!quant.uniform<i8:f32, 2.000000e+00:1>>
func.func @convolutions(%x: tensor<1x8x8x3x!act>) {
  %f = qa.constant dense<1> : tensor<16x3x3x3xi8> : tensor<16x3x3x3x!quant.uniform<i8<-127:127>:f32, 0.1>>
  %b = qa.constant dense<0> : tensor<16xi32> : tensor<16x!quant.uniform<i32:f32, 0.05>>
  %0 = qa.conv2d %x, %f, %b {strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>}
      : (tensor<1x8x8x3x!act>, tensor<16x3x3x3x!quant.uniform<i8<-127:127>:f32, 0.1>>,
         tensor<16x!quant.uniform<i32:f32, 0.05>>) -> tensor<1x4x4x16x!out>
  // Dilation 2 makes the 3x3 kernel span 5: 8 - 5 + 1 = 4.
  %1 = qa.conv2d %x, %f {dilations = array<i64: 2, 2>}
      : (tensor<1x8x8x3x!act>, tensor<16x3x3x3x!quant.uniform<i8<-127:127>:f32, 0.1>>)
      -> tensor<1x4x4x16x!out>
  // Depth multiplier 2, same padding.
  %df = qa.constant dense<1> : tensor<1x3x3x6xi8>
      : tensor<1x3x3x6x!quant.uniform<i8<-127:127>:f32:3, {0.1, 0.1, 0.2, 0.2, 0.4, 0.4}>>
  %db = qa.constant dense<0> : tensor<6xi32>
      : tensor<6x!quant.uniform<i32:f32:0, {0.05, 0.05, 0.1, 0.1, 0.2, 0.2}>>
  %2 = qa.depthwise_conv2d %x, %df, %db {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x8x8x3x!act>,
         tensor<1x3x3x6x!quant.uniform<i8<-127:127>:f32:3, {0.1, 0.1, 0.2, 0.2, 0.4, 0.4}>>,
         tensor<6x!quant.uniform<i32:f32:0, {0.05, 0.05, 0.1, 0.1, 0.2, 0.2}>>)
      -> tensor<1x8x8x6x!out>
  return
}

// CHECK-LABEL: func.func @elementwise
// CHECK: qa.add %{{.*}}, %{{.*}} : (tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<8x!quant.uniform<u8:f32, 2.500000e-01:128>>) -> tensor<4x8x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.mul %{{.*}}, %{{.*}} {rounding = #qa.rounding<tflite_single>} : (tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<4x1x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x8x!quant.uniform<i16:f32, 2.000000e+00>>
// CHECK: qa.clamp %{{.*}} {max = 127 : i64, min = -3 : i64} : tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: qa.table %{{.*}} {table = dense<{{.*}}> : tensor<256xi8>} : tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<4x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CHECK: qa.table %{{.*}} {table = dense<{{.*}}> : tensor<16xi8>} : tensor<4x8x!quant.uniform<u4:f32, 5.000000e-01:8>> -> tensor<4x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
func.func @elementwise(%x: tensor<4x8x!act>, %y: tensor<8x!act_u8>, %z: tensor<4x1x!act>,
                       %n: tensor<4x8x!quant.uniform<u4:f32, 0.5:8>>) {
  %0 = qa.add %x, %y : (tensor<4x8x!act>, tensor<8x!act_u8>) -> tensor<4x8x!out>
  %1 = qa.mul %x, %z {rounding = #qa.rounding<tflite_single>}
      : (tensor<4x8x!act>, tensor<4x1x!act>) -> tensor<4x8x!quant.uniform<i16:f32, 2.0>>
  %2 = qa.clamp %x {min = -3 : i64, max = 127 : i64} : tensor<4x8x!act>
  %3 = qa.table %x {table = dense<0> : tensor<256xi8>}
      : tensor<4x8x!act> -> tensor<4x8x!quant.uniform<i8:f32, 0.00390625:-128>>
  %4 = qa.table %n {table = dense<[-128, -100, -80, -60, -40, -20, 0, 20, 40, 60, 80, 100, 110, 120, 125, 127]> : tensor<16xi8>}
      : tensor<4x8x!quant.uniform<u4:f32, 0.5:8>> -> tensor<4x8x!quant.uniform<i8:f32, 0.00390625:-128>>
  return
}

// CHECK-LABEL: func.func @pooling_and_concat
// CHECK: qa.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4x!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<1x4x4x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: qa.avg_pool2d %{{.*}} {count_include_pad, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x4x!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<1x8x8x4x!quant.uniform<i8:f32, 2.000000e+00:1>>
// CHECK: qa.avg_pool2d %{{.*}} {kernel = array<i64: 8, 8>} : {{.*}} -> tensor<1x1x1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: qa.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1x2x!quant.uniform<u8:f32, 2.500000e-01:128>>) -> tensor<1x6x!quant.uniform<i8:f32, 2.000000e+00:1>>
func.func @pooling_and_concat(%x: tensor<1x8x8x4x!act>, %a: tensor<1x4x!act>, %b: tensor<1x2x!act_u8>) {
  %0 = qa.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : tensor<1x8x8x4x!act> -> tensor<1x4x4x4x!act>
  %1 = qa.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad}
      : tensor<1x8x8x4x!act> -> tensor<1x8x8x4x!out>
  %2 = qa.avg_pool2d %x {kernel = array<i64: 8, 8>} : tensor<1x8x8x4x!act> -> tensor<1x1x1x4x!act>
  %3 = qa.concat %a, %b {axis = 1 : i64} : (tensor<1x4x!act>, tensor<1x2x!act_u8>) -> tensor<1x6x!out>
  return
}
