/* Runs a model that quant-compile compiled to an object file, through the C
 * header it wrote: reads raw float32 inputs (<PREFIX>_ARG0_ELEMENTS each)
 * from argv[1], writes the raw float32 results of each to argv[2], and fails
 * if a call writes into its input, which the header declares const.
 *
 * Build with -include <header> -DENTRY=<entry point> -DPREFIX=<the prefix of
 * the header's macros>, e.g. -include cnn.h -DENTRY=cnn -DPREFIX=CNN. */
#include <stdio.h>
#include <string.h>

#define CONCAT(a, b) a##b
#define HEADER_MACRO(prefix, name) CONCAT(prefix, name)
#define ARG0_RANK HEADER_MACRO(PREFIX, _ARG0_RANK)
#define ARG0_SHAPE HEADER_MACRO(PREFIX, _ARG0_SHAPE)
#define ARG0_ELEMENTS HEADER_MACRO(PREFIX, _ARG0_ELEMENTS)
#define RESULT0_ELEMENTS HEADER_MACRO(PREFIX, _RESULT0_ELEMENTS)

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s inputs.raw results.raw\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
  if (!in || !out) {
    perror("model_driver");
    return 2;
  }
  static const int64_t shape[] = ARG0_SHAPE;
  if (sizeof(shape) / sizeof(shape[0]) != ARG0_RANK) {
    fprintf(stderr, "the header's ARG0_SHAPE does not have ARG0_RANK dims\n");
    return 1;
  }
  float input[ARG0_ELEMENTS], copy[ARG0_ELEMENTS];
  float result[RESULT0_ELEMENTS];
  long count = 0;
  while (fread(input, sizeof(input), 1, in) == 1) {
    memcpy(copy, input, sizeof(input));
    ENTRY(input, result);
    if (memcmp(copy, input, sizeof(input)) != 0) {
      fprintf(stderr, "input %ld: the call wrote into its const input\n",
              count);
      return 1;
    }
    fwrite(result, sizeof(result), 1, out);
    ++count;
  }
  printf("ran %ld inputs\n", count);
  return fclose(out) != 0;
}
