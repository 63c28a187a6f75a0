// A model with an op that has no quantized form (tosa.sin): quant-compile
// leaves it float, or with --integer-only refuses the model.
func.func @wave(%x: tensor<1x4xf32> {qa.range = #qa.range<0.0, 1.0, proven>}) -> tensor<1x4xf32> {
  %0 = tosa.sin %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
