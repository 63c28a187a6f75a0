/* Runs the MLP that quant-compile compiled to an object file: reads raw
 * float32 images (MLP_ARG0_ELEMENTS each) from argv[1], writes the raw
 * float32 logits of each to argv[2], and fails if a call writes into its
 * input, which the generated header declares const. */
#include "mlp.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s images.raw logits.raw\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
  if (!in || !out) {
    perror("mlp_driver");
    return 2;
  }
  static const int64_t shape[] = MLP_ARG0_SHAPE;
  if (sizeof(shape) / sizeof(shape[0]) != MLP_ARG0_RANK) {
    fprintf(stderr, "MLP_ARG0_SHAPE does not have MLP_ARG0_RANK dims\n");
    return 1;
  }
  float image[MLP_ARG0_ELEMENTS], copy[MLP_ARG0_ELEMENTS];
  float logits[MLP_RESULT0_ELEMENTS];
  long count = 0;
  while (fread(image, sizeof(image), 1, in) == 1) {
    memcpy(copy, image, sizeof(image));
    mlp(image, logits);
    if (memcmp(copy, image, sizeof(image)) != 0) {
      fprintf(stderr, "image %ld: mlp() wrote into its const input\n", count);
      return 1;
    }
    fwrite(logits, sizeof(logits), 1, out);
    ++count;
  }
  printf("ran %ld images\n", count);
  return fclose(out) != 0;
}
