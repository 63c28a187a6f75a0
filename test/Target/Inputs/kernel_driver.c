/* Runs the fully-connected `layer` of kernel_layers.py that quant-compile
 * compiled: reads its input (one byte per element) from argv[1] and writes
 * the int16 outputs to argv[2]. */
#include "layer.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s input.raw output.raw\n", argv[0]);
    return 2;
  }
  static unsigned char input[LAYER_ARG0_ELEMENTS];
  static int16_t output[LAYER_RESULT0_ELEMENTS];
  FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
  if (!in || !out || fread(input, sizeof(input), 1, in) != 1) {
    perror("kernel_driver");
    return 2;
  }
  layer((const void *)input, output);
  return fwrite(output, sizeof(output), 1, out) != 1 || fclose(out) != 0;
}
