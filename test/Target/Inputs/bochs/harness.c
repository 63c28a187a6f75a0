/* Bare-metal harness: makes the calls of harness_data.h (written by
 * kernel_layers.py for a layer, by model_data.py for a whole model) on its
 * inputs and compares every output with the reference there, bit for bit,
 * reporting through Bochs's port 0xE9. Provides the C library functions the
 * generated code calls.
 *
 * harness_data.h includes the compiled code's header and defines
 * HARNESS_CALL(input, output), HARNESS_INPUTS (calls to make),
 * HARNESS_INPUT_ELEMENTS and HARNESS_OUTPUT_ELEMENTS (per call),
 * harness_output_t, and the arrays harness_input and harness_expected. */
#include <stddef.h>
#include <stdint.h>

#include "harness_data.h"

static void out(char c) { __asm__ volatile("outb %0, $0xe9" ::"a"(c)); }
static void print(const char *s) {
  while (*s)
    out(*s++);
}
static void print_int(long v) {
  char digits[24];
  int n = 0;
  unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
  if (v < 0)
    out('-');
  do
    digits[n++] = (char)('0' + u % 10);
  while (u /= 10);
  while (n)
    out(digits[--n]);
}

/* A bump allocator over the identity-mapped memory from 2 MiB. */
static uintptr_t heap = 0x200000;
void *malloc(size_t size) {
  heap = (heap + 63) & ~(uintptr_t)63;
  void *p = (void *)heap;
  heap += size;
  return p;
}
void *aligned_alloc(size_t alignment, size_t size) {
  heap = (heap + alignment - 1) & ~(uintptr_t)(alignment - 1);
  return malloc(size);
}
void free(void *p) { (void)p; }
void *memcpy(void *d, const void *s, size_t n) {
  volatile char *to = d;
  const char *from = s;
  while (n--)
    *to++ = *from++;
  return d;
}
void *memset(void *d, int c, size_t n) {
  volatile char *to = d;
  while (n--)
    *to++ = (char)c;
  return d;
}

/* The bits of an output element as an unsigned integer. */
static unsigned long bits(const harness_output_t *value) {
  const unsigned char *bytes = (const unsigned char *)value;
  unsigned long v = 0;
  for (size_t i = sizeof *value; i--;)
    v = v << 8 | bytes[i];
  return v;
}

static harness_output_t output[HARNESS_OUTPUT_ELEMENTS];

void harness_main(void) {
  unsigned a, b, c, d;
  __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
  print("avx512vnni=");
  print_int((c >> 11) & 1);
  print("\n");
  long total = (long)HARNESS_INPUTS * HARNESS_OUTPUT_ELEMENTS, differ = 0;
  for (long call = 0; call < HARNESS_INPUTS; ++call) {
    HARNESS_CALL(harness_input + call * HARNESS_INPUT_ELEMENTS, output);
    for (long i = 0; i < HARNESS_OUTPUT_ELEMENTS; ++i) {
      long at = call * HARNESS_OUTPUT_ELEMENTS + i;
      if (bits(&output[i]) == bits(&harness_expected[at]))
        continue;
      if (!differ) {
        print("first difference at ");
        print_int(at);
        print(": bits ");
        print_int((long)bits(&output[i]));
        print(" instead of ");
        print_int((long)bits(&harness_expected[at]));
        print("\n");
      }
      ++differ;
    }
  }
  print("RESULT: ");
  print_int(total - differ);
  print(" values bit-identical, ");
  print_int(differ);
  print(" differ\n");
  for (const char *s = "Shutdown"; *s; ++s) /* Bochs's power-off port */
    __asm__ volatile("outb %0, %1" ::"a"(*s), "Nd"((uint16_t)0x8900));
}
