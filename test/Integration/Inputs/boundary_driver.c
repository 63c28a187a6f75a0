/* Checks what a generated header says of the quantization at its model's
 * boundary (<PREFIX>_ARG0_QUANTIZED_* and <PREFIX>_RESULT0_QUANTIZED_*)
 * against the model itself, on the raw float32 inputs of argv[1]:
 *  - each input moved onto the grid the header states (quantized with its
 *    scale, zero point, storage range and tie rule, in float32 as the model
 *    does, then dequantized) gives exactly the results of the input itself;
 *  - so does an input made of ties (reals whose float32 quotient by the
 *    scale is exactly halfway between two levels), where the tie rule
 *    decides the level;
 *  - every result is SCALE * (stored - ZERO_POINT) for an integer stored in
 *    STORAGE_MIN..STORAGE_MAX.
 *
 * Build with -include <header> -DENTRY=<entry point> -DPREFIX=<the prefix of
 * the header's macros>, as model_driver.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CONCAT(a, b) a##b
#define HEADER_MACRO(prefix, name) CONCAT(prefix, name)
#define ARG0(name) HEADER_MACRO(PREFIX, CONCAT(_ARG0_, name))
#define RESULT0(name) HEADER_MACRO(PREFIX, CONCAT(_RESULT0_, name))

/* The stored value of `real` by the input quantization of the header. */
static float quantizeInput(float real) {
  float scaled = real / (float)ARG0(QUANTIZED_SCALE);
  float rounded = ARG0(QUANTIZED_TIES_TO_EVEN) ? nearbyintf(scaled)
                                               : roundf(scaled);
  float stored = rounded + ARG0(QUANTIZED_ZERO_POINT);
  return fminf(fmaxf(stored, ARG0(QUANTIZED_STORAGE_MIN)),
               ARG0(QUANTIZED_STORAGE_MAX));
}

/* Runs the model on `input` into `result`; whether it gives the same
 * results for `input` moved onto the input grid. Counts the values that
 * move. */
static int sameOnGrid(const float *input, float *result, long *moved) {
  float onGrid[ARG0(ELEMENTS)], gridResult[RESULT0(ELEMENTS)];
  for (int i = 0; i < ARG0(ELEMENTS); ++i) {
    onGrid[i] = (float)ARG0(QUANTIZED_SCALE) *
                (quantizeInput(input[i]) - ARG0(QUANTIZED_ZERO_POINT));
    *moved += onGrid[i] != input[i];
  }
  ENTRY(input, result);
  ENTRY(onGrid, gridResult);
  return memcmp(result, gridResult, sizeof(gridResult)) == 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s inputs.raw\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) {
    perror("boundary_driver");
    return 2;
  }
  float input[ARG0(ELEMENTS)], result[RESULT0(ELEMENTS)];
  long count = 0, moved = 0, changed = 0, offGrid = 0;
  while (fread(input, sizeof(input), 1, in) == 1) {
    changed += !sameOnGrid(input, result, &moved);
    for (int i = 0; i < RESULT0(ELEMENTS); ++i) {
      double stored = result[i] / RESULT0(QUANTIZED_SCALE) +
                      RESULT0(QUANTIZED_ZERO_POINT);
      double level = nearbyint(stored);
      offGrid += fabs(stored - level) > 1e-3 ||
                 level < RESULT0(QUANTIZED_STORAGE_MIN) ||
                 level > RESULT0(QUANTIZED_STORAGE_MAX);
    }
    ++count;
  }
  /* Ties k + 1/2 between levels in range, repeated to fill an input. */
  float ties[ARG0(ELEMENTS)];
  int found = 0;
  for (long k = ARG0(QUANTIZED_STORAGE_MIN);
       k < ARG0(QUANTIZED_STORAGE_MAX) && found < ARG0(ELEMENTS); ++k) {
    float half = (float)(k - ARG0(QUANTIZED_ZERO_POINT)) + 0.5f;
    float real = half * (float)ARG0(QUANTIZED_SCALE);
    if (real / (float)ARG0(QUANTIZED_SCALE) == half)
      ties[found++] = real;
  }
  if (!found) {
    printf("no ties found at this scale\n");
    return 1;
  }
  for (int i = found; i < ARG0(ELEMENTS); ++i)
    ties[i] = ties[i % found];
  long tiesMoved = 0;
  int tiesSame = sameOnGrid(ties, result, &tiesMoved);
  printf("%ld inputs (%ld values moved onto the grid): %ld with other "
         "results\n",
         count, moved, changed);
  printf("ties: %s results (%ld values moved)\n",
         tiesSame ? "the same" : "other", tiesMoved);
  printf("%ld results off the output grid\n", offGrid);
  return changed || !tiesSame || offGrid || !moved;
}
