//===- lib_gemmlowp.cpp - gemmlowp's uint8 GEMM with int32 output ----------===//
//
// gemmlowp::GemmWithOutputPipeline<uint8_t, int32_t, DefaultL8R8BitDepthParams>
// with an empty output pipeline: the raw accumulators of
// (lhs + lhs_offset) * (rhs + rhs_offset), compared exactly. lhs [M][K] is
// the activations (offset 0), rhs is the weights stored as uint8 w + 128 with
// offset -128, column-major [K][N] (i.e. [N][K] rows). One thread
// (set_max_num_threads(1)); gemmlowp packs both operands on every call (it
// has no persistent packed-weights API). Built with -mavx2 and
// GEMMLOWP_ENABLE_AVX2, so its AVX2 kernel runs.
//
//===----------------------------------------------------------------------===//

#include "library.h"

#ifdef BENCH_HAVE_GEMMLOWP
#include <gemmlowp/public/gemmlowp.h>

namespace bench {
namespace {
class Gemmlowp final : public Library {
public:
  Gemmlowp() { context.set_max_num_threads(1); }
  std::string name() const override { return "gemmlowp u8"; }
  std::string setup(const Problem &p) override {
    if (p.conv)
      return "gemmlowp has no convolution";
    shape = p.shape;
    lhs = p.a.data();
    rhs.resize(p.wT.size());
    for (size_t i = 0; i < rhs.size(); ++i)
      rhs[i] = uint8_t(int(p.wT[i]) + 128);
    out.assign(size_t(shape.m * shape.n), 0);
    return "";
  }
  void run() override {
    gemmlowp::MatrixMap<const uint8_t, gemmlowp::MapOrder::RowMajor> l(
        lhs, int(shape.m), int(shape.k));
    gemmlowp::MatrixMap<const uint8_t, gemmlowp::MapOrder::ColMajor> r(
        rhs.data(), int(shape.k), int(shape.n));
    gemmlowp::MatrixMap<int32_t, gemmlowp::MapOrder::RowMajor> result(
        out.data(), int(shape.m), int(shape.n));
    gemmlowp::GemmWithOutputPipeline<uint8_t, int32_t,
                                     gemmlowp::DefaultL8R8BitDepthParams>(
        &context, l, r, &result, /*lhs_offset=*/0, /*rhs_offset=*/-128,
        std::make_tuple());
  }
  std::vector<Check> check(const Problem &p) override {
    return {compare("int32 acc", out.data(), int64_t(out.size()),
                    [&](int64_t i) { return p.acc[i]; })};
  }

private:
  gemmlowp::GemmContext context;
  Shape shape{0, 0, 0};
  const uint8_t *lhs = nullptr;
  std::vector<uint8_t> rhs;
  std::vector<int32_t> out;
};
} // namespace

std::unique_ptr<Library> makeGemmlowp() { return std::make_unique<Gemmlowp>(); }
} // namespace bench

#else
std::unique_ptr<bench::Library> bench::makeGemmlowp() { return nullptr; }
#endif
