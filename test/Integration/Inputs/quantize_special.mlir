func.func @quantize(%x: tensor<6xf32>) -> tensor<6x!quant.uniform<i8:f32, 0.5:3>> {
  %q = qa.quantize %x : tensor<6xf32> -> tensor<6x!quant.uniform<i8:f32, 0.5:3>>
  return %q : tensor<6x!quant.uniform<i8:f32, 0.5:3>>
}
