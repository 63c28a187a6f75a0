// RUN: quant-opt %s --split-input-file --allow-unregistered-dialect --pass-pipeline="builtin.module(func.func(qa-promote-buffers-to-stack))" | FileCheck %s
// RUN: quant-opt %s --split-input-file --allow-unregistered-dialect --pass-pipeline="builtin.module(func.func(qa-promote-buffers-to-stack{max-bytes=64}))" | FileCheck %s --check-prefix=SMALL
// RUN: not quant-opt %s --allow-unregistered-dialect --pass-pipeline="builtin.module(func.func(qa-promote-buffers-to-stack{max-bytes=-1}))" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: promote-buffers-to-stack.mlir:{{[0-9]+}}:1: error: qa-promote-buffers-to-stack: max-bytes must not be negative

// A buffer allocated once per call, used through a view and freed at the
// end: on the stack at the start of the entry block, the free gone. With a
// 64-byte budget, the first (64 bytes) fits and the second stays on the
// heap.
// CHECK-LABEL: func.func @per_call
// CHECK-NEXT: %[[SECOND:.*]] = memref.alloca() {alignment = 64 : i64} : memref<4x4xi32>
// CHECK-NEXT: %[[FIRST:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xi32>
// CHECK-NOT: memref.alloc(
// CHECK-NOT: memref.dealloc
// CHECK: return
// SMALL-LABEL: func.func @per_call
// SMALL-NEXT: memref.alloca() {alignment = 64 : i64} : memref<16xi32>
// SMALL: memref.alloc() {alignment = 64 : i64} : memref<4x4xi32>
// SMALL: memref.dealloc
// SMALL-NOT: memref.dealloc
// SMALL: return
func.func @per_call(%x: memref<16xi32>, %out: memref<4x4xi32>) {
  %c0 = arith.constant 0 : index
  %first = memref.alloc() {alignment = 64 : i64} : memref<16xi32>
  memref.copy %x, %first : memref<16xi32> to memref<16xi32>
  %second = memref.alloc() {alignment = 64 : i64} : memref<4x4xi32>
  %flat = memref.expand_shape %first [[0, 1]] output_shape [4, 4] : memref<16xi32> into memref<4x4xi32>
  memref.copy %flat, %second : memref<4x4xi32> to memref<4x4xi32>
  memref.copy %second, %out : memref<4x4xi32> to memref<4x4xi32>
  memref.dealloc %first : memref<16xi32>
  memref.dealloc %second : memref<4x4xi32>
  return
}

// -----

// Buffers that may outlive the call or be freed otherwise stay on the heap:
// returned, passed to a call, freed through a view, chosen by a select,
// carried by a loop (and returned from it), allocated in a loop, or of a
// dynamic size.
// CHECK-LABEL: func.func @escaping
// CHECK-NOT: memref.alloca
// CHECK-COUNT-7: = memref.alloc(
// CHECK-NOT: memref.alloca
// CHECK: return
func.func private @keep(memref<8xi8>)
func.func @escaping(%flag: i1, %n: index) -> memref<8xi8> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %returned = memref.alloc() : memref<8xi8>
  %passed = memref.alloc() : memref<8xi8>
  func.call @keep(%passed) : (memref<8xi8>) -> ()
  %viewed = memref.alloc() : memref<8xi8>
  %cast = memref.cast %viewed : memref<8xi8> to memref<?xi8>
  memref.dealloc %cast : memref<?xi8>
  %chosen = memref.alloc() : memref<8xi8>
  %either = arith.select %flag, %chosen, %returned : memref<8xi8>
  memref.dealloc %either : memref<8xi8>
  scf.for %i = %c0 to %c4 step %c1 {
    %looped = memref.alloc() : memref<8xi8>
    memref.dealloc %looped : memref<8xi8>
  }
  %sized = memref.alloc(%n) : memref<?xi8>
  memref.dealloc %sized : memref<?xi8>
  %carried = memref.alloc() : memref<8xi8>
  %last = scf.for %i = %c0 to %c4 step %c1 iter_args(%b = %carried) -> (memref<8xi8>) {
    scf.yield %b : memref<8xi8>
  }
  func.call @keep(%last) : (memref<8xi8>) -> ()
  return %returned : memref<8xi8>
}

// -----

// A transposed view returned, a conditional dealloc of the bufferization
// dialect, an op of an unknown dialect, an index buffer (no byte size
// without a data layout): all stay on the heap.
// CHECK-LABEL: func.func @other_users
// CHECK-NOT: memref.alloca
// CHECK-COUNT-4: = memref.alloc(
// CHECK-NOT: memref.alloca
// CHECK: return
func.func @other_users(%flag: i1) -> memref<4x2xf32, strided<[1, 4]>> {
  %a = memref.alloc() : memref<2x4xf32>
  %t = memref.transpose %a (i, j) -> (j, i) : memref<2x4xf32> to memref<4x2xf32, strided<[1, 4]>>
  %b = memref.alloc() : memref<8xi8>
  bufferization.dealloc (%b : memref<8xi8>) if (%flag)
  %c = memref.alloc() : memref<8xi8>
  "unknown.use"(%c) : (memref<8xi8>) -> ()
  %d = memref.alloc() : memref<4xindex>
  memref.dealloc %d : memref<4xindex>
  return %t : memref<4x2xf32, strided<[1, 4]>>
}

// -----

// The stack buffers the function already has count against the budget.
// SMALL-LABEL: func.func @budget_taken
// SMALL: memref.alloca() : memref<64xi8>
// SMALL: memref.alloc() : memref<8xi8>
// SMALL: memref.dealloc
func.func @budget_taken(%x: memref<8xi8>) {
  %packed = memref.alloca() : memref<64xi8>
  %a = memref.alloc() : memref<8xi8>
  memref.copy %x, %a : memref<8xi8> to memref<8xi8>
  memref.dealloc %a : memref<8xi8>
  return
}
