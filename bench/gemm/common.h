//===- common.h - Shapes, data and the exact reference of bench_gemm ------===//
//
// Shared by the model generator (gen_model, at build time) and the benchmark
// (bench_gemm, at run time), so that the weights compiled into QuantAware's
// objects are the very weights the peers are given.
//
// The problem, for a shape (M, N, K):
//   activations a[M][K], uint8 full range 0..255 (the real value is a; as
//     int8 storage with zero point -128 it is s = a - 128),
//   weights     w[K][N], int8 full range -128..127 (zero point 0), or the
//     same values arithmetic-shifted right by 1, 7-bit -64..63 (the set
//     whose int16 pair sums u8 x s8 cannot saturate: 2 * 255 * 64 < 2^15),
//   accumulator acc[m][n] = sum_k a[m][k] * w[k][n]      (exact, int64)
//   int8 output  y = requantize(acc), with the rounding of XNNPACK's qs8
//     fully-connected (fp32: float(acc) * scale, saturate to -128..127,
//     round half to even) and QuantAware's `half_even` mode; the scale is a
//     power of two, 2^-shift, so the rescale itself is exact.
//
// A convolution (NHWC input [1][H][W][C] of such activations, OHWI filters
// [O][KH][KW][C], batch 1, the same stride and padding in both dimensions,
// no dilation) is benchmarked as the GEMM of its patches (im2col): M = OH *
// OW, N = O, K = KH * KW * C, the weights w[K][N] of that shape (the filters
// transposed), padded input elements real zero (a = 0, int8 storage -128).
//
//===----------------------------------------------------------------------===//

#ifndef BENCH_GEMM_COMMON_H
#define BENCH_GEMM_COMMON_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

struct Shape {
  int64_t m, n, k;
  std::string name() const {
    return std::to_string(m) + "x" + std::to_string(n) + "x" +
           std::to_string(k);
  }
  double ops() const { return 2.0 * double(m) * double(n) * double(k); }
};

/// A convolution of the benchmark, named HxWxC-kKHxKW-sS-pP-oO, e.g.
/// 56x56x64-k3x3-s1-p1-o64.
struct Conv {
  int64_t h, w, c, kh, kw, stride, pad, o;
  int64_t outH() const { return (h + 2 * pad - kh) / stride + 1; }
  int64_t outW() const { return (w + 2 * pad - kw) / stride + 1; }
  Shape gemm() const { return {outH() * outW(), o, kh * kw * c}; }
  std::string name() const {
    auto t = [](int64_t v) { return std::to_string(v); };
    return t(h) + "x" + t(w) + "x" + t(c) + "-k" + t(kh) + "x" + t(kw) +
           "-s" + t(stride) + "-p" + t(pad) + "-o" + t(o);
  }
};

/// What one table row runs: a GEMM / fully-connected layer, or a
/// convolution, with `shape` its GEMM.
struct Workload {
  Shape shape;
  std::optional<Conv> conv;
  std::string name() const { return conv ? conv->name() : shape.name(); }
};

inline std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> parts;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, sep))
    if (!part.empty())
      parts.push_back(part);
  return parts;
}

