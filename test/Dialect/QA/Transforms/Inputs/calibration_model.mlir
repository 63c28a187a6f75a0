// The model of calibrate-methods.test: relu(x * 0.5 - 0.25). Every value is
// exact in float32 for the dyadic samples that test uses.
func.func @model(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %half = "tosa.const"() <{values = dense<0.5> : tensor<1x64xf32>}> : () -> tensor<1x64xf32>
  %quarter = "tosa.const"() <{values = dense<0.25> : tensor<1x64xf32>}> : () -> tensor<1x64xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scaled = tosa.mul %x, %half, %shift : (tensor<1x64xf32>, tensor<1x64xf32>, tensor<1xi8>) -> tensor<1x64xf32>
  %shifted = tosa.sub %scaled, %quarter : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x64xf32>
  %relu = tosa.clamp %shifted {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x64xf32>) -> tensor<1x64xf32>
  return %relu : tensor<1x64xf32>
}
