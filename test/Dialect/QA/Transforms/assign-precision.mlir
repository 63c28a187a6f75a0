// RUN: rm -rf %t && %python %S/Inputs/precision_samples.py %t
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=30 weight-layouts=per-channel json=%t/30.json" 2>%t/30.txt | FileCheck %s --check-prefix=SQNR30
// RUN: FileCheck %s --check-prefix=TABLE < %t/30.txt
// RUN: FileCheck %s --check-prefix=JSON < %t/30.json
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=20 weight-layouts=per-channel table=%t/20.txt" | FileCheck %s --check-prefix=SQNR20
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=20 table=%t/20.txt" -o %t/again.mlir
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=20 table=%t/20.txt" -o %t/again2.mlir
// RUN: diff %t/again.mlir %t/again2.mlir
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=30" 2>&1 | FileCheck %s --check-prefix=LAYOUTS
// RUN: not quant-opt %s --qa-assign-precision="samples=%t/x.npy min-sqnr=1 weight-layouts=per-row" 2>&1 | FileCheck %s --check-prefix=BAD-LAYOUT
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=30 objective=latency target=x86_64-avx2 weight-layouts=per-channel" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AVX2
// RUN: not quant-opt %s --qa-assign-precision="samples=%t/x.npy min-sqnr=1 target=vax" 2>&1 | FileCheck %s --check-prefix=BAD-TARGET
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy labels=%t/labels.npy max-accuracy-drop=0" 2>&1 | FileCheck %s --check-prefix=ACCURACY
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=30 objective=latency weight-bits=8,4,2,1 activation-bits=8,1" 2>&1 | FileCheck %s --check-prefix=LATENCY
// RUN: quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=30" --qa-quantize | FileCheck %s --check-prefix=QUANTIZED
// RUN: quant-opt %S/Inputs/wide_range_model.mlir --qa-calibrate="samples=%t/x.npy" --qa-assign-precision="samples=%t/x.npy min-sqnr=30 weight-bits=16,8,4,2 activation-bits=16,8 weight-layouts=per-channel table=%t/wide.txt" | FileCheck %s --check-prefix=WIDE
// RUN: not quant-opt %s --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=40" 2>&1 | FileCheck %s --check-prefix=INFEASIBLE
// RUN: quant-opt %quantaware_src_root/examples/cnn/float.mlir --qa-calibrate=samples=%quantaware_src_root/examples/cnn/samples.npy --qa-assign-precision="samples=%quantaware_src_root/examples/cnn/samples.npy min-sqnr=5 activation-bits=4 weight-bits=8 weight-layouts=per-channel table=%t/cnn.txt" --qa-quantize | FileCheck %s --check-prefix=BEHIND-POOL
// RUN: not quant-opt %S/Inputs/shared_weights_model.mlir --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=25" 2>&1 | FileCheck %s --check-prefix=SHARED
// RUN: quant-opt %S/Inputs/residual_model.mlir --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=0 objective=latency weight-bits=8,1 activation-bits=8,1" --qa-quantize 2>&1 | FileCheck %s --check-prefix=RESIDUAL
// RUN: quant-opt %S/Inputs/kept_float_layer_model.mlir --qa-calibrate=samples=%t/x.npy --qa-assign-precision="samples=%t/x.npy min-sqnr=30 weight-layouts=per-channel" -o /dev/null 2>&1 | FileCheck %s --check-prefix=KEPT-FLOAT
// RUN: not quant-opt %s --qa-assign-precision="samples=%t/x.npy" 2>&1 | FileCheck %s --check-prefix=NO-BUDGET
// RUN: not quant-opt %s --qa-assign-precision="samples=%t/x.npy max-accuracy-drop=1" 2>&1 | FileCheck %s --check-prefix=NO-LABELS
// RUN: not quant-opt %s --qa-assign-precision="samples=%t/x.npy min-sqnr=1 objective=speed" 2>&1 | FileCheck %s --check-prefix=OBJECTIVE
// RUN: not quant-opt %s --qa-assign-precision="samples=%t/x.npy min-sqnr=1 weight-bits=3" 2>&1 | FileCheck %s --check-prefix=WIDTH
// RUN: not quant-opt %s --qa-assign-precision="min-sqnr=1" 2>&1 | FileCheck %s --check-prefix=NO-SAMPLES
// RUN: not quant-opt %s --qa-assign-precision="samples=%t/x.npy min-sqnr=1" 2>&1 | FileCheck %s --check-prefix=NO-RANGES

// Known by construction: @chain's first and last layers have weights of at
// most one magnitude per output channel (0.5 or 1, and 0), exact at 2 bits,
// so the cheapest width is free for them; the middle layer's channels
// [1, 0.5, 0.25, 0.125] lose most at 2 bits, about 27 dB of output SQNR at
// 4 bits and little at 8. With scales per channel, at 30 dB it must stay at
// 8 bits, at 20 dB 4 bits suffice; above what 8-bit activations allow
// (40 dB) nothing fits.

// @wide (Inputs/wide_range_model.mlir): its middle layer has a dynamic range of 1000 within each channel
// (1000 and 1), and reads an input whose first channel is 1000 times smaller
// than the others: only 16-bit weights keep the 1s next to 1000 (at 8 bits
// the step is 1000/127 and they round to 0), and only 16-bit activations
// keep that small channel. The first and last layers are exact at 2 bits.
// WIDE-LABEL: func.func @wide
// WIDE: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s2, symmetric, per_channel(2)>}
// WIDE: tosa.matmul {{.*}}qa.precision = #qa.precision<s16, asymmetric, per_tensor>
// WIDE: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s16, symmetric, per_channel(2)>}
// WIDE: tosa.matmul {{.*}}qa.precision = #qa.precision<s8, asymmetric, per_tensor>
// WIDE: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s2, symmetric, per_channel(2)>}

