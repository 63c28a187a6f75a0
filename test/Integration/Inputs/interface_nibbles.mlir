// 4-bit quantized buffers are held one value per byte.
func.func @nibbles(%x: tensor<4x!quant.uniform<u4:f32, 0.5:3>>) -> tensor<4x!quant.uniform<u4:f32, 0.5:3>> {
  return %x : tensor<4x!quant.uniform<u4:f32, 0.5:3>>
}
