// RUN: quant-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the qa dialect: its attributes, its type, the
// checks of quantized types against tensor shapes, the discardable
// attributes, and every op verifier.

//===----------------------------------------------------------------------===//
// #qa.range
//===----------------------------------------------------------------------===//

// expected-error @+1 {{range lower bound 2.000000e+00 exceeds upper bound 1.000000e+00}}
func.func @range_lo_above_hi(%x: f32 {qa.range = #qa.range<2.0, 1.0>})

// -----

// expected-error @+1 {{range bounds must be finite}}
func.func @range_infinite(%x: f32 {qa.range = #qa.range<0.0, 0x7FF0000000000000>})

// -----

// expected-error @+1 {{expected 'calibrated' or 'proven', got 'guessed'}}
func.func @range_bad_kind(%x: f32 {qa.range = #qa.range<0.0, 1.0, guessed>})

// -----

//===----------------------------------------------------------------------===//
// #qa.precision
//===----------------------------------------------------------------------===//

// expected-error @+1 {{expected 'binary' or a width such as 's8' or 'u4', got 'i8'}}
func.func @precision_bad_width(%x: f32 {qa.precision = #qa.precision<i8, symmetric, per_tensor>})

// -----

// expected-error @+1 {{expected 'symmetric' or 'asymmetric', got 'affine'}}
func.func @precision_bad_symmetry(%x: f32 {qa.precision = #qa.precision<s8, affine, per_tensor>})

// -----

// expected-error @+1 {{expected 'per_tensor', 'per_channel' or 'per_group', got 'per_row'}}
func.func @precision_bad_granularity(%x: f32 {qa.precision = #qa.precision<s8, symmetric, per_row>})

// -----

// expected-error @+1 {{uniform precision must have 2, 4, 8 or 16 bits, got 3}}
func.func @precision_bad_bits(%x: f32 {qa.precision = #qa.precision<s3, symmetric, per_tensor>})

// -----

// expected-error @+1 {{uniform precision must have 2, 4, 8 or 16 bits, got 1 (1 bit is the 'binary' scheme)}}
func.func @precision_one_bit_uniform(%x: f32 {qa.precision = #qa.precision<u1, asymmetric, per_tensor>})

// -----

// expected-error @+1 {{binary precision has one alpha per tensor or per channel, not per group}}
func.func @precision_binary_per_group(%x: tensor<4x64xf32> {qa.precision = #qa.precision<binary, per_group(1, 32)>})

// -----

// expected-error @+1 {{quantization axis must be non-negative, got -1}}
func.func @precision_negative_axis(%x: tensor<4xf32> {qa.precision = #qa.precision<s8, symmetric, per_channel(-1)>})

// -----

// expected-error @+1 {{group size must be at least 2 for per_group and absent otherwise, got 1}}
func.func @precision_tiny_group(%x: tensor<4x64xf32> {qa.precision = #qa.precision<s4, symmetric, per_group(1, 1)>})

// -----

//===----------------------------------------------------------------------===//
// !qa.binary
//===----------------------------------------------------------------------===//

// expected-error @+1 {{binary alpha must be positive and finite, got 0}}
func.func @binary_zero_alpha(%x: tensor<4x!qa.binary<f32, 0.0>>)

// -----

// expected-error @+1 {{binary alpha must be positive and finite, got -5.000000e-01}}
func.func @binary_negative_alpha(%x: tensor<2x4x!qa.binary<f32:0, {1.0, -0.5}>>)

// -----

// expected-error @+1 {{binary quantization axis must be non-negative, got -3}}
func.func @binary_negative_axis(%x: tensor<4x!qa.binary<f32:-3, {1.0}>>)

// -----

// expected-error @+1 {{binary quantization needs at least one alpha}}
func.func @binary_no_alpha(%x: tensor<4x!qa.binary<f32:0, {}>>)

// -----

//===----------------------------------------------------------------------===//
// Quantized types against tensor shapes (trait on every op)
//===----------------------------------------------------------------------===//

func.func @zero_point_outside_storage() {
  // expected-error @+1 {{'qa.constant' op result #0: zero point 300 is outside the storage range [-128, 127]}}
  %0 = qa.constant dense<0> : tensor<2xi8> : tensor<2x!quant.uniform<i8:f32, 0.1:300>>
  return
}

// -----

func.func @unsigned_zero_point_negative() {
  // expected-error @+1 {{'qa.constant' op result #0: zero point -1 is outside the storage range [0, 255]}}
  %0 = qa.constant dense<0> : tensor<2xi8> : tensor<2x!quant.uniform<u8:f32, 0.1:-1>>
  return
}

// -----

func.func @per_axis_zero_point_outside_storage() {
  // expected-error @+1 {{'qa.constant' op result #0: zero point 9 is outside the storage range [-8, 7]}}
  %0 = qa.constant dense<0> : tensor<2xi4> : tensor<2x!quant.uniform<i4:f32:0, {0.1:0, 0.2:9}>>
  return
}

// -----

func.func @per_axis_out_of_rank(%x: tensor<2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: quantized axis 1 is out of range for a tensor of rank 1}}
  %0 = qa.dequantize %x : tensor<2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> -> tensor<2xf32>
  return
}

// -----

func.func @per_axis_scale_count(%x: tensor<3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: has 2 scales but dimension 0 has size 3}}
  %0 = qa.dequantize %x : tensor<3x!quant.uniform<i8:f32:0, {0.1, 0.2}>> -> tensor<3xf32>
  return
}

// -----

func.func @sub_channel_rank(%x: tensor<2x4x3x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: sub-channel scales have rank 2 but the tensor has rank 3}}
  %0 = qa.dequantize %x : tensor<2x4x3x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>> -> tensor<2x4x3xf32>
  return
}

// -----

func.func @sub_channel_axis_out_of_rank(%x: tensor<4x!quant.uniform<i4:f32:{1:2}, {0.1, 0.2}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: quantized axis 1 is out of range for a tensor of rank 1}}
  %0 = qa.dequantize %x : tensor<4x!quant.uniform<i4:f32:{1:2}, {0.1, 0.2}>> -> tensor<4xf32>
  return
}

// -----

func.func @sub_channel_block_does_not_divide(%x: tensor<2x5x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: block size 2 does not divide dimension 1 of size 5}}
  %0 = qa.dequantize %x : tensor<2x5x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>> -> tensor<2x5xf32>
  return
}

// -----

func.func @sub_channel_scale_count(%x: tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: sub-channel scales have 2 entries along dimension 1, expected 4}}
  %0 = qa.dequantize %x : tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:2}, {{0.1, 0.2}, {0.3, 0.4}}>> -> tensor<2x8xf32>
  return
}

// -----

func.func @sub_channel_zero_point(%x: tensor<2x4x!quant.uniform<i4<-7:7>:f32:{0:1, 1:2}, {{0.1:-8, 0.2}, {0.3, 0.4}}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: zero point -8 is outside the storage range [-7, 7]}}
  %0 = qa.dequantize %x : tensor<2x4x!quant.uniform<i4<-7:7>:f32:{0:1, 1:2}, {{0.1:-8, 0.2}, {0.3, 0.4}}>> -> tensor<2x4xf32>
  return
}

// -----

func.func @binary_axis_out_of_rank(%x: tensor<2x!qa.binary<f32:1, {0.5, 0.5}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: quantized axis 1 is out of range for a tensor of rank 1}}
  %0 = qa.dequantize %x : tensor<2x!qa.binary<f32:1, {0.5, 0.5}>> -> tensor<2xf32>
  return
}

// -----

func.func @binary_alpha_count(%x: tensor<3x4x!qa.binary<f32:0, {0.5, 0.5}>>) {
  // expected-error @+1 {{'qa.dequantize' op operand #0: has 2 alphas but dimension 0 has size 3}}
  %0 = qa.dequantize %x : tensor<3x4x!qa.binary<f32:0, {0.5, 0.5}>> -> tensor<3x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Discardable qa.range / qa.precision attributes
//===----------------------------------------------------------------------===//

func.func @unknown_qa_attribute(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{unknown qa attribute 'qa.scale'}}
  %0 = arith.addf %x, %x {qa.scale = 1.0 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_wrong_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qa.range' must be a #qa.range, got 1.000000e+00 : f32}}
  %0 = arith.addf %x, %x {qa.range = 1.0 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_on_integer(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qa.range' describes a float value, but the value has type 'tensor<4xi32>'}}
  %0 = arith.addi %x, %x {qa.range = #qa.range<0.0, 1.0>} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @precision_wrong_kind(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qa.precision' must be a #qa.precision, got #qa.range<0.000000e+00, 1.000000e+00>}}
  %0 = arith.addf %x, %x {qa.precision = #qa.range<0.0, 1.0>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @precision_axis_out_of_rank(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qa.precision' axis 1 is out of range for 'tensor<4xf32>'}}
  %0 = arith.addf %x, %x {qa.precision = #qa.precision<s8, symmetric, per_channel(1)>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @precision_bits_differ_from_storage(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qa.precision' has 4 bits but the value's storage type is 8-bit}}
  %0 = qa.quantize %x {qa.precision = #qa.precision<s4, symmetric, per_tensor>}
      : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @precision_binary_on_uniform(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qa.precision' has 1 bits but the value's storage type is 8-bit}}
  %0 = qa.quantize %x {qa.precision = #qa.precision<binary, per_tensor>}
      : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @precision_signedness_differs(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qa.precision' signedness differs from the storage type}}
  %0 = qa.quantize %x {qa.precision = #qa.precision<u8, asymmetric, per_tensor>}
      : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func private @two_results(tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
func.func @range_array_count(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qa.range' has 1 entries but the op has 2 results}}
  %0:2 = func.call @two_results(%x) {qa.range = [#qa.range<0.0, 1.0>]} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func private @two_results(tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
func.func @range_single_on_multi_result(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qa.range' on an op with 2 results must be an array with one entry per result}}
  %0:2 = func.call @two_results(%x) {qa.range = #qa.range<0.0, 1.0>} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// expected-error @+1 {{unknown qa argument attribute 'qa.bits'}}
func.func @unknown_arg_attribute(%x: tensor<4xf32> {qa.bits = 8 : i32}) {
  return
}

// -----

// expected-error @+1 {{argument #0: 'qa.range' describes a float value, but the value has type 'tensor<4xi8>'}}
func.func @arg_range_on_integer(%x: tensor<4xi8> {qa.range = #qa.range<0.0, 1.0>}) {
  return
}

// -----

//===----------------------------------------------------------------------===//
// qa.observe, qa.fake_quant
//===----------------------------------------------------------------------===//

func.func @observe_empty_name(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qa.observe' op name must not be empty}}
  %0 = qa.observe "" %x : tensor<4xf32>
  return
}

// -----

func.func @fake_quant_expressed_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qa.fake_quant' op quantized type expresses 'f16' but the input element type is 'f32'}}
  %0 = qa.fake_quant %x as !quant.uniform<i8:f16, 0.1> : tensor<4xf32>
  return
}

// -----

func.func @fake_quant_axis_size(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'qa.fake_quant' op type: has 2 scales but dimension 1 has size 3}}
  %0 = qa.fake_quant %x as !quant.uniform<i8:f32:1, {0.1, 0.2}> : tensor<4x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// qa.quantize, qa.dequantize, qa.requantize, qa.constant
//===----------------------------------------------------------------------===//

func.func @quantize_expressed_type(%x: tensor<4xf16>) {
  // expected-error @+1 {{'qa.quantize' op quantized type '!quant.uniform<i8:f32, 1.000000e-01>' expresses 'f32', not 'f16'}}
  %0 = qa.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @dequantize_expressed_type(%x: tensor<4x!qa.binary<f32, 0.5>>) {
  // expected-error @+1 {{'qa.dequantize' op quantized type '!qa.binary<f32, 5.000000e-01>' expresses 'f32', not 'bf16'}}
  %0 = qa.dequantize %x : tensor<4x!qa.binary<f32, 0.5>> -> tensor<4xbf16>
  return
}

// -----

func.func @requantize_binary(%x: tensor<4x!qa.binary<f32, 0.5>>) {
  // expected-error @+1 {{'qa.requantize' op input and result must be per-tensor or per-axis !quant.uniform}}
  %0 = qa.requantize %x : tensor<4x!qa.binary<f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @requantize_expressed_types(%x: tensor<4x!quant.uniform<i32:f32, 0.5>>) {
  // expected-error @+1 {{'qa.requantize' op quantized values must share one expressed type, got 'f32' and 'f16'}}
  %0 = qa.requantize %x : tensor<4x!quant.uniform<i32:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f16, 0.1>>
  return
}

// -----

func.func @requantize_per_axis_result(%x: tensor<2x!quant.uniform<i32:f32, 0.5>>) {
  // expected-error @+1 {{'qa.requantize' op a per-axis result needs a per-axis input on the same axis}}
  %0 = qa.requantize %x : tensor<2x!quant.uniform<i32:f32, 0.5>> -> tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return
}

// -----

func.func @requantize_multiplier_without_shift(%x: tensor<4x!quant.uniform<i32:f32, 0.5>>) {
  // expected-error @+1 {{'qa.requantize' op multiplier and shift must be given together}}
  %0 = qa.requantize %x {multiplier = array<i32: 1073741824>}
      : tensor<4x!quant.uniform<i32:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @requantize_pair_count(%x: tensor<2x!quant.uniform<i32:f32:0, {0.5, 1.0}>>) {
  // expected-error @+1 {{'qa.requantize' op expects 1 or 2 multiplier/shift pairs, got 3 multipliers and 3 shifts}}
  %0 = qa.requantize %x {multiplier = array<i32: 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0>}
      : tensor<2x!quant.uniform<i32:f32:0, {0.5, 1.0}>> -> tensor<2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @requantize_unnormalized(%x: tensor<4x!quant.uniform<i32:f32, 0.5>>) {
  // expected-error @+1 {{'qa.requantize' op multiplier 1000 is not a normalized Q31 value in [2^30, 2^31)}}
  %0 = qa.requantize %x {multiplier = array<i32: 1000>, shift = array<i32: 0>}
      : tensor<4x!quant.uniform<i32:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @requantize_shift_range(%x: tensor<4x!quant.uniform<i32:f32, 0.5>>) {
  // expected-error @+1 {{'qa.requantize' op shift 31 is outside [-31, 30]}}
  %0 = qa.requantize %x {multiplier = array<i32: 1073741824>, shift = array<i32: 31>}
      : tensor<4x!quant.uniform<i32:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @requantize_disagrees_with_types(%x: tensor<4x!quant.uniform<i32:f32, 0.5>>) {
  // 0.5 / 1.0 is 2^30 * 2^(0 - 31); shift 1 would mean 1.0.
  // expected-error @+1 {{'qa.requantize' op multiplier 1073741824 * 2^(1 - 31) does not match the scale ratio 5.000000e-01 of channel 0}}
  %0 = qa.requantize %x {multiplier = array<i32: 1073741824>, shift = array<i32: 1>}
      : tensor<4x!quant.uniform<i32:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @constant_storage_type() {
  // expected-error @+1 {{'qa.constant' op value must have the result shape and the signless storage type i8, got 'tensor<2xi32>'}}
  %0 = qa.constant dense<0> : tensor<2xi32> : tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @constant_shape() {
  // expected-error @+1 {{'qa.constant' op value must have the result shape and the signless storage type i8, got 'tensor<3xi8>'}}
  %0 = qa.constant dense<0> : tensor<3xi8> : tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @constant_outside_narrow_range() {
  // expected-error @+1 {{'qa.constant' op stored value -128 is outside the storage range [-127, 127]}}
  %0 = qa.constant dense<[0, -128]> : tensor<2xi8> : tensor<2x!quant.uniform<i8<-127:127>:f32, 0.1>>
  return
}

// -----

func.func @constant_not_dense() {
  // expected-error @+1 {{'qa.constant' op value must be a dense integer elements attribute}}
  %0 = qa.constant dense_resource<weights> : tensor<2xi8> : tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x0100000001FF"
    }
  }
#-}

// -----

//===----------------------------------------------------------------------===//
// qa.fully_connected (and the contraction rules it shares)
//===----------------------------------------------------------------------===//

func.func @fc_ranks(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op expects input [..., K], weights [N, K] and a result [..., N] of the input's rank}}
  %0 = qa.fully_connected %x, %w : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_depth(%x: tensor<1x5x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op input depth 5 differs from weights depth 4}}
  %0 = qa.fully_connected %x, %w : (tensor<1x5x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_batch(%x: tensor<3x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op result dimension 0 is 1, expected 3}}
  %0 = qa.fully_connected %x, %w : (tensor<3x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_result_depth(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op result depth 3 differs from the 2 weight rows}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x3x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_binary_input_per_channel(%x: tensor<1x4x!qa.binary<f32:1, {1.0, 1.0, 1.0, 1.0}>>, %w: tensor<2x4x!qa.binary<f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op binary input must have one alpha per tensor}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!qa.binary<f32:1, {1.0, 1.0, 1.0, 1.0}>>, tensor<2x4x!qa.binary<f32, 0.1>>) -> tensor<1x2x!quant.uniform<i32:f32, 0.1>>
  return
}

// -----

func.func @fc_binary_input_uniform_weights(%x: tensor<1x4x!qa.binary<f32, 1.0>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op binary input requires binary weights}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!qa.binary<f32, 1.0>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i32:f32, 0.1>>
  return
}

// -----

func.func @fc_per_axis_input(%x: tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op input must have a per-tensor !quant.uniform element type, got '!quant.uniform<i8:f32:0, {5.000000e-01,5.000000e-01}>'}}
  %0 = qa.fully_connected %x, %w : (tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<2x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_input_width(%x: tensor<1x4x!quant.uniform<i32:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op input storage must be 2, 4, 8, 16 bits wide, got 32}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i32:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_weights_width(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i32:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op weights storage must be 2, 4, 8 or 16 bits wide (or !qa.binary), got 32}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i32:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_weights_axis(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32:1, {0.1, 0.1, 0.1, 0.1}>>) {
  // expected-error @+1 {{'qa.fully_connected' op per-channel weights must be quantized along axis 0, got 1}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32:1, {0.1, 0.1, 0.1, 0.1}>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_binary_weights_axis(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!qa.binary<f32:1, {0.1, 0.1, 0.1, 0.1}>>) {
  // expected-error @+1 {{'qa.fully_connected' op per-channel weights must be quantized along axis 0, got 1}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!qa.binary<f32:1, {0.1, 0.1, 0.1, 0.1}>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_groups_span_channels(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i4:f32:{1:2}, {{0.1, 0.2}}>>) {
  // expected-error @+1 {{'qa.fully_connected' op weight groups must not span output channels (block size along axis 0 must be 1, got 2)}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i4:f32:{1:2}, {{0.1, 0.2}}>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_result_per_axis(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op result must have a per-tensor !quant.uniform element type}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32:1, {1.0, 1.0}>>
  return
}

// -----

func.func @fc_expressed_types(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f16, 0.1>>) {
  // expected-error @+1 {{'qa.fully_connected' op quantized values must share one expressed type, got 'f32' and 'f16'}}
  %0 = qa.fully_connected %x, %w : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f16, 0.1>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_bias_shape(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<3x!quant.uniform<i32:f32, 0.05>>) {
  // expected-error @+1 {{'qa.fully_connected' op bias must have shape [2], got 'tensor<3x!quant.uniform<i32:f32, 5.000000e-02>>'}}
  %0 = qa.fully_connected %x, %w, %b : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>, tensor<3x!quant.uniform<i32:f32, 0.05>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_bias_storage(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2x!quant.uniform<i16:f32, 0.05>>) {
  // expected-error @+1 {{'qa.fully_connected' op bias storage must be i32, got 'i16'}}
  %0 = qa.fully_connected %x, %w, %b : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i16:f32, 0.05>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_bias_zero_point(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2x!quant.uniform<i32:f32, 0.05:3>>) {
  // expected-error @+1 {{'qa.fully_connected' op bias zero point must be 0}}
  %0 = qa.fully_connected %x, %w, %b : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i32:f32, 0.05:3>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_bias_zero_points(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.1:1}>>) {
  // expected-error @+1 {{'qa.fully_connected' op bias zero points must be 0}}
  %0 = qa.fully_connected %x, %w, %b : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.1:1}>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_bias_sub_channel(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<2x!quant.uniform<i32:f32:{0:1}, {0.05, 0.05}>>) {
  // expected-error @+1 {{'qa.fully_connected' op bias must be quantized per tensor or per channel}}
  %0 = qa.fully_connected %x, %w, %b : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.1>>, tensor<2x!quant.uniform<i32:f32:{0:1}, {0.05, 0.05}>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_bias_scale_count(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, %b: tensor<2x!quant.uniform<i32:f32, 0.05>>) {
  // expected-error @+1 {{'qa.fully_connected' op bias must have 2 scale(s) like the weights, got 1}}
  %0 = qa.fully_connected %x, %w, %b : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, tensor<2x!quant.uniform<i32:f32, 0.05>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @fc_bias_scale(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.2}>>) {
  // expected-error @+1 {{'qa.fully_connected' op bias scale 2.000000e-01 of channel 1 must equal input scale x weight scale = 1.000000e-01}}
  %0 = qa.fully_connected %x, %w, %b : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.2}>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// qa.matmul
//===----------------------------------------------------------------------===//

func.func @matmul_rank(%a: tensor<8x!quant.uniform<i8:f32, 0.5>>, %b: tensor<8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.matmul' op expects operands [B..., M, K], [B..., K, N] and a result [B..., M, N] of equal rank >= 2}}
  %0 = qa.matmul %a, %b : (tensor<8x!quant.uniform<i8:f32, 0.5>>, tensor<8x!quant.uniform<i8:f32, 0.5>>) -> tensor<8x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x8x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3x8x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.matmul' op batch dimension 0 differs}}
  %0 = qa.matmul %a, %b : (tensor<2x4x8x!quant.uniform<i8:f32, 0.5>>, tensor<3x8x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<4x8x!quant.uniform<i8:f32, 0.5>>, %b: tensor<7x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.matmul' op contraction sizes differ: lhs K = 8, rhs K = 7}}
  %0 = qa.matmul %a, %b : (tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<7x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @matmul_result(%a: tensor<4x8x!quant.uniform<i8:f32, 0.5>>, %b: tensor<8x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.matmul' op result must be [B..., M, N]}}
  %0 = qa.matmul %a, %b : (tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<8x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @matmul_binary(%a: tensor<4x8x!qa.binary<f32, 0.5>>, %b: tensor<8x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.matmul' op lhs must have a per-tensor !quant.uniform element type}}
  %0 = qa.matmul %a, %b : (tensor<4x8x!qa.binary<f32, 0.5>>, tensor<8x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x3x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// qa.conv2d, qa.depthwise_conv2d (and the window rules pooling shares)
//===----------------------------------------------------------------------===//

func.func @conv_filter_rank(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x27x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op filter must be 4-D [O, KH, KW, C]}}
  %0 = qa.conv2d %x, %f : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x27x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_input_rank(%x: tensor<8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op input and result must be 4-D (NHWC)}}
  %0 = qa.conv2d %x, %f : (tensor<8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_attribute_sizes(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op expects 2 kernel sizes, 2 strides, 2 dilations and 4 paddings [top, bottom, left, right]}}
  %0 = qa.conv2d %x, %f {padding = array<i64: 1, 1>} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_zero_stride(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op kernel sizes, strides and dilations must be positive}}
  %0 = qa.conv2d %x, %f {strides = array<i64: 0, 1>} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_negative_padding(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op padding must be non-negative}}
  %0 = qa.conv2d %x, %f {padding = array<i64: -1, 0, 0, 0>} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_batch(%x: tensor<2x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op batch of result 1 differs from input 2}}
  %0 = qa.conv2d %x, %f : (tensor<2x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_window_too_large(%x: tensor<1x2x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op window of 3 does not fit padded input dimension 1 of size 2}}
  %0 = qa.conv2d %x, %f : (tensor<1x2x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x1x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_output_size(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // (8 + 0 - 3) / 2 + 1 = 3
  // expected-error @+1 {{'qa.conv2d' op result dimension 1 is 4, expected 3}}
  %0 = qa.conv2d %x, %f {strides = array<i64: 2, 2>} : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x4x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_input_channels(%x: tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op filter has 3 input channels, input has 4}}
  %0 = qa.conv2d %x, %f : (tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x16x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @conv_output_channels(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.conv2d' op result has 8 channels, filter has 16}}
  %0 = qa.conv2d %x, %f : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x8x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @depthwise_filter_shape(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<2x3x3x3x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.depthwise_conv2d' op filter must be 4-D [1, KH, KW, C * M]}}
  %0 = qa.depthwise_conv2d %x, %f : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x3x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @depthwise_multiplier(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<1x3x3x4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.depthwise_conv2d' op filter channels 4 are not a multiple of the 3 input channels}}
  %0 = qa.depthwise_conv2d %x, %f : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x3x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x4x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @depthwise_output_channels(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, %f: tensor<1x3x3x6x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.depthwise_conv2d' op result has 3 channels, filter has 6}}
  %0 = qa.depthwise_conv2d %x, %f : (tensor<1x8x8x3x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x3x6x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x3x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @depthwise_no_channels(%x: tensor<1x8x8x0x!quant.uniform<i8:f32, 0.5>>, %f: tensor<1x3x3x0x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{'qa.depthwise_conv2d' op input must have at least one channel}}
  %0 = qa.depthwise_conv2d %x, %f : (tensor<1x8x8x0x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x3x0x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x6x6x0x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @depthwise_binary_input(%x: tensor<1x8x8x3x!qa.binary<f32, 0.5>>, %f: tensor<1x3x3x3x!qa.binary<f32, 0.1>>) {
  // expected-error @+1 {{'qa.depthwise_conv2d' op input must not be binary}}
  %0 = qa.depthwise_conv2d %x, %f : (tensor<1x8x8x3x!qa.binary<f32, 0.5>>, tensor<1x3x3x3x!qa.binary<f32, 0.1>>) -> tensor<1x6x6x3x!quant.uniform<i32:f32, 0.05>>
  return
}

// -----

func.func @depthwise_weights_axis(%x: tensor<1x8x8x2x!quant.uniform<i8:f32, 0.5>>, %f: tensor<1x3x3x2x!quant.uniform<i8:f32:2, {0.1, 0.1, 0.1}>>) {
  // expected-error @+1 {{'qa.depthwise_conv2d' op per-channel weights must be quantized along axis 3, got 2}}
  %0 = qa.depthwise_conv2d %x, %f : (tensor<1x8x8x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x3x2x!quant.uniform<i8:f32:2, {0.1, 0.1, 0.1}>>) -> tensor<1x6x6x2x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// qa.add, qa.mul, qa.clamp, qa.table
//===----------------------------------------------------------------------===//

func.func @add_not_broadcastable(%a: tensor<4x8x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.add' op operand shapes 'tensor<4x8x!quant.uniform<i8:f32, 5.000000e-01>>' and 'tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>' are not broadcast-compatible}}
  %0 = qa.add %a, %b : (tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<3x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x8x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @mul_result_shape(%a: tensor<4x8x!quant.uniform<i8:f32, 0.5>>, %b: tensor<8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.mul' op result shape must be the broadcast shape of the operands}}
  %0 = qa.mul %a, %b : (tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<8x!quant.uniform<i8:f32, 0.5>>) -> tensor<8x!quant.uniform<i8:f32, 1.0>>
  return
}

// -----

func.func @add_i32_result(%a: tensor<8x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.add' op result storage must be 2, 4, 8, 16 bits wide, got 32}}
  %0 = qa.add %a, %a : (tensor<8x!quant.uniform<i8:f32, 0.5>>, tensor<8x!quant.uniform<i8:f32, 0.5>>) -> tensor<8x!quant.uniform<i32:f32, 1.0>>
  return
}

// -----

func.func @clamp_inverted(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.clamp' op min 10 exceeds max -10}}
  %0 = qa.clamp %x {min = 10 : i64, max = -10 : i64} : tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @clamp_outside_storage(%x: tensor<4x!quant.uniform<i8<-100:100>:f32, 0.5>>) {
  // expected-error @+1 {{'qa.clamp' op bounds [-128, 100] must lie in the storage range [-100, 100]}}
  %0 = qa.clamp %x {min = -128 : i64, max = 100 : i64} : tensor<4x!quant.uniform<i8<-100:100>:f32, 0.5>>
  return
}

// -----

func.func @table_size(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.table' op table must have 256 entries (one per stored input value), got 'tensor<255xi8>'}}
  %0 = qa.table %x {table = dense<0> : tensor<255xi8>} : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @table_element_type(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.table' op table elements must have the result storage type i8}}
  %0 = qa.table %x {table = dense<0> : tensor<256xi16>} : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @table_entry_range(%x: tensor<4x!quant.uniform<u4:f32, 0.5:8>>) {
  // expected-error @+1 {{'qa.table' op table entry 2 = -128 is outside the result storage range [-127, 127]}}
  %0 = qa.table %x {table = dense<[0, 1, -128, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi8>} : tensor<4x!quant.uniform<u4:f32, 0.5:8>> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>>
  return
}

// -----

func.func @table_wide_input(%x: tensor<4x!quant.uniform<i16:f32, 0.5>>) {
  // expected-error @+1 {{'qa.table' op input storage must be 2, 4, 8 bits wide, got 16}}
  %0 = qa.table %x {table = dense<0> : tensor<256xi8>} : tensor<4x!quant.uniform<i16:f32, 0.5>> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// qa.max_pool2d, qa.avg_pool2d, qa.concat
//===----------------------------------------------------------------------===//

func.func @pool_padding_kernel(%x: tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.max_pool2d' op padding 2 must be smaller than the kernel size 2}}
  %0 = qa.max_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>> -> tensor<1x9x7x4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @pool_channels(%x: tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.avg_pool2d' op result has 3 channels, input has 4}}
  %0 = qa.avg_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>> -> tensor<1x7x7x3x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @pool_kernel_count(%x: tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.avg_pool2d' op expects 2 kernel sizes, 2 strides, 2 dilations and 4 paddings}}
  %0 = qa.avg_pool2d %x {kernel = array<i64: 2>} : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>> -> tensor<1x7x7x4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @max_pool_rescale(%x: tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.max_pool2d' op input and result must have the same element type}}
  %0 = qa.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x8x8x4x!quant.uniform<i8:f32, 0.5>> -> tensor<1x7x7x4x!quant.uniform<i8:f32, 0.25>>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+1 {{'qa.concat' op expects at least one input}}
  %0 = qa.concat {axis = 0 : i64} : () -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @concat_axis(%a: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.concat' op axis -1 is out of range for rank 1}}
  %0 = qa.concat %a {axis = -1 : i64} : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @concat_rank(%a: tensor<4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<1x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.concat' op input #1 has rank 2, expected 1}}
  %0 = qa.concat %a, %b {axis = 0 : i64} : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<1x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<8x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @concat_other_dim(%a: tensor<2x4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3x4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.concat' op input #1 dimension 0 is 3, expected 2}}
  %0 = qa.concat %a, %b {axis = 1 : i64} : (tensor<2x4x!quant.uniform<i8:f32, 0.5>>, tensor<3x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x8x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

func.func @concat_total(%a: tensor<2x4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @+1 {{'qa.concat' op result dimension 1 is 8, expected 7}}
  %0 = qa.concat %a, %b {axis = 1 : i64} : (tensor<2x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x8x!quant.uniform<i8:f32, 0.5>>
  return
}
