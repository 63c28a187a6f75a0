//===- lib_quantaware.cpp - QuantAware's generated layers -----------------===//
//
// Each shape's layer (a fully-connected layer, or a qa.conv2d for a
// convolution) is a quantized qa model (gen_model.cpp) compiled by
// quant-compile into an object file and a C header at build time; the
// weights are constants inside the object, so there is one model per weight
// set: full-range int8 (`qa_fc_s8_<shape>`) and 7-bit (`qa_fc_s8_w7_<shape>`,
// weights -64..63, which the compiler may run on AVX2's vpmaddubsw). Timed:
// the int8 model (half_even rounding, output scale 2^shift), checked
// bit for bit against the reference requantization of the exact
// accumulators. Checked once more, untimed: the same layer with an int16
// result 256 times finer (`qa_fc_s16_[w7_]<shape>`), which sees accumulator
// errors down to 2^(shift-8) (16 to 32, 8 to 16 for 7-bit weights) instead
// of 2^shift.
//
//===----------------------------------------------------------------------===//

#include "library.h"

#ifdef BENCH_HAVE_QUANTAWARE
#include "qa_models.h" // generated: the headers and BENCH_QA_MODELS

namespace bench {
namespace {
struct Model {
  const char *shape; // as in BENCH_SHAPES: MxNxK or a convolution's name
  int weightBits;
  void (*s8)(const int8_t *, int8_t *);
  void (*s16)(const int8_t *, int16_t *);
};

const Model models[] = {
#define X(SHAPE, BITS, S8, S16) {SHAPE, BITS, S8, S16},
    BENCH_QA_MODELS
#undef X
};

class QuantAware final : public Library {
public:
  std::string name() const override { return "QuantAware s8"; }
  std::string setup(const Problem &p) override {
    model = nullptr;
    Workload problem{p.shape, p.conv}, compiled;
    for (const Model &m : models)
      if (parseWorkload(m.shape, compiled) &&
          compiled.name() == problem.name() && m.weightBits == p.weightBits)
        model = &m;
    if (!model)
      return "no model compiled for " + problem.name() + " with " +
             weightsTitle(p.weightBits) +
             " weights (add the shape to BENCH_SHAPES in CMakeLists.txt)";
    input = p.aS8.data();
    out.assign(size_t(p.shape.m * p.shape.n), 0);
    return "";
  }
  void run() override { model->s8(input, out.data()); }
  std::vector<Check> check(const Problem &p) override {
    std::vector<Check> checks;
    checks.push_back(compare("int8 out", out.data(), int64_t(out.size()),
                             [&](int64_t i) {
                               return requantize(p.acc[i], p.shift, 8);
                             }));
    std::vector<int16_t> fine(out.size(), 0);
    model->s16(input, fine.data());
    checks.push_back(compare("int16 out", fine.data(), int64_t(fine.size()),
                             [&](int64_t i) {
                               return requantize(p.acc[i], p.shift - 8, 16);
                             }));
    return checks;
  }

private:
  const Model *model = nullptr;
  const int8_t *input = nullptr;
  std::vector<int8_t> out;
};
} // namespace

std::unique_ptr<Library> makeQuantAware() {
  return std::make_unique<QuantAware>();
}
} // namespace bench

#else
std::unique_ptr<bench::Library> bench::makeQuantAware() { return nullptr; }
#endif
