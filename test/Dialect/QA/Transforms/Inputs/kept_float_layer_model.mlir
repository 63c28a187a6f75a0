// assign-precision.mlir's @chain with its middle layer marked qa.keep_float.
func.func @chain(%x: tensor<1x1x4xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x1x4xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w0 = "tosa.const"() <{values = dense<[[[1.0, 0.0, 0.0, -1.0], [0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]]]> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %m0 = tosa.matmul %x, %w0, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %w1 = "tosa.const"() <{values = dense<[[[1.0, 0.125, 0.25, 0.5], [0.5, 1.0, 0.125, 0.25], [0.25, 0.5, 1.0, 0.125], [0.125, 0.25, 0.5, 1.0]]]> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %m1 = tosa.matmul %m0, %w1, %zp, %zp {qa.keep_float} : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %w2 = "tosa.const"() <{values = dense<[[[0.5, 0.0, 0.0, 0.0], [0.0, -0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.0, 0.5]]]> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %m2 = tosa.matmul %m1, %w2, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  return %m2 : tensor<1x1x4xf32>
}
