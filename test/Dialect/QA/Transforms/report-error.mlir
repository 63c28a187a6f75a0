// RUN: rm -rf %t && %python %S/Inputs/precision_samples.py %t
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-report-error="samples=%t/x.npy labels=%t/labels.npy json=%t/report.json quantize-options='weight-bits=4'" -o %t/out.mlir 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t/report.json
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy | FileCheck %s --check-prefix=UNCHANGED
// RUN: quant-opt %t/out.mlir | FileCheck %s --check-prefix=UNCHANGED
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-report-error="samples=%t/x.npy quantize-options='weight-bits=2'" 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: not quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-report-error="samples=%t/x.npy quantize-options='weight-bits=3'" 2>&1 | FileCheck %s --check-prefix=BAD-OPTION
// RUN: not quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-report-error="samples=%t/x.npy quantize-options='colour=red'" 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OPTION
// RUN: not quant-opt %s --qa-report-error 2>&1 | FileCheck %s --check-prefix=NO-SAMPLES
// RUN: not quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-report-error="samples=%t/x.npy labels=%t/x.npy" 2>&1 | FileCheck %s --check-prefix=BAD-LABELS
// RUN: not quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-report-error="samples=%t/x.npy labels=%t/labels_inf.npy" 2>&1 | FileCheck %s --check-prefix=INF-LABELS
// RUN: not quant-opt %S/Inputs/no_inputs_model.mlir --qa-report-error="samples=," 2>&1 | FileCheck %s --check-prefix=NO-INPUTS

// Every layer's tensor, with its error alone and with everything before it
// quantized. The first layer's weights (one magnitude per channel) are exact
// at 4 bits, so alone it loses only to its input's and output's 8-bit
// rounding; the cumulative error can only grow along the chain.
// CHECK: qa-report-error: @chain, 64 samples
// CHECK-NEXT: tensor {{ *}}op {{ *}}local dB {{ *}}cumul. dB {{ *}}max |err| {{ *}}mean |err| {{ *}}cosine
// CHECK-NEXT: tosa.matmul_0 {{ *}}tosa.matmul {{ *}}[[L0:[0-9.]+]] {{ *}}[[L0]] {{ *}}
// CHECK-NEXT: tosa.matmul_1 {{ *}}tosa.matmul {{ *}}{{[0-9.]+}} {{ *}}{{[0-9.]+}} {{ *}}
// CHECK-NEXT: tosa.matmul_2 {{ *}}tosa.matmul {{ *}}{{[0-9.]+}} {{ *}}[[OUT:[0-9.]+]] {{ *}}
// CHECK-NEXT: output: SQNR [[OUT]] dB, top-1 agreement {{[0-9.]+}}%, accuracy float [[FLOAT:[0-9.]+]]%, quantized {{[0-9.]+}}%

// JSON: "function": "chain"
// JSON: "float_accuracy":
// JSON: "top1_agreement":
// JSON: "samples": 64
// JSON: "cumulative": {
// JSON-NEXT: "cosine":
// JSON-NEXT: "max_abs_error":
// JSON-NEXT: "mean_abs_error":
// JSON-NEXT: "sqnr_db":
// JSON: "local": {
// JSON: "name": "tosa.matmul_0"

// The IR is left as it is.
// UNCHANGED-NOT: qa.precision
// UNCHANGED-NOT: qa.quantize

// At 2 bits the middle layer's error dominates.
// TWO: tosa.matmul_1 {{ *}}tosa.matmul {{ *}}{{[0-9]\.[0-9]+}} {{ *}}{{[0-9]\.[0-9]+}} {{ *}}

// BAD-OPTION: error: activation-bits and weight-bits must be 1 (binary), 2, 4, 8 or 16
// UNKNOWN-OPTION: error: quantize-options: {{.*}}colour
// NO-SAMPLES: error: qa-report-error needs samples=<.npy files> to measure the model on
// INF-LABELS: error: labels: {{.*}}labels_inf.npy holds a label that is not a class index: INF
// NO-INPUTS: error: @f has no inputs: there is nothing to run it on
// BAD-LABELS: error: labels: {{.*}}x.npy holds 256 labels for 64 samples
func.func @chain(%x: tensor<1x1x4xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x1x4xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w0 = "tosa.const"() <{values = dense<[[[1.0, 0.0, 0.0, -1.0], [0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]]]> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %m0 = tosa.matmul %x, %w0, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 0.125, 0.25, 0.5], [0.5, 1.0, 0.125, 0.25], [0.25, 0.5, 1.0, 0.125], [0.125, 0.25, 0.5, 1.0]]]> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %m1 = tosa.matmul %m0, %w1, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %w2 = "tosa.const"() <{values = dense<[[[0.5, 0.0, 0.0, 0.0], [0.0, -0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.0, 0.5]]]> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %m2 = tosa.matmul %m1, %w2, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  return %m2 : tensor<1x1x4xf32>
}
