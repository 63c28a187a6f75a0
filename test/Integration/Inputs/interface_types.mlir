// Passes its arguments through: which C type each element type gets, and
// in which order the pointers come, are all the test looks at.
func.func @interface_types(%f64: tensor<2xf64>, %i16: tensor<3xi16>,
                           %u8: tensor<2x2x!quant.uniform<u8:f32, 0.5:10>>,
                           %i32: tensor<1xi32>)
    -> (tensor<2x2x!quant.uniform<u8:f32, 0.5:10>>, tensor<2xf64>, tensor<3xi16>) {
  return %u8, %f64, %i16 : tensor<2x2x!quant.uniform<u8:f32, 0.5:10>>, tensor<2xf64>, tensor<3xi16>
}
