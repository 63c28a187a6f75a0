/* Classifies digits with the MLP that quant-compile turned into mlp.o and
 * mlp.h (see scripts/demo): reads raw float32 images (MLP_ARG0_ELEMENTS each)
 * and int64 labels, prints the accuracy of the integer model.
 *
 *   quant-compile examples/mlp/float.mlir --samples=examples/mlp/samples.npy \
 *     -o mlp.o --header mlp.h
 *   cc -I. examples/mlp/classify.c mlp.o -o classify
 *   ./classify images.raw labels.raw
 */
#include "mlp.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s images.raw labels.raw\n", argv[0]);
    return 2;
  }
  FILE *images = fopen(argv[1], "rb"), *labels = fopen(argv[2], "rb");
  if (!images || !labels) {
    perror("classify");
    return 2;
  }
  float image[MLP_ARG0_ELEMENTS], logits[MLP_RESULT0_ELEMENTS];
  int64_t label;
  long total = 0, correct = 0;
  while (fread(image, sizeof(image), 1, images) == 1 &&
         fread(&label, sizeof(label), 1, labels) == 1) {
    mlp(image, logits);
    int best = 0;
    for (int i = 1; i < MLP_RESULT0_ELEMENTS; ++i)
      if (logits[i] > logits[best])
        best = i;
    correct += best == label;
    ++total;
  }
  printf("  the C program linked to mlp.o: %ld of %ld images right (%.2f%%)\n",
         correct, total, total ? 100.0 * correct / total : 0.0);
  return total == 0;
}
