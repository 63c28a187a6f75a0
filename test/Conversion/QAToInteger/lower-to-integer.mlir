// RUN: quant-opt %s --qa-lower-to-integer -split-input-file -verify-diagnostics | FileCheck %s

// Bit-exactness is tested by executing (test/Integration); this checks the
// shape of the lowering and every refusal (each reason, then the conversion
// driver's own legalization failure).

// Symmetric weights: one i32 contraction of stored values, then one
// elementwise op that adds the folded constants and requantizes; no
// activation-sum term. Constants: c[n] = bias[n] - zp_in * sum_k w[n, k]
// = [10 - 3 * (1 + 2), -20 - 3 * (-1 + 0)] = [1, -17].
// CHECK-LABEL: func.func @symmetric(
// CHECK-SAME: %[[X:.*]]: tensor<1x2xi8>) -> tensor<1x2xi8>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}1, 2], [-1, 0]]> : tensor<2x2xi8>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%[[X]], %[[W]] : tensor<1x2xi8>, tensor<2x2xi8>)
// CHECK: arith.extsi
// CHECK: arith.muli
// CHECK-DAG: %[[C:.*]] = arith.constant dense<[1, -17]> : tensor<2xi32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]{{.*}} ins(%[[ACC]], %[[C]],
// CHECK: arith.shrsi
// CHECK: arith.trunci {{.*}} : i64 to i8
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @symmetric(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0:-2>> {
  %w = qa.constant dense<[[1, 2], [-1, 0]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.25>>
  %b = qa.constant dense<[10, -20]> : tensor<2xi32> : tensor<2x!quant.uniform<i32:f32, 0.125>>
  %y = qa.fully_connected %x, %w, %b : (tensor<1x2x!quant.uniform<i8:f32, 0.5:3>>, tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.25>>, tensor<2x!quant.uniform<i32:f32, 0.125>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0:-2>>
  return %y : tensor<1x2x!quant.uniform<i8:f32, 1.0:-2>>
}

// -----

// Asymmetric (unsigned) weights add the activation-sum term, zero-extended.
// CHECK-LABEL: func.func @asymmetric
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// CHECK: arith.extui
// CHECK: linalg.generic {{.*}}["parallel", "reduction"]
// CHECK: linalg.generic {{.*}}["parallel", "parallel"]
// CHECK: arith.muli
// CHECK: arith.subi
func.func @asymmetric(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x2x!quant.uniform<u8:f32, 1.0:128>> {
  %w = qa.constant dense<[[1, 2], [-1, 0]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<u8:f32, 0.25:100>>
  %y = qa.fully_connected %x, %w {rounding = #qa.rounding<half_even>} : (tensor<1x2x!quant.uniform<i8:f32, 0.5:3>>, tensor<2x2x!quant.uniform<u8:f32, 0.25:100>>) -> tensor<1x2x!quant.uniform<u8:f32, 1.0:128>>
  return %y : tensor<1x2x!quant.uniform<u8:f32, 1.0:128>>
}

// -----

// The float islands at the boundary, and clamp on unsigned storage.
// CHECK-LABEL: func.func @islands
// CHECK: math.round
// CHECK: arith.fptosi
// CHECK: arith.maxui
// CHECK: arith.minui
// CHECK: arith.sitofp
// CHECK: arith.mulf
func.func @islands(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qa.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:10>>
  %c = qa.clamp %q {min = 10 : i64, max = 200 : i64} : tensor<4x!quant.uniform<u8:f32, 0.1:10>>
  %d = qa.dequantize %c : tensor<4x!quant.uniform<u8:f32, 0.1:10>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// 4-bit weights stay packed, two per byte, lowest field first:
// [[1, -2, 3], [-7, 7, 0]] -> bytes [[0xE1, 0x03], [0x79, 0x00]] (0xE1 is
// -31 as i8). K = 3 is odd: the input is padded with one zero column and
// viewed as [M, bytes, 2]; each field is shifted to the top of its byte and
// arithmetically back down.
// CHECK-LABEL: func.func @packed_4bit_weights(
// CHECK-SAME: %[[X:.*]]: tensor<1x3xi8>)
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}-31, 3], [121, 0]]> : tensor<2x2xi8>
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0] high[0, 1]
// CHECK: %[[VIEW:.*]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2]] output_shape [1, 2, 2]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction"]{{.*}} ins(%[[VIEW]], %[[W]] : tensor<1x2x2xi8>, tensor<2x2xi8>)
// CHECK: linalg.index 3
// CHECK: arith.shli
// CHECK: arith.shrsi {{.*}} : i8
// CHECK-NOT: xi4>
// CHECK: return
func.func @packed_4bit_weights(%x: tensor<1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<[[1, -2, 3], [-7, 7, 0]]> : tensor<2x3xi4> : tensor<2x3x!quant.uniform<i4<-7:7>:f32, 0.25>>
  %y = qa.fully_connected %x, %w : (tensor<1x3x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x!quant.uniform<i4<-7:7>:f32, 0.25>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

// Unsigned 2-bit weights, four per byte: [0, 1, 2, 3] -> 0b11100100 = 0xE4
// (-28 as i8); fields come down with a logical shift.
// CHECK-LABEL: func.func @packed_2bit_weights
// CHECK: arith.constant dense<-28> : tensor<1x1xi8>
// CHECK-NOT: tensor.pad
// CHECK: arith.shrui {{.*}} : i8
func.func @packed_2bit_weights(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<[[0, 1, 2, 3]]> : tensor<1x4xi2> : tensor<1x4x!quant.uniform<u2:f32, 0.25:1>>
  %y = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<1x4x!quant.uniform<u2:f32, 0.25:1>>) -> tensor<1x1x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x1x!quant.uniform<i8:f32, 1.0>>
}

// -----

// 4-bit activations are held one per byte: the signature takes i8, the
// quantize island saturates to [-8, 7] and truncates to i8, the 4-bit
// result comes back in i8 too.
// CHECK-LABEL: func.func @sub_byte_activations(
// CHECK-SAME: %{{.*}}: tensor<1x2xf32>) -> tensor<1x2xi8>
// CHECK-DAG: arith.constant 7.000000e+00 : f32
// CHECK-DAG: arith.constant -8.000000e+00 : f32
// CHECK: arith.trunci {{.*}} : i32 to i8
// CHECK: arith.trunci {{.*}} : i64 to i8
func.func @sub_byte_activations(%x: tensor<1x2xf32>) -> tensor<1x2x!quant.uniform<i4:f32, 1.0>> {
  %q = qa.quantize %x : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<i4:f32, 0.5>>
  %w = qa.constant dense<1> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8:f32, 0.25>>
  %y = qa.fully_connected %q, %w : (tensor<1x2x!quant.uniform<i4:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x!quant.uniform<i4:f32, 1.0>>
  return %y : tensor<1x2x!quant.uniform<i4:f32, 1.0>>
}

// -----

func.func @runtime_weights(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  // expected-error @+2 {{qa-lower-to-integer folds the zero-point terms of the weights at compile time, so it must be a dense qa.constant}}
  // expected-error @+1 {{failed to legalize operation 'qa.fully_connected'}}
  %y = qa.fully_connected %x, %w : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

// 4 * 32768 * 32767 > 2^31 - 1: the layer accumulates in i64 and
// requantizes as TFLite's int64 MultiplyByQuantizedMultiplier (ratio 0.5:
// Q31 multiplier 2^30 reduced to 2^14, rounding shift 15 - 0 = 15).
// CHECK-LABEL: func.func @accumulator_overflow
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// CHECK: arith.extsi {{.*}} : i16 to i64
// CHECK: arith.muli {{.*}} : i64
// CHECK-DAG: arith.constant dense<16384> : tensor<1xi32>
// CHECK-DAG: arith.constant dense<15> : tensor<1xi32>
// CHECK: arith.shrsi {{.*}} : i64
func.func @accumulator_overflow(%x: tensor<1x4x!quant.uniform<i16:f32, 0.5>>) -> tensor<1x1x!quant.uniform<i16:f32, 0.25>> {
  %w = qa.constant dense<32767> : tensor<1x4xi16> : tensor<1x4x!quant.uniform<i16:f32, 0.25>>
  %y = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i16:f32, 0.5>>, tensor<1x4x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 0.25>>
  return %y : tensor<1x1x!quant.uniform<i16:f32, 0.25>>
}

// -----

// i64 accumulation has no half_even form.
func.func @wide_half_even(%x: tensor<1x4x!quant.uniform<i16:f32, 0.5>>) -> tensor<1x1x!quant.uniform<i16:f32, 0.25>> {
  %w = qa.constant dense<32767> : tensor<1x4xi16> : tensor<1x4x!quant.uniform<i16:f32, 0.25>>
  // expected-error @+2 {{half_even rounding of an accumulator beyond i32 is not supported: use a TFLite rounding mode}}
  // expected-error @+1 {{failed to legalize operation 'qa.fully_connected'}}
  %y = qa.fully_connected %x, %w {rounding = #qa.rounding<half_even>} : (tensor<1x4x!quant.uniform<i16:f32, 0.5>>, tensor<1x4x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 0.25>>
  return %y : tensor<1x1x!quant.uniform<i16:f32, 0.25>>
}

// -----

// 200000 * 32768 * 32767 is beyond TFLite's 48-bit int64 range.
func.func @accumulator_beyond_48_bits(%x: tensor<1x200000x!quant.uniform<i16:f32, 0.5>>) -> tensor<1x1x!quant.uniform<i16:f32, 1.0>> {
  %w = qa.constant dense<32767> : tensor<1x200000xi16> : tensor<1x200000x!quant.uniform<i16:f32, 0.25>>
  // expected-error @+2 {{the accumulator of output channel 0 may reach [-214741811200000, 214735257800000], beyond TFLite's 48-bit range of i64 accumulation}}
  // expected-error @+1 {{failed to legalize operation 'qa.fully_connected'}}
  %y = qa.fully_connected %x, %w : (tensor<1x200000x!quant.uniform<i16:f32, 0.5>>, tensor<1x200000x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 1.0>>
  return %y : tensor<1x1x!quant.uniform<i16:f32, 1.0>>
}

// -----

// Binary weights with an 8-bit input: 8 weight bits per byte, lowest first
// ([1, 0, 1, 1, 0, 0, 0, 1] -> 0b10001101 = -115 as i8; the ninth, 1, alone
// in the next byte); each bit selects +x or -x, no multiply. The folded
// constant is -zp_in * sum_k (2w - 1) = -3 * (5 - 4) = -3 for channel 0 and
// -3 * (-9) = 27 for channel 1 (all bits 0).
// CHECK-LABEL: func.func @binary_weights
// CHECK: arith.constant dense<{{\[\[}}-115, 1], [0, 0]]> : tensor<2x2xi8>
// CHECK: tensor.pad {{.*}}high[0, 7]
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.shrui
// CHECK: arith.trunci {{.*}} : i8 to i1
// CHECK: arith.select
// CHECK-NOT: arith.muli
// CHECK: arith.constant dense<[-3, 27]> : tensor<2xi32>
func.func @binary_weights(%x: tensor<1x9x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<[[true, false, true, true, false, false, false, true, true], [false, false, false, false, false, false, false, false, false]]> : tensor<2x9xi1> : tensor<2x9x!qa.binary<f32:0, {0.5, 0.25}>>
  %y = qa.fully_connected %x, %w : (tensor<1x9x!quant.uniform<i8:f32, 0.5:3>>, tensor<2x9x!qa.binary<f32:0, {0.5, 0.25}>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

// Binary input and weights: the input's sign bits (x >= 0) are packed 8 per
// byte at run time, each byte pair adds 2 popcount(xnor(x, w)); the sum
// starts at K - 2 * 8 * ceil(K / 8) = 9 - 32 = -23, which cancels the +1
// that each of the 7 padding bit pairs (0 xnor 0) adds.
// CHECK-LABEL: func.func @xnor_popcount
// CHECK: arith.cmpf oge
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// CHECK: arith.shli {{.*}} : i8
// CHECK: arith.ori
// CHECK: arith.constant -23 : i32
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "reduction"]
// CHECK: arith.xori
// CHECK: arith.xori
// CHECK: math.ctpop {{.*}} : i8
func.func @xnor_popcount(%x: tensor<1x9xf32>) -> tensor<1x1x!quant.uniform<i8:f32, 1.0>> {
  %q = qa.quantize %x : tensor<1x9xf32> -> tensor<1x9x!qa.binary<f32, 0.5>>
  %w = qa.constant dense<true> : tensor<1x9xi1> : tensor<1x9x!qa.binary<f32, 0.25>>
  %y = qa.fully_connected %q, %w : (tensor<1x9x!qa.binary<f32, 0.5>>, tensor<1x9x!qa.binary<f32, 0.25>>) -> tensor<1x1x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x1x!quant.uniform<i8:f32, 1.0>>
}

// -----

// A binary convolution contracts its patches by XNOR + popcount.
// CHECK-LABEL: func.func @binary_conv_input
// CHECK: math.ctpop {{.*}} : i8
func.func @binary_conv_input(%x: tensor<1x2x2x1x!qa.binary<f32, 0.5>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<true> : tensor<1x2x2x1xi1> : tensor<1x2x2x1x!qa.binary<f32, 0.25>>
  %y = qa.conv2d %x, %w : (tensor<1x2x2x1x!qa.binary<f32, 0.5>>, tensor<1x2x2x1x!qa.binary<f32, 0.25>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>>
}

// -----

// Binary activations have no zero to pad a convolution with.
func.func @binary_conv_padded(%x: tensor<1x2x2x1x!qa.binary<f32, 0.5>>) -> tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<true> : tensor<1x2x2x1xi1> : tensor<1x2x2x1x!qa.binary<f32, 0.25>>
  // expected-error @+2 {{qa-lower-to-integer cannot pad a binary input: zero has no binary value}}
  // expected-error @+1 {{failed to legalize operation 'qa.conv2d'}}
  %y = qa.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x2x1x!qa.binary<f32, 0.5>>, tensor<1x2x2x1x!qa.binary<f32, 0.25>>) -> tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x3x3x1x!quant.uniform<i8:f32, 1.0>>
}

// -----

// A per-axis requantize: one multiplier, shift and pair of zero points per
// channel, read along the channel axis (d1 of [3, 2]): ratios 0.5 and 0.25
// are both 2^30 with shifts 0 and -1; input zero points [0, 2].
// CHECK: #[[CHANNEL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_axis_requantize
// CHECK-DAG: %[[ZP:.*]] = arith.constant dense<[0, 2]> : tensor<2xi32>
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant dense<[0, -1]> : tensor<2xi32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CHANNEL]], #[[CHANNEL]], #[[CHANNEL]], #[[CHANNEL]], #[[CHANNEL]], #{{.*}}]{{.*}} ins(%arg0, %[[ZP]],
func.func @per_axis_requantize(%a: tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25:2}>>) -> tensor<3x2x!quant.uniform<i8:f32:1, {1.0, 1.0}>> {
  %y = qa.requantize %a : tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25:2}>> -> tensor<3x2x!quant.uniform<i8:f32:1, {1.0, 1.0}>>
  return %y : tensor<3x2x!quant.uniform<i8:f32:1, {1.0, 1.0}>>
}

// -----

func.func @left_shift_overflow(%x: tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<i8:f32, 2.9802322387695312E-8>> {
  // 1 / 2^-25 = 2^25: tflite_double shifts left by 26 bits first.
  // expected-error @+2 {{tflite_double rescales its input by shifting its accumulator, in [-128, 127], left by 26 bits, which can overflow i32; use a larger result scale or rounding tflite_single}}
  // expected-error @+1 {{failed to legalize operation 'qa.requantize'}}
  %y = qa.requantize %x : tensor<4x!quant.uniform<i8:f32, 1.0>> -> tensor<4x!quant.uniform<i8:f32, 2.9802322387695312E-8>>
  return %y : tensor<4x!quant.uniform<i8:f32, 2.9802322387695312E-8>>
}

// -----

func.func @rank_one_input(%x: tensor<2x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<1> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8:f32, 0.25>>
  // expected-error @+2 {{qa-lower-to-integer lowers qa.fully_connected of static shapes with an input of rank 2 or more}}
  // expected-error @+1 {{failed to legalize operation 'qa.fully_connected'}}
  %y = qa.fully_connected %x, %w : (tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<2x!quant.uniform<i8:f32, 1.0>>
}

// -----

// f16 float islands: the value is widened to f32 and narrowed back.
// CHECK-LABEL: func.func @half_islands
// CHECK: arith.extf {{.*}} : f16 to f32
// CHECK: arith.truncf {{.*}} : f32 to f16
func.func @half_islands(%x: tensor<4xf16>) -> tensor<4xf16> {
  %q = qa.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 0.1>>
  %d = qa.dequantize %q : tensor<4x!quant.uniform<i8:f16, 0.1>> -> tensor<4xf16>
  return %d : tensor<4xf16>
}

// -----

// Max pooling compares stored values, signed or unsigned by storage; the
// padding and the initial value are the storage minimum (-128; 0 for u8).
// CHECK-LABEL: func.func @max_pools
// CHECK: tensor.pad {{.*}}low[0, 1, 0, 0] high[0, 0, 0, 0]
// CHECK: arith.constant -128 : i8
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: linalg.pooling_nhwc_max_unsigned
func.func @max_pools(%x: tensor<1x3x4x1x!quant.uniform<i8:f32, 0.5:3>>, %u: tensor<1x4x4x1x!quant.uniform<u8:f32, 0.5:3>>) -> (tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>>, tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5:3>>) {
  %y = qa.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 0, 0>} : tensor<1x3x4x1x!quant.uniform<i8:f32, 0.5:3>> -> tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>>
  %v = qa.max_pool2d %u {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x1x!quant.uniform<u8:f32, 0.5:3>> -> tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5:3>>
  return %y, %v : tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>>, tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5:3>>
}

// -----

// Average pooling: the i32 window sum, then one division per element by the
// count of its window, a compile-time table. A 2x2 window over a 3x3 input
// with stride 2 and padding 1 at the bottom and right: counts 4, 2, 2, 1.
// CHECK-LABEL: func.func @avg_pool
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: %[[COUNTS:.*]] = arith.constant dense<[4, 2, 2, 1]> : tensor<4xi32>
// CHECK: tensor.expand_shape %[[COUNTS]] {{\[\[}}0, 1]] output_shape [2, 2]
// CHECK: linalg.generic
// CHECK: arith.divsi
// CHECK: arith.select
// CHECK: arith.divsi
func.func @avg_pool(%x: tensor<1x3x3x1x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>> {
  %y = qa.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>} : tensor<1x3x3x1x!quant.uniform<i8:f32, 0.5:3>> -> tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>>
  return %y : tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>>
}

// -----

func.func @avg_pool_rescaling(%x: tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25:3>> {
  // expected-error @+2 {{qa-lower-to-integer lowers qa.avg_pool2d with the same input and result types only; requantize before or after it}}
  // expected-error @+1 {{failed to legalize operation 'qa.avg_pool2d'}}
  %y = qa.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:3>> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25:3>>
  return %y : tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25:3>>
}

// -----

// Reshapes of quantized tensors reshape the storage.
// CHECK-LABEL: func.func @reshapes(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x2xi8>) -> tensor<1x4xi8>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : tensor<1x2x2xi8> into tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[C]] {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xi8> into tensor<1x4xi8>
// CHECK: return %[[E]]
func.func @reshapes(%x: tensor<1x2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x4x!quant.uniform<i8:f32, 0.5>> {
  %c = tensor.collapse_shape %x [[0, 1, 2]] : tensor<1x2x2x!quant.uniform<i8:f32, 0.5>> into tensor<4x!quant.uniform<i8:f32, 0.5>>
  %e = tensor.expand_shape %c [[0, 1]] output_shape [1, 4] : tensor<4x!quant.uniform<i8:f32, 0.5>> into tensor<1x4x!quant.uniform<i8:f32, 0.5>>
  return %e : tensor<1x4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A table lookup: the stored input, widened, minus the storage type's
// minimum (-128) indexes the table constant.
// CHECK-LABEL: func.func @table
// CHECK: %[[TABLE:.*]] = arith.constant dense<{{.*}}> : tensor<256xi8>
// CHECK: linalg.generic
// CHECK: %[[WIDE:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK: %[[INDEX:.*]] = arith.subi %[[WIDE]], %{{.*}} : i32
// CHECK: %[[I:.*]] = arith.index_cast %[[INDEX]] : i32 to index
// CHECK: tensor.extract %[[TABLE]][%[[I]]] : tensor<256xi8>
func.func @table(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 1.0>> {
  %y = qa.table %x {table = dense<7> : tensor<256xi8>} : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<4x!quant.uniform<i8:f32, 1.0>>
}

// -----

// A depthwise convolution accumulates over [N, OH, OW, C, M] with the
// filter as [KH, KW, C, M] integer values (4-bit ones widened to i8), then
// requantizes per output channel.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG: arith.constant dense<{{\[\[\[\[}}1, -2]]], {{\[\[\[}}3, -7]]]]> : tensor<2x1x1x2xi8>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: tensor.collapse_shape {{.*}} {{\[\[}}0, 1, 2], [3, 4]] : tensor<1x2x2x1x2xi32> into tensor<4x2xi32>
func.func @depthwise(%x: tensor<1x3x2x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<[[[[1, -2]], [[3, -7]]]]> : tensor<1x2x1x2xi4> : tensor<1x2x1x2x!quant.uniform<i4<-7:7>:f32, 0.25>>
  %y = qa.depthwise_conv2d %x, %w : (tensor<1x3x2x1x!quant.uniform<i8:f32, 0.5>>, tensor<1x2x1x2x!quant.uniform<i4<-7:7>:f32, 0.25>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x2x2x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

// Asymmetric filters add the window sums of the input, times -zp_w: a
// second window reduction over [N, OH, OW, C, M] without the filter (an
// empty [KH, KW] tensor gives the window's extent).
// CHECK-LABEL: func.func @depthwise_asymmetric
// CHECK: tensor.empty() : tensor<2x2xi8>
// CHECK: linalg.generic {{.*}}["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.extui
// CHECK: linalg.generic {{.*}}["parallel", "parallel"]
// CHECK: arith.subi
func.func @depthwise_asymmetric(%x: tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>> {
  %w = qa.constant dense<1> : tensor<1x2x2x1xi8> : tensor<1x2x2x1x!quant.uniform<u8:f32, 0.25:3>>
  %y = qa.depthwise_conv2d %x, %w : (tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5>>, tensor<1x2x2x1x!quant.uniform<u8:f32, 0.25:3>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x1x1x1x!quant.uniform<i8:f32, 1.0>>
}

// -----

// An add as TFLite computes it: each centered input shifted left by 20,
// rescaled by s_i / (2 max(s_1, s_2)) = 0.25 and 0.5 (Q31 multiplier 2^30,
// shifts -1 and 0), summed, rescaled by 2 max / (2^20 s_out); the row
// operand broadcasts along dimension 0 (its map reads only d1).
// CHECK-LABEL: func.func @add
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[ROW:.*]], #{{.*}}]
// CHECK: arith.constant 20 : i32
// CHECK: arith.shli
// CHECK: arith.constant 1073741824 : i32
// CHECK: arith.addi {{.*}} : i32
func.func @add(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:1>>, %b: tensor<3x!quant.uniform<i8:f32, 1.0:-2>>) -> tensor<2x3x!quant.uniform<i8:f32, 2.0>> {
  %y = qa.add %a, %b : (tensor<2x3x!quant.uniform<i8:f32, 0.5:1>>, tensor<3x!quant.uniform<i8:f32, 1.0:-2>>) -> tensor<2x3x!quant.uniform<i8:f32, 2.0>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 2.0>>
}

// -----

// 16-bit inputs into an 8-bit result: TFLite's shift for 8-bit results is
// 20 bits, and 65535 << 20 does not fit i32.
func.func @add_shift_overflow(%a: tensor<3x!quant.uniform<u16:f32, 0.5>>) -> tensor<3x!quant.uniform<i8:f32, 1.0>> {
  // expected-error @+2 {{qa-lower-to-integer cannot shift the centered inputs of this qa.add left by 20 bits within i32}}
  // expected-error @+1 {{failed to legalize operation 'qa.add'}}
  %y = qa.add %a, %a : (tensor<3x!quant.uniform<u16:f32, 0.5>>, tensor<3x!quant.uniform<u16:f32, 0.5>>) -> tensor<3x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<3x!quant.uniform<i8:f32, 1.0>>
}

// -----

func.func @mul_overflow(%a: tensor<3x!quant.uniform<u16:f32, 0.5>>) -> tensor<3x!quant.uniform<i16:f32, 1.0>> {
  // expected-error @+2 {{the product of the centered inputs of this qa.mul can leave i32}}
  // expected-error @+1 {{failed to legalize operation 'qa.mul'}}
  %y = qa.mul %a, %a : (tensor<3x!quant.uniform<u16:f32, 0.5>>, tensor<3x!quant.uniform<u16:f32, 0.5>>) -> tensor<3x!quant.uniform<i16:f32, 1.0>>
  return %y : tensor<3x!quant.uniform<i16:f32, 1.0>>
}

// -----

// Dynamic sizes of an elementwise island come from its input.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: %[[D:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x4xf32>
// CHECK: tensor.empty(%[[D]]) : tensor<?x4xi8>
// CHECK: arith.cmpf uno
func.func @dynamic_quantize(%x: tensor<?x4xf32>) -> tensor<?x4x!quant.uniform<i8:f32, 0.5>> {
  %q = qa.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<?x4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @dynamic_max_pool(%x: tensor<?x4x4x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<?x2x2x1x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+2 {{qa-lower-to-integer lowers qa.max_pool2d of static shapes only}}
  // expected-error @+1 {{failed to legalize operation 'qa.max_pool2d'}}
  %y = qa.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<?x4x4x1x!quant.uniform<i8:f32, 0.5>> -> tensor<?x2x2x1x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<?x2x2x1x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A 182 x 182 window of u16 values: 65535 * 33124 leaves i32.
func.func @avg_pool_overflow(%x: tensor<1x182x182x1x!quant.uniform<u16:f32, 0.5>>) -> tensor<1x1x1x1x!quant.uniform<u16:f32, 0.5>> {
  // expected-error @+2 {{the window sums of this qa.avg_pool2d (33124 elements) can leave i32}}
  // expected-error @+1 {{failed to legalize operation 'qa.avg_pool2d'}}
  %y = qa.avg_pool2d %x {kernel = array<i64: 182, 182>, strides = array<i64: 1, 1>} : tensor<1x182x182x1x!quant.uniform<u16:f32, 0.5>> -> tensor<1x1x1x1x!quant.uniform<u16:f32, 0.5>>
  return %y : tensor<1x1x1x1x!quant.uniform<u16:f32, 0.5>>
}

// -----

// A product of two activations: centered products summed in i32 over
// (batch, m, n, k), then one requantizing elementwise op.
// CHECK-LABEL: func.func @activation_matmul
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: arith.subi
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
func.func @activation_matmul(%a: tensor<2x3x4x!quant.uniform<i8:f32, 0.5:1>>, %b: tensor<2x4x5x!quant.uniform<u8:f32, 0.25:128>>) -> tensor<2x3x5x!quant.uniform<i8:f32, 2.0>> {
  %y = qa.matmul %a, %b : (tensor<2x3x4x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x4x5x!quant.uniform<u8:f32, 0.25:128>>) -> tensor<2x3x5x!quant.uniform<i8:f32, 2.0>>
  return %y : tensor<2x3x5x!quant.uniform<i8:f32, 2.0>>
}

// -----

// 16 x 16 bits over K = 70000 may reach 70000 * 2^30 (about 2^46): an i64
// accumulator, requantized as TFLite's int64 rescale (16-bit multiplier,
// one rounding right shift).
// CHECK-LABEL: func.func @activation_matmul_wide
// CHECK: arith.muli {{.*}} : i64
// CHECK: arith.shrsi {{.*}} : i64
func.func @activation_matmul_wide(%a: tensor<1x70000x!quant.uniform<i16:f32, 0.5>>, %b: tensor<70000x1x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 2.0>> {
  %y = qa.matmul %a, %b : (tensor<1x70000x!quant.uniform<i16:f32, 0.5>>, tensor<70000x1x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 2.0>>
  return %y : tensor<1x1x!quant.uniform<i16:f32, 2.0>>
}

// -----

// K = 300000 may reach 300000 * 2^30, beyond 2^47.
func.func @activation_matmul_overflow(%a: tensor<1x300000x!quant.uniform<i16:f32, 0.5>>, %b: tensor<300000x1x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 2.0>> {
  // expected-error @+2 {{the accumulator of this qa.matmul may reach [-322122547200000, 322122547200000], beyond TFLite's 48-bit range of i64 accumulation}}
  // expected-error @+1 {{failed to legalize operation 'qa.matmul'}}
  %y = qa.matmul %a, %b : (tensor<1x300000x!quant.uniform<i16:f32, 0.5>>, tensor<300000x1x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 2.0>>
  return %y : tensor<1x1x!quant.uniform<i16:f32, 2.0>>
}

// -----

// half_even has no int64 form.
func.func @activation_matmul_wide_half_even(%a: tensor<1x70000x!quant.uniform<i16:f32, 0.5>>, %b: tensor<70000x1x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 2.0>> {
  // expected-error @+2 {{half_even rounding of an accumulator beyond i32 is not supported: use a TFLite rounding mode}}
  // expected-error @+1 {{failed to legalize operation 'qa.matmul'}}
  %y = qa.matmul %a, %b {rounding = #qa.rounding<half_even>} : (tensor<1x70000x!quant.uniform<i16:f32, 0.5>>, tensor<70000x1x!quant.uniform<i16:f32, 0.25>>) -> tensor<1x1x!quant.uniform<i16:f32, 2.0>>
  return %y : tensor<1x1x!quant.uniform<i16:f32, 2.0>>
}

// -----

// Concatenation: an operand of the result's type is inserted as it is, the
// other requantized first.
// CHECK-LABEL: func.func @concat(
// CHECK-SAME: %[[A:.*]]: tensor<2x1xi8>, %[[B:.*]]: tensor<2x2xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xi8>
// CHECK: %[[S1:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, 1] [1, 1]
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<2x2xi8>)
// CHECK: tensor.insert_slice %[[R]] into %[[S1]][0, 1] [2, 2] [1, 1]
func.func @concat(%a: tensor<2x1x!quant.uniform<i8:f32, 0.5:1>>, %b: tensor<2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5:1>> {
  %y = qa.concat %a, %b {axis = 1 : i64} : (tensor<2x1x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5:1>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 0.5:1>>
}

// -----

// half_even adds rescale in float: 16-bit inputs into an 8-bit result need
// no shift and lower.
// CHECK-LABEL: func.func @add_half_even_16bit
// CHECK: arith.mulf
// CHECK: math.roundeven
func.func @add_half_even_16bit(%a: tensor<3x!quant.uniform<u16:f32, 0.5>>) -> tensor<3x!quant.uniform<i8:f32, 1000.0>> {
  %y = qa.add %a, %a {rounding = #qa.rounding<half_even>} : (tensor<3x!quant.uniform<u16:f32, 0.5>>, tensor<3x!quant.uniform<u16:f32, 0.5>>) -> tensor<3x!quant.uniform<i8:f32, 1000.0>>
  return %y : tensor<3x!quant.uniform<i8:f32, 1000.0>>
}

// -----

// Per-group weights (blocks of 2 along K): per-group i32 accumulators, an
// i64 fixed-point sum with one multiplier per channel and group (ratios
// 0.25 and 0.125 with a common shift S = 30 - (-1) = 31: 2^29 and 2^28),
// then one rounding shift per channel.
// CHECK-LABEL: func.func @per_group
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.constant dense<[536870912, 268435456]> : tensor<2xi64>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.constant dense<31> : tensor<1xi64>
func.func @per_group(%x: tensor<1x4x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i8:f32, 2.0>> {
  %w = qa.constant dense<[[1, 2, 3, 4]]> : tensor<1x4xi8> : tensor<1x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{0.5, 0.25}}>>
  %y = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 1.0>>, tensor<1x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{0.5, 0.25}}>>) -> tensor<1x1x!quant.uniform<i8:f32, 2.0>>
  return %y : tensor<1x1x!quant.uniform<i8:f32, 2.0>>
}

// -----

// 4-bit per-group weights stay packed when a group is whole bytes: [1, 4]
// bytes (0x21, 0x43) read as [N, G, g / 2] with the field extracted in the
// loop; the input is grouped as [M, G, g / 2, 2].
// CHECK-LABEL: func.func @per_group_packed
// CHECK: arith.constant dense<{{\[\[}}33, 67]]> : tensor<1x2xi8>
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x1x2xi8>
// CHECK: linalg.index 4
// CHECK: arith.shrsi {{.*}} : i8
func.func @per_group_packed(%x: tensor<1x4x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i8:f32, 2.0>> {
  %w = qa.constant dense<[[1, 2, 3, 4]]> : tensor<1x4xi4> : tensor<1x4x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.5, 0.25}}>>
  %y = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 1.0>>, tensor<1x4x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.5, 0.25}}>>) -> tensor<1x1x!quant.uniform<i8:f32, 2.0>>
  return %y : tensor<1x1x!quant.uniform<i8:f32, 2.0>>
}

// -----

// A transpose of quantized tensors transposes the storage.
// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x2xi8>
// CHECK: linalg.transpose ins(%[[X]] : tensor<2x3xi8>) outs(%[[E]] : tensor<3x2xi8>) permutation = [1, 0]
func.func @transpose(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.5>> {
  %e = tensor.empty() : tensor<3x2x!quant.uniform<i8:f32, 0.5>>
  %t = linalg.transpose ins(%x : tensor<2x3x!quant.uniform<i8:f32, 0.5>>) outs(%e : tensor<3x2x!quant.uniform<i8:f32, 0.5>>) permutation = [1, 0]
  return %t : tensor<3x2x!quant.uniform<i8:f32, 0.5>>
}
