// RUN: rm -rf %t && %python %S/Inputs/write_npy.py %t
// RUN: quant-opt %s --qa-calibrate="samples=%t/x.npy stats-out=%t/stats.json" | FileCheck %s --check-prefix=MINMAX
// RUN: quant-opt %s --qa-calibrate="samples=%t/x_flat.npy" | FileCheck %s --check-prefix=MINMAX
// RUN: quant-opt %s --qa-calibrate="samples=%t/x_dir" | FileCheck %s --check-prefix=MINMAX
// RUN: quant-opt %s --qa-calibrate="samples=%t/x64.npy" | FileCheck %s --check-prefix=MINMAX
// RUN: quant-opt %s --qa-calibrate="stats-in=%t/stats.json" | FileCheck %s --check-prefix=MINMAX
// Moving averages are accumulated while the samples run.
// RUN: quant-opt %s --qa-calibrate="samples=%t/x.npy method=moving-average averaging-constant=0.5" | FileCheck %s --check-prefix=AVERAGE
// RUN: FileCheck %s --check-prefix=JSON < %t/stats.json

// Samples (3 of them):  [-1, 2, 0.5, 3]  [4, -2, 1, 0]  [0.25, 0.5, -3, 1]
// Every value below is exact in float32, so the expected ranges are exact.

// The argument has no proven range, so it gets the calibrated one.
// MINMAX-LABEL: func.func @model
// MINMAX-SAME: qa.range = #qa.range<-3.000000e+00, 4.000000e+00>
func.func @model(%x: tensor<1x4xf32>) -> tensor<1x1xf32> {
  // relu: [0, 4]
  // MINMAX: tosa.clamp {{.*}}qa.range = #qa.range<0.000000e+00, 4.000000e+00>
  %relu = tosa.clamp %x {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  // x + x: [-6, 8]
  // MINMAX: tosa.add {{.*}}qa.range = #qa.range<-6.000000e+00, 8.000000e+00>
  %double = tosa.add %x, %x : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  // x * x: [0, 16]
  // MINMAX: tosa.mul {{.*}}qa.range = #qa.range<0.000000e+00, 1.600000e+01>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %square = tosa.mul %x, %x, %shift : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1xi8>) -> tensor<1x4xf32>
  // Row sums 4.5, 3, -1.25.
  // MINMAX: tosa.reduce_sum {{.*}}qa.range = #qa.range<-1.250000e+00, 4.500000e+00>
  %sum = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<1x4xf32>) -> tensor<1x1xf32>
  // The constant is not observed: its range is known without data.
  // MINMAX-NOT: tosa.const{{.*}}qa.range
  return %sum : tensor<1x1xf32>
}

// Moving averages with c = 0.5 of each sample's extremes:
// min: -1, then 0.5 (-1) + 0.5 (-2) = -1.5, then 0.5 (-1.5) + 0.5 (-3) = -2.25
// max: 3, then 0.5 (3) + 0.5 (4) = 3.5, then 0.5 (3.5) + 0.5 (1) = 2.25
// AVERAGE-LABEL: func.func @model
// AVERAGE-SAME: qa.range = #qa.range<-2.250000e+00, 2.250000e+00>

// Keys print sorted; tensors keep program order.
// JSON: "averaging_constant":0.01,"format":"quantaware-calibration-1","function":"model","samples":3,"tensors":
// JSON-SAME: "name":"arg0"
// JSON-SAME: "name":"tosa.clamp_0"
// JSON-SAME: "name":"tosa.add_0"
// JSON-SAME: "name":"tosa.mul_0"
// JSON-SAME: "name":"tosa.reduce_sum_0"
