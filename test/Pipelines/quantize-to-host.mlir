// RUN: quant-opt %s --qa-quantize-to-host="target=x86_64-avx2" | FileCheck %s
// RUN: quant-opt %s --qa-quantize-to-host="target=riscv64-rvv" | FileCheck %s --check-prefix=RVV
// RUN: quant-opt %s --qa-quantize-to-host="lower-to-llvm=false" | FileCheck %s --check-prefix=INTEGER
// RUN: not quant-opt %s --qa-quantize-to-host="weight-bits=3" 2>&1 | FileCheck %s --check-prefix=FORWARDED
// RUN: not quant-opt %s --qa-quantize-to-host="weight-bits=three" 2>&1 | FileCheck %s --check-prefix=PARSE

// The whole flow on a fully-connected layer with a proven input range: it
// reaches the LLVM dialect with one pointer per argument and result, and
// nothing of the input dialects is left. The contraction is the target's
// micro-kernel: full-range weights on AVX2 take vpmaddwd; RISC-V V gets
// scalable vectors (vscale) of i32 sums.
// CHECK-NOT: func.func
// CHECK-LABEL: llvm.func @fc
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: tosa.
// CHECK-NOT: qa.
// CHECK-NOT: linalg.
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK: llvm.return
// RVV-LABEL: llvm.func @fc
// RVV: llvm.intr.vscale
// RVV: llvm.mul %{{.*}} : vector<[8]xi32>
// RVV: llvm.return

// Stopped at the integer graph: the quantized layer is an i32 contraction
// of i8 values between a quantize and a dequantize island, and the
// signature is still the float model's.
// INTEGER-LABEL: func.func @fc
// INTEGER-SAME: -> tensor<1x1x2xf32>
// INTEGER-NOT: tosa.matmul
// INTEGER-NOT: qa.fully_connected
// INTEGER: ins(%{{.*}}, %{{.*}} : tensor<1x4xi8>, tensor<2x4xi8>) outs(%{{.*}} : tensor<1x2xi32>)
// INTEGER-NOT: arith.mulf
// INTEGER: arith.muli %{{.*}} : i32
// INTEGER: return

// Options reach the passes, which check them.
// FORWARDED: quantize-to-host.mlir:[[@LINE+2]]:1: error: activation-bits and weight-bits must be 1 (binary), 2, 4, 8 or 16
// PARSE: 'three' value invalid for uint argument
func.func @fc(%x: tensor<1x1x4xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[0.5, -1.0], [0.25, 0.75], [-0.5, 1.0], [1.0, 0.125]]]> : tensor<1x4x2xf32>}> : () -> tensor<1x4x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}
