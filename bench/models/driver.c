/* Single-thread latency and top-1 accuracy of one example model compiled two
 * ways, linked into one program (see bench/models/README.md):
 *
 *   MODEL          the int8 model quant-compile made (MODEL_int8.o and the
 *                  header MODEL_int8.h, which declares
 *                  void MODEL(const float *arg0, float *result0)),
 *   MODEL_float    the float model lowered without quantization (qa-tensor-
 *                  to-llvm, the same LLVM -O2 + codegen -O3 for the host),
 *                  its symbol renamed; bench/models/run.py checks that its
 *                  LLVM signature is the same two pointers.
 *
 * Built by bench/models/run.py as
 *   cc -O2 -march=native -DMODEL=mlp -DPREFIX=MLP '-DMODEL_HEADER="mlp_int8.h"' \
 *      driver.c mlp_int8.o mlp_float.o -o bench_mlp
 *   ./bench_mlp images.raw labels.raw MIN_REPS MIN_SECONDS [logits_prefix]
 *
 * images.raw: float32 images, PREFIX_ARG0_ELEMENTS each (one call's batch);
 * labels.raw: one int64 label per image. Every image runs once through each
 * model (warm-up; its logits give the accuracy and are written to
 * logits_prefix{float,int8}.raw when given), then repetitions over all
 * images alternate between the two models (which one goes first alternates
 * too), each timed with clock_gettime(CLOCK_MONOTONIC), until both have at
 * least MIN_REPS repetitions and MIN_SECONDS of timed work. Prints key=value
 * lines; times are per image (per call) in microseconds. */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include MODEL_HEADER /* declares the int8 entry point and the shape macros */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define STR_(a) #a
#define STR(a) STR_(a)
#define ARG_ELEMENTS CAT(PREFIX, _ARG0_ELEMENTS)
#define RESULT_ELEMENTS CAT(PREFIX, _RESULT0_ELEMENTS)
#define INT8_FN MODEL
#define FLOAT_FN CAT(MODEL, _float)

void FLOAT_FN(const float *arg0, float *result0);

typedef void (*entry_fn)(const float *, float *);

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long length = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = malloc(length > 0 ? (size_t)length : 1);
  if (!data || fread(data, 1, (size_t)length, f) != (size_t)length) {
    fprintf(stderr, "%s: cannot read\n", path);
    exit(2);
  }
  fclose(f);
  *size = (size_t)length;
  return data;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Runs every image once; returns the seconds taken. */
static double run_all(entry_fn fn, const float *images, float *logits,
                      long count) {
  double start = now_seconds();
  for (long i = 0; i < count; ++i)
    fn(images + i * ARG_ELEMENTS, logits + i * RESULT_ELEMENTS);
  return now_seconds() - start;
}

static long correct_count(const float *logits, const int64_t *labels,
                          long count) {
  long correct = 0;
  for (long i = 0; i < count; ++i) {
    const float *row = logits + i * RESULT_ELEMENTS;
    int best = 0;
    for (int j = 1; j < RESULT_ELEMENTS; ++j)
      if (row[j] > row[best])
        best = j;
    correct += best == labels[i];
  }
  return correct;
}

static void write_logits(const char *prefix, const char *variant,
                         const float *logits, long count) {
  char path[4096];
  snprintf(path, sizeof(path), "%s%s.raw", prefix, variant);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(logits, sizeof(float) * RESULT_ELEMENTS, (size_t)count, f) !=
                (size_t)count ||
      fclose(f) != 0) {
    fprintf(stderr, "%s: cannot write\n", path);
    exit(2);
  }
}

static void report(const char *variant, double *per_image, long reps) {
  qsort(per_image, (size_t)reps, sizeof(double), compare_doubles);
  /* Nearest-rank percentiles of the per-repetition per-image times. */
  double median = reps % 2 ? per_image[reps / 2]
                           : 0.5 * (per_image[reps / 2 - 1] + per_image[reps / 2]);
  printf("%s_reps=%ld\n", variant, reps);
  printf("%s_min_us=%.4f\n", variant, 1e6 * per_image[0]);
  printf("%s_p10_us=%.4f\n", variant, 1e6 * per_image[reps / 10]);
  printf("%s_median_us=%.4f\n", variant, 1e6 * median);
  printf("%s_p90_us=%.4f\n", variant, 1e6 * per_image[(reps * 9) / 10]);
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    fprintf(stderr,
            "usage: %s images.raw labels.raw MIN_REPS MIN_SECONDS "
            "[logits_prefix]\n",
            argv[0]);
    return 2;
  }
  size_t image_bytes, label_bytes;
  float *images = read_file(argv[1], &image_bytes);
  int64_t *labels = read_file(argv[2], &label_bytes);
  long count = (long)(label_bytes / sizeof(int64_t));
  if (count == 0 ||
      image_bytes != (size_t)count * ARG_ELEMENTS * sizeof(float)) {
    fprintf(stderr,
            "%zu bytes of images for %ld labels: expected %d floats per "
            "image\n",
            image_bytes, count, ARG_ELEMENTS);
    return 2;
  }
  long min_reps = atol(argv[3]);
  double min_seconds = atof(argv[4]);
  if (min_reps < 1)
    min_reps = 1;

  static const entry_fn fns[2] = {FLOAT_FN, INT8_FN};
  static const char *const names[2] = {"float", "int8"};
  float *logits[2];
  for (int v = 0; v < 2; ++v) {
    logits[v] = malloc(sizeof(float) * RESULT_ELEMENTS * (size_t)count);
    if (!logits[v]) {
      fprintf(stderr, "out of memory\n");
      return 2;
    }
  }

  /* Warm-up: every image once through each model; these logits are the
   * ones scored (the timed repetitions recompute the same values). */
  for (int v = 0; v < 2; ++v)
    run_all(fns[v], images, logits[v], count);
  printf("model=%s\nimages=%ld\n", STR(MODEL), count);
  for (int v = 0; v < 2; ++v) {
    long correct = correct_count(logits[v], labels, count);
    printf("%s_correct=%ld\n%s_accuracy=%.4f\n", names[v], correct, names[v],
           100.0 * (double)correct / (double)count);
    if (argc == 6)
      write_logits(argv[5], names[v], logits[v], count);
  }

  long capacity = 1024, reps = 0;
  double *per_image[2] = {malloc(sizeof(double) * capacity),
                          malloc(sizeof(double) * capacity)};
  double total[2] = {0, 0};
  while (reps < min_reps || total[0] < min_seconds || total[1] < min_seconds) {
    if (reps == capacity) {
      capacity *= 2;
      for (int v = 0; v < 2; ++v)
        per_image[v] = realloc(per_image[v], sizeof(double) * capacity);
    }
    if (!per_image[0] || !per_image[1]) {
      fprintf(stderr, "out of memory\n");
      return 2;
    }
    for (int k = 0; k < 2; ++k) {
      int v = (int)((reps + k) % 2);
      double seconds = run_all(fns[v], images, logits[v], count);
      total[v] += seconds;
      per_image[v][reps] = seconds / (double)count;
    }
    ++reps;
  }
  for (int v = 0; v < 2; ++v)
    report(names[v], per_image[v], reps);
  return 0;
}