/// Reads the integers of `text` that `sep` separates, each written as
/// decimal digits after its prefix (prefixes[i], may be empty), into
/// `values`; false unless there are exactly as many as prefixes, each at most
/// 2^24 (a size of the benchmark, far from overflowing what it computes).
inline bool parseNumbers(const std::string &text, char sep,
                         const std::vector<std::string> &prefixes,
                         std::vector<int64_t> &values) {
  values.clear();
  size_t begin = 0;
  for (const std::string &prefix : prefixes) {
    if (begin > text.size())
      return false;
    size_t end = std::min(text.find(sep, begin), text.size());
    std::string part = text.substr(begin, end - begin);
    begin = end + 1;
    if (part.compare(0, prefix.size(), prefix) != 0)
      return false;
    std::string digits = part.substr(prefix.size());
    if (digits.empty() || digits.size() > 8 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return false;
    int64_t v = std::stoll(digits);
    if (v > (int64_t(1) << 24))
      return false;
    values.push_back(v);
  }
  return begin == text.size() + 1;
}

/// Parses MxNxK or a convolution's name (Conv::name()). Every size is
/// positive, the padding smaller than the kernel, and the window fits.
inline bool parseWorkload(const std::string &text, Workload &out) {
  std::vector<int64_t> v;
  if (parseNumbers(text, 'x', {"", "", ""}, v)) {
    if (!v[0] || !v[1] || !v[2])
      return false;
    out = {{v[0], v[1], v[2]}, std::nullopt};
    return true;
  }
  std::vector<int64_t> input, kernel, rest;
  size_t k = text.find("-k"), s = text.find("-s", k);
  if (k == std::string::npos || s == std::string::npos ||
      !parseNumbers(text.substr(0, k), 'x', {"", "", ""}, input) ||
      !parseNumbers(text.substr(k + 1, s - k - 1), 'x', {"k", ""}, kernel) ||
      !parseNumbers(text.substr(s + 1), '-', {"s", "p", "o"}, rest))
    return false;
  Conv c{input[0], input[1], input[2], kernel[0],
         kernel[1], rest[0],  rest[1],  rest[2]};
  if (!c.h || !c.w || !c.c || !c.kh || !c.kw || !c.stride || !c.o ||
      c.pad >= c.kh || c.pad >= c.kw || c.h + 2 * c.pad < c.kh ||
      c.w + 2 * c.pad < c.kw)
    return false;
  out = {c.gemm(), c};
  return true;
}

/// Every GEMM shape and convolution the benchmark knows; QuantAware objects
/// are built for each (keep in step with BENCH_SHAPES in CMakeLists.txt).
/// The convolutions are ResNet-50's: the 3x3 layers of three stages, a
/// 1x1 expansion and the 7x7 stride-2 stem.
inline const std::vector<Workload> &allWorkloads() {
  static const std::vector<Workload> workloads = [] {
    std::vector<Workload> all;
    for (const char *name :
         {"1x1024x1024", "16x1024x1024", "128x768x768", "256x256x256",
          "512x512x512", "1024x1024x1024", "3136x64x576",
          "56x56x64-k3x3-s1-p1-o64", "28x28x128-k3x3-s1-p1-o128",
          "14x14x256-k3x3-s1-p1-o256", "56x56x64-k1x1-s1-p0-o256",
          "224x224x3-k7x7-s2-p3-o64"}) {
      Workload w;
      if (!parseWorkload(name, w))
        std::abort(); // a typo in the list above
      all.push_back(w);
    }
    return all;
  }();
  return workloads;
}

/// `--quick`: the workloads of at most 128*768*768 multiply-adds.
inline bool isQuick(const Shape &s) {
  return double(s.m) * s.n * s.k <= 128.0 * 768 * 768;
}

/// splitmix64: small, portable, the same stream everywhere.
class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

private:
  uint64_t state;
};

inline uint64_t shapeSeed(const Shape &s, uint64_t salt) {
  return 0x5EEDull * 1000003ull + uint64_t(s.m) * 7919ull +
         uint64_t(s.n) * 104729ull + uint64_t(s.k) * 1299709ull + salt;
}

/// Weights w[K][N] (row-major, K rows): `bits` 8, int8 in -128..127; or
/// `bits` 7 or 4, the same values shifted right (arithmetic) by 8 - bits,
/// in -64..63 or -8..7.
inline std::vector<int8_t> makeWeights(const Shape &s, int bits = 8) {
  Rng rng(shapeSeed(s, 1));
  std::vector<int8_t> w(size_t(s.k * s.n));
  int step = 1 << (8 - bits), levels = 1 << (bits - 1);
  for (int8_t &v : w) {
    int full = int(rng.next() & 0xFF) - 128;
    // full >> (8 - bits) (floor of full / step), without relying on C++17's
    // implementation-defined shift of negative values.
    v = int8_t((full + 128) / step - levels);
  }
  return w;
}

/// The weight sets the benchmark knows: 8 (full range), 7 (-64..63) and 4
/// (-8..7, stored packed as i4 in QuantAware's model).
inline bool isWeightBits(int bits) {
  return bits == 8 || bits == 7 || bits == 4;
}