// SQNR30: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s2, symmetric, per_channel(2)>}
// SQNR30: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s8, symmetric, per_channel(2)>}
// SQNR30: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s2, symmetric, per_channel(2)>}
// SQNR20: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s2, symmetric, per_channel(2)>}
// SQNR20: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s4, symmetric, per_channel(2)>}
// SQNR20: "tosa.const"() {{.*}} {qa.precision = #qa.precision<s2, symmetric, per_channel(2)>}

// The report: each layer's choice, cost share and error alone; the totals
// against uniform 8-bit and the verified SQNR. Size costs: 16 weights and 4
// scales of 32 bits per layer (256 bits at 8 bits, 160 at 2) plus the 4
// input activations at 8 bits (32).
// TABLE: qa-assign-precision: @chain, 64 samples, objective size, budget min-sqnr 30.0 dB
// TABLE: tosa.matmul_0 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w2 per-channel {{ *}}192
// TABLE: tosa.matmul_1 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w8 per-channel {{ *}}288
// TABLE: tosa.matmul_2 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w2 per-channel {{ *}}192
// TABLE: weight bits (with scales): 576, uniform 8-bit 768 (25.0% fewer); cost 672, uniform 8-bit 864
// TABLE: verified: output SQNR {{[3-9][0-9]\.[0-9]+}} dB
// JSON: "choice": "a8 w8 per-channel"
// JSON: "uniform_int8_weight_bits": 768
// JSON: "weight_bits": 576

// Every channel of each layer has the same largest magnitude, so one scale
// per tensor loses nothing and costs one scale instead of four.
// LAYOUTS: tosa.matmul_0 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w2 per-tensor {{ *}}96
// LAYOUTS: tosa.matmul_1 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w8 per-tensor {{ *}}192
// LAYOUTS: tosa.matmul_2 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w2 per-tensor {{ *}}96
// BAD-LAYOUT: error: weight-layouts: unknown layout 'per-row': expected per-channel, asymmetric-per-channel or per-tensor

// Latency priced by the AVX2 descriptor: 4-bit weights take the vpmaddubsw
// path (32 MACs per cycle: 16 MACs cost 0.50), 8-bit ones the exact
// vpmaddwd path (27: 0.59).
// 2-bit weights cost what 4-bit ones do and are as exact for the outer
// layers, so the tie goes to the first candidate, 4 bits.
// AVX2: objective latency
// AVX2: tosa.matmul_0 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w4 per-channel {{ *}}0.50
// AVX2: tosa.matmul_1 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w8 per-channel {{ *}}0.59
// AVX2: tosa.matmul_2 {{ *}}tosa.matmul {{ *}}16 {{ *}}16 a8 w4 per-channel {{ *}}0.50
// AVX2: cost 1.59, uniform 8-bit 1.78
// BAD-TARGET: error: unknown target 'vax': expected host, x86_64-avx512vnni, x86_64-avx2, aarch64-dotprod, aarch64-i8mm, aarch64-neon or riscv64-rvv

// ACCURACY: budget max-accuracy-drop 0.00 points (float
// ACCURACY: verified: {{.*}}, accuracy [[ACC:[0-9.]+]]% (float [[ACC]]%)

// Binary activations and weights are candidates of fully-connected layers;
// the latency objective counts MACs.
// LATENCY: objective latency
// LATENCY: weight bits

// What qa-quantize makes of it.
// QUANTIZED: qa.constant {{.*}} : tensor<4x4xi2>
// QUANTIZED: qa.constant {{.*}} : tensor<4x4xi8>
// QUANTIZED: qa.constant {{.*}} : tensor<4x4xi2>

// Pooling and reshapes keep their input's integers: a 4-bit choice for the
// layers after them is made where those integers are made, so every layer
// reads 4-bit activations.
// BEHIND-POOL: qa.conv2d {{.*}} : (tensor<1x8x8x1x!quant.uniform<i4
// BEHIND-POOL: qa.conv2d {{.*}} : (tensor<1x4x4x8x!quant.uniform<i4
// BEHIND-POOL: qa.fully_connected {{.*}} : (tensor<1x1x64x!quant.uniform<i4

// SHARED: error: qa-assign-precision does not assign weights shared by several layers
// SHARED: note: also read here

// The residual add reads the layer's input too: no binary signs for it.
// RESIDUAL-NOT: a:binary
// RESIDUAL: tosa.matmul_0 {{ *}}tosa.matmul {{.*}} a8 w
// RESIDUAL-NOT: a:binary
// RESIDUAL: qa.fully_connected

// A layer qa-quantize keeps float has nothing to choose and saves nothing.
// KEPT-FLOAT: remark: qa-assign-precision leaves this layer out: qa-quantize keeps it float
// KEPT-FLOAT-NOT: tosa.matmul_1
// KEPT-FLOAT: weight bits (with scales): 320, uniform 8-bit 512

// INFEASIBLE: error: no precision assignment meets the budget (min-sqnr 40.0 dB): the most accurate one measures SQNR {{[0-9.]+}} dB
// NO-BUDGET: error: qa-assign-precision needs a budget: min-sqnr=<dB> and/or max-accuracy-drop=<points> (with labels)
// NO-LABELS: error: max-accuracy-drop needs labels=<.npy>
// OBJECTIVE: error: unknown objective 'speed': expected size or latency
// WIDTH: error: weight-bits: 3 is not 1 (binary), 2, 4, 8 or 16
// NO-SAMPLES: error: qa-assign-precision needs samples=<.npy files> to measure the model on
// NO-RANGES: error: qa-quantize needs a qa.range for this value
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
