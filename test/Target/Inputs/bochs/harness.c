/* Bare-metal harness: calls the compiled `layer` on the input of
 * layer_data.h (written by kernel_layers.py) and compares every output with
 * the reference there, reporting through Bochs's port 0xE9. Provides the C
 * library functions the generated code calls. */
#include <stddef.h>
#include <stdint.h>

#include "layer.h"
#include "layer_data.h"

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

static int16_t output[LAYER_RESULT0_ELEMENTS];

void harness_main(void) {
  unsigned a, b, c, d;
  __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
  print("avx512vnni=");
  print_int((c >> 11) & 1);
  print("\n");
  layer((const void *)layer_input, output);
  long differ = 0;
  for (long i = 0; i < LAYER_RESULT0_ELEMENTS; ++i)
    if (output[i] != layer_expected[i]) {
      if (!differ) {
        print("first difference at ");
        print_int(i);
        print(": ");
        print_int(output[i]);
        print(" instead of ");
        print_int(layer_expected[i]);
        print("\n");
      }
      ++differ;
    }
  print("RESULT: ");
  print_int(LAYER_RESULT0_ELEMENTS - differ);
  print(" values bit-identical, ");
  print_int(differ);
  print(" differ\n");
  for (const char *s = "Shutdown"; *s; ++s) /* Bochs's power-off port */
    __asm__ volatile("outb %0, %1" ::"a"(*s), "Nd"((uint16_t)0x8900));
}
