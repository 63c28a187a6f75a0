// RUN: quant-opt %s --test-qa-float-ranges -split-input-file -verify-diagnostics

// Control flow and loops: block arguments join their predecessors, and a
// loop-carried value that keeps growing is widened so the analysis ends.

// expected-remark @+1 {{block argument #0: [0.000000e+00, 1.000000e+00] proven}}
func.func @contracting_loop(%x: f32 {qa.range = #qa.range<0.0, 1.0, proven>}, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @+1 {{result #0: [5.000000e-01, 5.000000e-01] proven}}
  %half = arith.constant 0.5 : f32
  // acc = acc / 2 + 1/2 maps [0, 1] into [0.5, 1]: [0, 1] is the fixpoint.
  // expected-remark @+2 {{block argument #1: [0.000000e+00, 1.000000e+00] proven}}
  // expected-remark @+1 {{result #0: [0.000000e+00, 1.000000e+00] proven}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (f32) {
    // expected-remark @+1 {{result #0: [0.000000e+00, 5.000000e-01] proven}}
    %m = arith.mulf %acc, %half : f32
    // expected-remark @+1 {{result #0: [5.000000e-01, 1.000000e+00] proven}}
    %a = arith.addf %m, %half : f32
    scf.yield %a : f32
  }
  return %r : f32
}

// -----

// expected-remark @+1 {{block argument #0: [0.000000e+00, 1.000000e+00] proven}}
func.func @growing_loop(%x: f32 {qa.range = #qa.range<0.0, 1.0, proven>}, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-remark @+1 {{result #0: [5.000000e-01, 5.000000e-01] proven}}
  %half = arith.constant 0.5 : f32
  // acc grows by 1/2 each trip: the upper bound is widened to infinity, the
  // lower bound, which never moves, stays 0.
  // expected-remark @+2 {{block argument #1: [0.000000e+00, INF] proven}}
  // expected-remark @+1 {{result #0: [0.000000e+00, INF] proven}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (f32) {
    // expected-remark @+1 {{result #0: [5.000000e-01, INF] proven}}
    %a = arith.addf %acc, %half : f32
    scf.yield %a : f32
  }
  return %r : f32
}

// -----

// expected-remark @+1 {{block argument #0: [-1.000000e+00, 1.000000e+00] proven}}
func.func @branches(%x: f32 {qa.range = #qa.range<-1.0, 1.0, proven>}, %c: i1) -> f32 {
  // The result of scf.if is the hull of its branches: [-1, 1] and [2, 2].
  // expected-remark @+1 {{result #0: [-1.000000e+00, 2.000000e+00] proven}}
  %r = scf.if %c -> f32 {
    scf.yield %x : f32
  } else {
    // expected-remark @+1 {{result #0: [2.000000e+00, 2.000000e+00] proven}}
    %two = arith.constant 2.0 : f32
    scf.yield %two : f32
  }
  return %r : f32
}

// -----

// expected-remark @+1 {{block argument #0: unbounded}}
func.func @unranged_argument(%x: f32) -> f32 {
  // expected-remark @+1 {{result #0: [0.000000e+00, INF] proven}}
  %r = math.absf %x : f32
  return %r : f32
}
