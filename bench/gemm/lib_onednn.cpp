//===- lib_onednn.cpp - oneDNN's u8 x s8 -> s32 matmul and convolution ---===//
//
// dnnl::matmul (oneDNN 2.x C++ API, matmul::desc): src [M][K] u8 (the
// activations as they are, no zero point), weights [K][N] s8 in the layout
// the primitive prefers (format_tag::any, reordered once, outside the
// timing), dst [M][N] s32: the raw accumulators, compared exactly. A
// convolution is a dnnl::convolution_forward (direct, inference) of the same
// types: src NHWC u8 (padded with 0, the real zero), weights from OHWI,
// dst NHWC s32. Debian
// builds oneDNN with OpenMP: one thread through omp_set_num_threads(1) (and
// OMP_NUM_THREADS=1 from scripts/bench).
//
// On AVX2 without VNNI oneDNN multiplies u8 x s8 with vpmaddubsw, whose pair
// sums saturate at int16 for full-range data: expect wrong accumulators
// there. With the 7-bit weights (-64..63) no pair sum can saturate
// (2 * 255 * 64 < 2^15), so it should be exact. Built with BENCH_ISA_AVX2,
// dnnl::set_max_cpu_isa holds it to AVX2 (as DNNL_MAX_CPU_ISA=AVX2 would).
//
//===----------------------------------------------------------------------===//

#include "library.h"

#ifdef BENCH_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

namespace bench {
namespace {
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

class Onednn final : public Library {
public:
  Onednn() : isaLimited(limitIsa()), engine(dnnl::engine::kind::cpu, 0),
             stream(engine) {}
  std::string name() const override { return "oneDNN u8s8s32"; }
  std::string setup(const Problem &p) override {
    if (!isaLimited)
      return "dnnl::set_max_cpu_isa(avx2) failed: oneDNN would not be held "
             "to AVX2";
    omp_set_num_threads(1);
    if (p.conv)
      return setupConv(p);
    const Shape &s = p.shape;
    dnnl::memory::desc srcMd({s.m, s.k}, dt::u8, tag::ab);
    dnnl::memory::desc wMd({s.k, s.n}, dt::s8, tag::any);
    dnnl::memory::desc dstMd({s.m, s.n}, dt::s32, tag::ab);
    try {
      dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(srcMd, wMd, dstMd),
                                      engine);
      primitive = dnnl::matmul(pd);
      bind(pd, p, {{s.k, s.n}, dt::s8, tag::ab}, p.w.data());
    } catch (const dnnl::error &e) {
      return std::string("oneDNN: ") + e.what();
    }
    return "";
  }
  void run() override {
    primitive.execute(stream, {{DNNL_ARG_SRC, src},
                               {DNNL_ARG_WEIGHTS, weights},
                               {DNNL_ARG_DST, dst}});
    stream.wait();
  }
  std::vector<Check> check(const Problem &p) override {
    return {compare("int32 acc", out.data(), int64_t(out.size()),
                    [&](int64_t i) { return p.acc[i]; })};
  }
  std::string detail() const override { return "implementation " + impl; }

private:
  /// Gives the primitive of `pd` the activations of `p` and an output
  /// buffer, and reorders the weights `w` (laid out as `plainWeights`) into
  /// the primitive's layout, once.
  template <typename PrimitiveDesc>
  void bind(const PrimitiveDesc &pd, const Problem &p,
            const dnnl::memory::desc &plainWeights, const int8_t *w) {
    out.assign(size_t(p.shape.m * p.shape.n), 0);
    src = dnnl::memory(pd.src_desc(), engine,
                       const_cast<uint8_t *>(p.a.data()));
    dst = dnnl::memory(pd.dst_desc(), engine, out.data());
    dnnl::memory plain(plainWeights, engine, const_cast<int8_t *>(w));
    weights = dnnl::memory(pd.weights_desc(), engine);
    dnnl::reorder(plain, weights).execute(stream, plain, weights);
    stream.wait();
    impl = pd.impl_info_str();
  }
  std::string setupConv(const Problem &p) {
    const Conv &c = *p.conv;
    dnnl::memory::desc srcMd({1, c.c, c.h, c.w}, dt::u8, tag::nhwc);
    dnnl::memory::desc wMd({c.o, c.c, c.kh, c.kw}, dt::s8, tag::any);
    dnnl::memory::desc dstMd({1, c.o, c.outH(), c.outW()}, dt::s32, tag::nhwc);
    try {
      dnnl::convolution_forward::primitive_desc pd(
          dnnl::convolution_forward::desc(
              dnnl::prop_kind::forward_inference,
              dnnl::algorithm::convolution_direct, srcMd, wMd, dstMd,
              {c.stride, c.stride}, {c.pad, c.pad}, {c.pad, c.pad}),
          engine);
      primitive = dnnl::convolution_forward(pd);
      bind(pd, p, {{c.o, c.c, c.kh, c.kw}, dt::s8, tag::ohwi}, p.wT.data());
    } catch (const dnnl::error &e) {
      return std::string("oneDNN: ") + e.what();
    }
    return "";
  }
  /// Whether oneDNN runs at the benchmark's instruction set: with
  /// BENCH_ISA_AVX2, once limited to AVX2 before any primitive exists (the
  /// limit is read once).
  static bool limitIsa() {
#ifdef BENCH_ISA_AVX2
    return dnnl::set_max_cpu_isa(dnnl::cpu_isa::avx2) ==
           dnnl::status::success;
#else
    return true;
#endif
  }
  bool isaLimited;
  dnnl::engine engine;
  dnnl::stream stream;
  dnnl::primitive primitive;
  dnnl::memory src, weights, dst;
  std::vector<int32_t> out;
  std::string impl;
};
} // namespace

std::unique_ptr<Library> makeOnednn() { return std::make_unique<Onednn>(); }
} // namespace bench

#else
std::unique_ptr<bench::Library> bench::makeOnednn() { return nullptr; }
#endif
