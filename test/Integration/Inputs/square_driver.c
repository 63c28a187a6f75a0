/* Calls the compiled @square and checks that it leaves its const input
 * alone and writes the squares to its result. */
#include "square.h"

#include <stdio.h>

int main(void) {
  float x[SQUARE_ARG0_ELEMENTS] = {-2.0f, -0.5f, 1.5f, 2.0f};
  float y[SQUARE_RESULT0_ELEMENTS];
  square(x, y);
  for (int i = 0; i < SQUARE_ARG0_ELEMENTS; ++i)
    printf("%g -> %g\n", x[i], y[i]);
  return 0;
}
