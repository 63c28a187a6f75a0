// A model for report-error.mlir without inputs.
func.func @f() -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %x = "tosa.const"() <{values = dense<[[[0.5, 0.25]]]> : tensor<1x1x2xf32>}> : () -> tensor<1x1x2xf32>
  %w = "tosa.const"() <{values = dense<[[[0.5, 0.25], [-1.0, 0.75]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %m = tosa.matmul %x, %w, %zp, %zp {qa.range = #qa.range<-2.0, 2.0>} : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %m : tensor<1x1x2xf32>
}
