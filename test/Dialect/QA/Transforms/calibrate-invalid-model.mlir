// Models qa-calibrate cannot run get an error at the culprit.
// RUN: rm -rf %t && %python %S/Inputs/write_npy.py %t
// RUN: quant-opt %s --split-input-file --qa-calibrate="samples=%t/x.npy" -verify-diagnostics

// expected-error @+1 {{@constant has no inputs: there is nothing to run it on}}
func.func @constant() -> tensor<4xf32> {
  %c = "tosa.const"() <{values = dense<1.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// expected-error @+1 {{cannot compile @erf for calibration (see the errors above)}}
func.func @erf(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'math.erf' cannot be compiled for the host: no lowering to LLVM}}
  %e = tosa.erf %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %e : tensor<1x4xf32>
}

// -----

// expected-error @+2 {{argument #0 has type 'tensor<?x4xf32>'; the host JIT needs tensors of static shape with integer or float elements}}
// expected-error @+1 {{cannot compile @dynamic for calibration}}
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{the module has 2 public functions with a body; choose one with function=<name>}}
module {
  func.func @a(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
    return %x : tensor<1x4xf32>
  }
  func.func @b(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
    return %x : tensor<1x4xf32>
  }
}
