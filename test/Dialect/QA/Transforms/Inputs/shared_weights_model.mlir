// A model for assign-precision.mlir: two matmuls read the same weights.
func.func @two(%x: tensor<1x1x4xf32> {qa.range = #qa.range<-1.0, 1.0, proven>}) -> tensor<1x1x4xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %s = "tosa.const"() <{values = dense<0.01> : tensor<1x1x4xf32>}> : () -> tensor<1x1x4xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %w = "tosa.const"() <{values = dense<[[[1.0, 0.125, 0.25, 0.5], [0.5, 1.0, 0.125, 0.25], [0.25, 0.5, 1.0, 0.125], [0.125, 0.25, 0.5, 1.0]]]> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %a = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %y = tosa.mul %x, %s, %sh : (tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1xi8>) -> tensor<1x1x4xf32>
  %b = tosa.matmul %y, %w, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %o = tosa.add %a, %b : (tensor<1x1x4xf32>, tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
  return %o : tensor<1x1x4xf32>
}