/// How a weight set is named in tables and symbols.
inline std::string weightsTitle(int bits) {
  return bits == 8   ? "8-bit -128..127"
         : bits == 7 ? "7-bit -64..63"
                     : "4-bit -8..7";
}

/// Activations a[M][K] (row-major), uint8 in 0..255.
inline std::vector<uint8_t> makeActivations(const Shape &s, uint64_t seed) {
  Rng rng(shapeSeed(s, 2) ^ (seed * 0x2545F4914F6CDD1Dull));
  std::vector<uint8_t> a(size_t(s.m * s.k));
  for (uint8_t &v : a)
    v = uint8_t(rng.next() & 0xFF);
  return a;
}

/// The int8 output scale is 2^outputShift(K): the accumulators of uniform
/// full-range data have a standard deviation of about 10900 * sqrt(K)
/// (mostly the 127.5 * column-sum term), so this gives the int8 outputs a
/// standard deviation of 24 to 48 and little saturation. 7-bit weights
/// halve the accumulators, so their scale is half as large.
inline int outputShift(int64_t k, int weightBits = 8) {
  return int(std::ceil(std::log2(std::sqrt(double(k)) * 10900.0 / 48.0))) -
         (8 - weightBits);
}

/// A convolution's input, NHWC [1][H][W][C], uint8 in 0..255 (seeded like
/// makeActivations, from its GEMM shape).
inline std::vector<uint8_t> makeInput(const Conv &c, uint64_t seed) {
  Rng rng(shapeSeed(c.gemm(), 3) ^ (seed * 0x2545F4914F6CDD1Dull));
  std::vector<uint8_t> a(size_t(c.h * c.w * c.c));
  for (uint8_t &v : a)
    v = uint8_t(rng.next() & 0xFF);
  return a;
}

/// The patches of an NHWC input, [OH * OW][KH * KW * C] row-major; outside
/// the input they are real zero (a = 0).
inline std::vector<uint8_t> im2col(const Conv &c, const uint8_t *input) {
  Shape g = c.gemm();
  std::vector<uint8_t> patches(size_t(g.m * g.k), 0);
  uint8_t *out = patches.data();
  for (int64_t oh = 0; oh < c.outH(); ++oh)
    for (int64_t ow = 0; ow < c.outW(); ++ow)
      for (int64_t kh = 0; kh < c.kh; ++kh)
        for (int64_t kw = 0; kw < c.kw; ++kw, out += c.c) {
          int64_t ih = oh * c.stride + kh - c.pad,
                  iw = ow * c.stride + kw - c.pad;
          if (ih >= 0 && ih < c.h && iw >= 0 && iw < c.w)
            std::copy_n(input + (ih * c.w + iw) * c.c, c.c, out);
        }
  return patches;
}

/// Exact accumulators, int64, acc[M][N] row-major.
inline std::vector<int64_t> referenceAccumulators(const Shape &s,
                                                  const uint8_t *a,
                                                  const int8_t *w) {
  std::vector<int64_t> acc(size_t(s.m * s.n), 0);
  for (int64_t m = 0; m < s.m; ++m) {
    int64_t *row = &acc[size_t(m * s.n)];
    for (int64_t k = 0; k < s.k; ++k) {
      int64_t av = a[m * s.k + k];
      const int8_t *wr = &w[size_t(k * s.n)];
      for (int64_t n = 0; n < s.n; ++n)
        row[n] += av * int64_t(wr[n]);
    }
  }
  return acc;
}

/// The requantization to `bits` (8 or 16) of QuantAware's `half_even`
/// rounding and XNNPACK's fp32 one (docs/Numerics.md): the int32 accumulator
/// converted to float32, times the scale 2^-shift in float32, saturated to the
/// storage range, rounded half to even; output zero point 0.
inline int32_t requantize(int64_t acc, int shift, int bits) {
  float lo = -std::ldexp(1.0f, bits - 1), hi = std::ldexp(1.0f, bits - 1) - 1;
  float v = float(int32_t(acc)) * std::ldexp(1.0f, -shift);
  v = std::min(std::max(v, lo), hi);
  return int32_t(std::nearbyint(v)); // default rounding mode: to nearest even
}

} // namespace bench

#endif // BENCH_GEMM_COMMON_H
