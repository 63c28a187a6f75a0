//===- lib_xnnpack.cpp - XNNPACK's qs8 fully-connected and conv operators ===//
//
// xnn_create_fully_connected_nc_qs8 (Debian's XNNPACK of 2022-02: per-tensor
// int8 weights; the per-channel qc8 variant exists only for convolution),
// or for a convolution xnn_create_convolution2d_nhwc_qs8 (NHWC input, OHWI
// filters, padded with the input zero point): input int8 storage a - 128
// with zero point -128, weights [N][K] (the filters) with zero point 0, no
// bias, output int8 at scale 2^shift, zero point 0, clamped to [-128, 127].
// Weights are packed once at creation; a null thread pool runs on the
// calling thread only.
//
// Built with BENCH_ISA_AVX2, XNNPACK is held to its AVX2 kernels on an
// AVX-512 host: it reads the ISA from libcpuinfo, detected once, so the
// AVX-512 flags are cleared after cpuinfo_initialize and before
// xnn_initialize, and XNNPACK picks what it would pick on an AVX2-only CPU.
//
//===----------------------------------------------------------------------===//

#include "library.h"

#ifdef BENCH_HAVE_XNNPACK
#include <xnnpack.h>
#ifdef BENCH_ISA_AVX2
#include <cpuinfo.h>
#endif

namespace bench {
namespace {
bool initializeXnnpack() {
#ifdef BENCH_ISA_AVX2
  if (!cpuinfo_initialize())
    return false;
  for (bool *flag :
       {&cpuinfo_isa.avx512f, &cpuinfo_isa.avx512pf, &cpuinfo_isa.avx512er,
        &cpuinfo_isa.avx512cd, &cpuinfo_isa.avx512dq, &cpuinfo_isa.avx512bw,
        &cpuinfo_isa.avx512vl, &cpuinfo_isa.avx512ifma,
        &cpuinfo_isa.avx512vbmi, &cpuinfo_isa.avx512vbmi2,
        &cpuinfo_isa.avx512bitalg, &cpuinfo_isa.avx512vpopcntdq,
        &cpuinfo_isa.avx512vnni, &cpuinfo_isa.avx512bf16,
        &cpuinfo_isa.avx512vp2intersect, &cpuinfo_isa.avx512_4vnniw,
        &cpuinfo_isa.avx512_4fmaps})
    *flag = false;
#endif
  return xnn_initialize(nullptr) == xnn_status_success;
}

class Xnnpack final : public Library {
public:
  ~Xnnpack() override { release(); }
  std::string name() const override { return "XNNPACK qs8"; }
  std::string setup(const Problem &p) override {
    release();
    static const bool initialized = initializeXnnpack();
    if (!initialized)
      return "xnn_initialize failed";
    const Shape &s = p.shape;
    out.assign(size_t(s.m * s.n), 0);
    if (p.conv)
      return setupConv(p);
    xnn_status st = xnn_create_fully_connected_nc_qs8(
        /*input_channels=*/s.k, /*output_channels=*/s.n,
        /*input_stride=*/s.k, /*output_stride=*/s.n,
        /*input_zero_point=*/-128, /*input_scale=*/1.0f,
        /*kernel_scale=*/1.0f, p.wT.data(), /*bias=*/nullptr,
        /*output_zero_point=*/0,
        /*output_scale=*/std::ldexp(1.0f, p.shift), -128, 127, /*flags=*/0,
        &op);
    if (st != xnn_status_success)
      return "xnn_create_fully_connected_nc_qs8 failed (" +
             std::to_string(int(st)) + ")";
    st = xnn_setup_fully_connected_nc_qs8(op, s.m, p.aS8.data(), out.data(),
                                          /*threadpool=*/nullptr);
    if (st != xnn_status_success)
      return "xnn_setup_fully_connected_nc_qs8 failed (" +
             std::to_string(int(st)) + ")";
    return "";
  }
  void run() override { xnn_run_operator(op, /*threadpool=*/nullptr); }
  std::vector<Check> check(const Problem &p) override {
    return {compare("int8 out", out.data(), int64_t(out.size()),
                    [&](int64_t i) { return requantize(p.acc[i], p.shift, 8); })};
  }

private:
  std::string setupConv(const Problem &p) {
    const Conv &c = *p.conv;
    uint32_t pad = uint32_t(c.pad);
    xnn_status st = xnn_create_convolution2d_nhwc_qs8(
        pad, pad, pad, pad, uint32_t(c.kh), uint32_t(c.kw),
        uint32_t(c.stride), uint32_t(c.stride), /*dilation=*/1, 1,
        /*groups=*/1, /*group_input_channels=*/c.c,
        /*group_output_channels=*/c.o, /*input_channel_stride=*/c.c,
        /*output_channel_stride=*/c.o, /*input_zero_point=*/-128,
        /*input_scale=*/1.0f, /*kernel_scale=*/1.0f, p.wT.data(),
        /*bias=*/nullptr, /*output_zero_point=*/0,
        /*output_scale=*/std::ldexp(1.0f, p.shift), -128, 127, /*flags=*/0,
        &op);
    if (st != xnn_status_success)
      return "xnn_create_convolution2d_nhwc_qs8 failed (" +
             std::to_string(int(st)) + ")";
    st = xnn_setup_convolution2d_nhwc_qs8(op, /*batch_size=*/1, c.h, c.w,
                                          p.aS8.data(), out.data(),
                                          /*threadpool=*/nullptr);
    if (st != xnn_status_success)
      return "xnn_setup_convolution2d_nhwc_qs8 failed (" +
             std::to_string(int(st)) + ")";
    return "";
  }
  void release() {
    if (op)
      xnn_delete_operator(op);
    op = nullptr;
  }
  xnn_operator_t op = nullptr;
  std::vector<int8_t> out;
};
} // namespace

std::unique_ptr<Library> makeXnnpack() { return std::make_unique<Xnnpack>(); }
} // namespace bench

#else
std::unique_ptr<bench::Library> bench::makeXnnpack() { return nullptr; }
#endif
