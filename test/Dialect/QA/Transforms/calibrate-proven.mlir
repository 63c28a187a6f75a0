// Calibration against proven ranges, and per-channel statistics.
// RUN: rm -rf %t && %python %S/Inputs/write_npy.py %t
// RUN: quant-opt %s --qa-propagate-ranges --qa-calibrate="samples=%t/x.npy stats-out=%t/stats.json" -verify-diagnostics | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t/stats.json

// Samples: [-1, 2, 0.5, 3]  [4, -2, 1, 0]  [0.25, 0.5, -3, 1]

// The declared input range [-2, 5] is violated by the sample -3: the proven
// range is kept (it bounds what the model may see) and the data reported.
// expected-warning @+2 {{calibrated range [-3.000000e+00, 4.000000e+00] of argument #0 is not inside its proven range [-2.000000e+00, 5.000000e+00]}}
// CHECK-LABEL: func.func @model(%arg0: tensor<1x4xf32> {qa.range = #qa.range<-2.000000e+00, 5.000000e+00, proven>})
func.func @model(%x: tensor<1x4xf32> {qa.range = #qa.range<-2.0, 5.0, proven>}) -> tensor<1x4xf32> {
  // Proven [-4, 10] by propagation; observed [-6, 8]: outside, reported, and
  // the calibrated range replaces the proven one.
  // expected-warning @+2 {{calibrated range [-6.000000e+00, 8.000000e+00] of result #0 is not inside its proven range [-4.000000e+00, 1.000000e+01]}}
  // CHECK: tosa.add {{.*}}qa.range = #qa.range<-6.000000e+00, 8.000000e+00>
  %double = tosa.add %x, %x {qa.precision = #qa.precision<s8, symmetric, per_channel(1)>} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  // Proven [0, 6], observed [0, 4]: inside, silent.
  // CHECK: tosa.clamp {{.*}}qa.range = #qa.range<0.000000e+00, 4.000000e+00>
  %relu = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  // Downstream of the violation, the sum escapes too: proven [-4, 15].
  // expected-warning @+1 {{calibrated range [-6.000000e+00, 1.200000e+01] of result #0 is not inside its proven range [-4.000000e+00, 1.500000e+01]}}
  %sum = tosa.add %double, %relu : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %sum : tensor<1x4xf32>
}

// Per-channel extremes of x + x along axis 1: columns of 2x are
// [-2, 8, 0.5], [4, -4, 1], [1, 2, -6], [6, 0, 2].
// JSON: "channels":{"axis":1,"max":[8,4,2,6],"min":[-2,-4,-6,0]}
