// RUN: quant-opt %quantaware_src_root/examples/mlp/quantized.mlir --qa-lower-to-integer | FileCheck %s
// RUN: quant-opt %s --qa-lower-to-integer | FileCheck %s --check-prefix=ISLANDS

// The example int8 MLP has integer inputs and outputs and the default
// tflite_double rounding: after lowering, no float value or op remains.
// CHECK-LABEL: func.func @mlp_int8
// CHECK-SAME: (%{{.*}}: tensor<1x64xi8>) -> tensor<1x10xi8>
// CHECK-NOT: f16
// CHECK-NOT: f32
// CHECK-NOT: f64
// CHECK-NOT: arith.{{[a-z]+}}f
// CHECK-NOT: math.
// CHECK: return

// With float islands at the boundary, float ops appear only in the quantize
// and dequantize bodies: the contraction and requantization stay integer.
// ISLANDS-LABEL: func.func @islands
// ISLANDS: arith.divf
// ISLANDS: math.round
// ISLANDS: } -> tensor<1x2xi8>
// ISLANDS: "reduction"
// ISLANDS-NOT: arith.{{[a-z]+}}f
// ISLANDS-NOT: f32
// ISLANDS: } -> tensor<1x2xi8>
// ISLANDS: arith.sitofp
// ISLANDS: return
func.func @islands(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = qa.quantize %x : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<i8:f32, 0.5>>
  %w = qa.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> : tensor<2x2x!quant.uniform<i8:f32, 0.25>>
  %y = qa.fully_connected %q, %w : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  %d = qa.dequantize %y : tensor<1x2x!quant.uniform<i8:f32, 1.0>> -> tensor<1x2xf32>
  return %d : tensor<1x2xf32>
}
