/* Calls the compiled @interface_types through its generated prototype and
 * prints what came back in each result. */
#include "interface_types.h"

#include <stdio.h>

int main(void) {
  const double f64[INTERFACE_TYPES_ARG0_ELEMENTS] = {0.25, -1e300};
  const int16_t i16[INTERFACE_TYPES_ARG1_ELEMENTS] = {-32768, 7, 32767};
  const uint8_t u8[INTERFACE_TYPES_ARG2_ELEMENTS] = {0, 10, 200, 255};
  const int32_t i32[INTERFACE_TYPES_ARG3_ELEMENTS] = {-1};
  uint8_t u8Out[INTERFACE_TYPES_RESULT0_ELEMENTS];
  double f64Out[INTERFACE_TYPES_RESULT1_ELEMENTS];
  int16_t i16Out[INTERFACE_TYPES_RESULT2_ELEMENTS];
  interface_types(f64, i16, u8, i32, u8Out, f64Out, i16Out);
  for (int i = 0; i < INTERFACE_TYPES_RESULT0_ELEMENTS; ++i)
    printf("u8 %d real %g\n", u8Out[i],
           INTERFACE_TYPES_RESULT0_SCALE *
               (u8Out[i] - INTERFACE_TYPES_RESULT0_ZERO_POINT));
  for (int i = 0; i < INTERFACE_TYPES_RESULT1_ELEMENTS; ++i)
    printf("f64 %g\n", f64Out[i]);
  for (int i = 0; i < INTERFACE_TYPES_RESULT2_ELEMENTS; ++i)
    printf("i16 %d\n", i16Out[i]);
  return 0;
}
