//===- library.h - One GEMM implementation under test ----------------------===//

#ifndef BENCH_GEMM_LIBRARY_H
#define BENCH_GEMM_LIBRARY_H

#include "common.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bench {

/// One workload's data with one weight set, shared by every library.
struct Problem {
  Shape shape;              // the GEMM (a convolution's: of its patches)
  std::optional<Conv> conv; // set for a convolution
  int weightBits;           // 8: full range -128..127; 7: -64..63; 4: -8..7
  std::vector<uint8_t> a;   // activations [M][K], 0..255; a convolution's
                            // input [H][W][C]
  std::vector<int8_t> aS8;  // the same as int8 storage, a - 128 (zero point -128)
  std::vector<int8_t> w;    // weights [K][N] (makeWeights(shape, weightBits))
  std::vector<int8_t> wT;   // the same, transposed: [N][K]
  std::vector<int64_t> acc; // exact accumulators [M][N]: sum_k a * w
  int shift;                // int8 output scale 2^shift (outputShift(K, bits))
};

/// How a library's output compares with the exact reference.
struct Check {
  std::string what;        // what was compared, e.g. "int32 acc"
  int64_t total = 0;       // values compared
  int64_t mismatches = 0;  // values that differ
  int64_t maxAbsDiff = 0;  // largest |output - reference|
  bool exact() const { return total > 0 && mismatches == 0; }
};

/// Compares `out` (M*N values) with `expected(i)` for each i.
template <typename T, typename F>
Check compare(const std::string &what, const T *out, int64_t count,
              F expected) {
  Check c;
  c.what = what;
  c.total = count;
  for (int64_t i = 0; i < count; ++i) {
    int64_t d = int64_t(out[i]) - int64_t(expected(i));
    if (d != 0) {
      ++c.mismatches;
      c.maxAbsDiff = std::max(c.maxAbsDiff, d < 0 ? -d : d);
    }
  }
  return c;
}

class Library {
public:
  virtual ~Library() = default;
  /// Column title, e.g. "XNNPACK qs8".
  virtual std::string name() const = 0;
  /// Prepares one problem (weights packed here, outside the timing).
  /// Returns an empty string, or why this problem cannot run.
  virtual std::string setup(const Problem &p) = 0;
  /// One timed call: the whole product (or convolution) prepared.
  virtual void run() = 0;
  /// Compares the output of the last run() (and any extra check the
  /// library has) with the reference.
  virtual std::vector<Check> check(const Problem &p) = 0;
  /// Anything worth printing about the last setup (kernel chosen...).
  virtual std::string detail() const { return ""; }
};

std::unique_ptr<Library> makeXnnpack();     // nullptr when not built
std::unique_ptr<Library> makeOnednn();      // nullptr when not built
std::unique_ptr<Library> makeGemmlowp();    // nullptr when not built
std::unique_ptr<Library> makeQuantAware();  // nullptr when not built

} // namespace bench

#endif // BENCH_GEMM_LIBRARY_H
