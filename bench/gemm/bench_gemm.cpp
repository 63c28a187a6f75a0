//===- bench_gemm.cpp - Single-thread int8 GEMM and conv speed, checked ---===//
//
// For each shape (M, N, K) or convolution and weight set (full-range int8,
// and the same weights shifted to 7 bits, -64..63, or 4, -8..7): the same
// seeded data for every library, an exact int64 reference, each library's
// output checked against it, and each library timed on one thread (the
// median of several calls, in rounds that take the libraries in turn). See
// README.md.
//
//===----------------------------------------------------------------------===//

#include "library.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

using namespace bench;

namespace {

struct Options {
  std::vector<Workload> workloads;
  std::vector<std::string> libs = {"xnnpack", "onednn", "gemmlowp",
                                   "quantaware"};
  std::vector<int> weightBits = {8, 7, 4};
  int reps = 5;
  double minTime = 0.25;
  uint64_t seed = 1;
};

void usage(std::ostream &os) {
  os << "usage: bench_gemm [--quick] [--shapes=SHAPE,...] [--libs=LIST]\n"
        "                  [--weights=8,7,4] [--reps=N] [--min-time=SECONDS]\n"
        "                  [--seed=N]\n"
        "  --quick       only the small shapes (M*N*K <= 128*768*768)\n"
        "  --shapes      GEMMs (MxNxK) and convolutions\n"
        "                (HxWxC-kKHxKW-sS-pP-oO: NHWC input, KHxKW filters,\n"
        "                stride S, padding P, O output channels; counted as\n"
        "                the M*N*K of its patches)\n"
        "                to run (default: all known); QuantAware runs only\n"
        "                those compiled in (BENCH_SHAPES in CMake)\n"
        "  --libs        any of xnnpack,onednn,gemmlowp,quantaware (default all)\n"
        "  --weights     weight sets: 8 (full range -128..127), 7 (the same\n"
        "                shifted right by 1, -64..63), 4 (shifted right by 4,\n"
        "                -8..7; QuantAware's model stores them as i4);\n"
        "                default 8,7,4\n"
        "  --reps        at least this many timed calls per library (default 5)\n"
        "  --min-time    and at least this long in all (default 0.25 s)\n"
        "  --seed        activation data seed (default 1; weights are fixed\n"
        "                per shape: they are compiled into QuantAware's code)\n"
        "exit status 1 when QuantAware's output is not bit-exact (the peers'\n"
        "errors are reported only)\n"
        "shapes known: ";
  for (const Workload &w : allWorkloads())
    os << w.name() << (isQuick(w.shape) ? " (quick) " : " ");
  os << "\n";
}

/// Accepts --name=value and --name value.
bool takeValue(int argc, char **argv, int &i, const char *name,
               std::string &value) {
  size_t len = std::strlen(name);
  if (std::strncmp(argv[i], name, len) != 0)
    return false;
  if (argv[i][len] == '=') {
    value = argv[i] + len + 1;
    return true;
  }
  if (argv[i][len] == '\0' && i + 1 < argc) {
    value = argv[++i];
    return true;
  }
  return false;
}

int parse(int argc, char **argv, Options &o) {
  bool quick = false;
  std::string shapes, value;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return 0;
    } else if (arg == "--quick") {
      quick = true;
    } else if (takeValue(argc, argv, i, "--shapes", value)) {
      shapes = value;
    } else if (takeValue(argc, argv, i, "--libs", value)) {
      o.libs = split(value, ',');
    } else if (takeValue(argc, argv, i, "--weights", value)) {
      o.weightBits.clear();
      for (const std::string &bits : split(value, ',')) {
        char *end;
        long b = std::strtol(bits.c_str(), &end, 10);
        if (*end || !isWeightBits(int(b))) {
          std::cerr << "bench_gemm: bad weight set '" << bits
                    << "' (want 8, 7 or 4)\n";
          return 2;
        }
        o.weightBits.push_back(int(b));
      }
    } else if (takeValue(argc, argv, i, "--reps", value)) {
      o.reps = std::max(1, std::atoi(value.c_str()));
    } else if (takeValue(argc, argv, i, "--min-time", value)) {
      o.minTime = std::atof(value.c_str());
    } else if (takeValue(argc, argv, i, "--seed", value)) {
      o.seed = std::strtoull(value.c_str(), nullptr, 10);
    } else {
      std::cerr << "bench_gemm: unknown argument '" << arg << "'\n";
      usage(std::cerr);
      return 2;
    }
  }
  if (!shapes.empty()) {
    for (const std::string &text : split(shapes, ',')) {
      Workload w;
      if (!parseWorkload(text, w)) {
        std::cerr << "bench_gemm: bad shape '" << text
                  << "' (want MxNxK or HxWxC-kKHxKW-sS-pP-oO)\n";
        return 2;
      }
      if (!quick || isQuick(w.shape))
        o.workloads.push_back(w);
      else
        std::cout << "skipped shape " << w.name() << " (--quick)\n";
    }
  } else {
    for (const Workload &w : allWorkloads())
      if (!quick || isQuick(w.shape))
        o.workloads.push_back(w);
  }
  for (const std::string &lib : o.libs)
    if (lib != "xnnpack" && lib != "onednn" && lib != "gemmlowp" &&
        lib != "quantaware") {
      std::cerr << "bench_gemm: unknown library '" << lib << "'\n";
      return 2;
    }
  if (o.workloads.empty()) {
    std::cerr << "bench_gemm: no shape selected\n";
    return 2;
  }
  if (o.weightBits.empty()) {
    std::cerr << "bench_gemm: no weight set selected\n";
    return 2;
  }
  return -1;
}

std::string cpuName() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

/// Rounds in which the libraries take turns: a slow spell of the machine
/// (this one's timings move by 10 to 20% from run to run) then falls on
/// all of them, not on whichever ran at the time.
constexpr int timingRounds = 5;

/// Each library's median time per call: at least `reps` calls and
/// `minTime` seconds, in timingRounds rounds, each library's share of a
/// round after an untimed warm-up call (caches, page faults, lazy
/// initialization), as the other libraries ran in between.
std::vector<double> medianSeconds(const std::vector<Library *> &libs, int reps,
                                  double minTime) {
  using clock = std::chrono::steady_clock;
  auto timeOne = [](Library &lib) {
    auto t0 = clock::now();
    lib.run();
    return std::chrono::duration<double>(clock::now() - t0).count();
  };
  size_t n = libs.size();
  std::vector<std::vector<double>> times(n);
  std::vector<int> perRound(n, 0);
  // Round r starts at library r mod n, so that none always follows the
  // same one.
  for (int round = 0; round < timingRounds; ++round)
    for (size_t turn = 0; turn < n; ++turn) {
      size_t i = (turn + size_t(round)) % n;
      timeOne(*libs[i]);
      if (round == 0) {
        // The first timed call sets how many calls make up a share.
        double first = timeOne(*libs[i]);
        times[i].push_back(first);
        int want = reps;
        if (first > 0)
          want = std::max(reps, int(std::min(1000.0, minTime / first)));
        perRound[i] = (want + timingRounds - 1) / timingRounds;
      }
      while (int(times[i].size()) < (round + 1) * perRound[i])
        times[i].push_back(timeOne(*libs[i]));
    }
  std::vector<double> medians;
  for (std::vector<double> &t : times) {
    std::sort(t.begin(), t.end());
    size_t m = t.size();
    medians.push_back(m % 2 ? t[m / 2] : 0.5 * (t[m / 2 - 1] + t[m / 2]));
  }
  return medians;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

struct Entry {
  std::string shape, weights, key, library, status; // status: "" when it ran
  double gops = 0;
  std::vector<Check> checks;
  std::string detail;
  bool ok() const {
    if (!status.empty() || checks.empty())
      return false;
    for (const Check &c : checks)
      if (!c.exact())
        return false;
    return true;
  }
};

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (int rc = parse(argc, argv, o); rc >= 0)
    return rc;

  // The libraries, in column order; a null one was not built.
  struct Column {
    std::string key, title;
    std::unique_ptr<Library> lib;
  };
  std::vector<Column> columns;
  auto add = [&](const char *key, const char *title,
                 std::unique_ptr<Library> lib) {
    if (std::find(o.libs.begin(), o.libs.end(), key) == o.libs.end())
      return;
    if (!lib) {
      std::cout << "skipped: " << title
                << " (not found when the benchmark was configured)\n";
      return;
    }
    columns.push_back({key, lib->name(), std::move(lib)});
  };
  add("xnnpack", "XNNPACK", makeXnnpack());
  add("onednn", "oneDNN", makeOnednn());
  add("gemmlowp", "gemmlowp", makeGemmlowp());
  add("quantaware", "QuantAware", makeQuantAware());
  if (columns.empty()) {
    std::cerr << "bench_gemm: no library to run\n";
    return 1;
  }
  int xnnpack = -1, quantaware = -1;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].key == "xnnpack")
      xnnpack = int(i);
    if (columns[i].key == "quantaware")
      quantaware = int(i);
  }

  std::cout << "bench_gemm: int8 GEMM / fully connected and convolution, "
               "one thread, GOPS = 2*M*N*K / median time (a convolution's "
               "M*N*K: of its patches, padding included)\n"
            << "CPU: " << cpuName() << "; the median of >= " << o.reps
            << " calls and >= " << o.minTime << " s per cell, in "
            << timingRounds
            << " rounds that take a row's libraries in turn, each share "
               "after a warm-up call\n"
#ifdef BENCH_ISA_AVX2
            << "instruction set: AVX2 for every library (QuantAware "
               "--target=x86_64-avx2, XNNPACK and oneDNN kept off AVX-512)\n"
#endif
            << "data: activations u8 0..255 (int8 storage a-128, zero point "
               "-128; seed "
            << o.seed
            << "), weights s8 -128..127 (8-bit) or the same shifted right by "
               "1, -64..63 (7-bit), or by 4, -8..7 (4-bit); checked against "
               "exact int64 "
               "accumulators (ok = bit-exact)\n\n";

  // Header of the markdown table.
  std::string header = "| shape (MxNxK, or conv HxWxC-kKHxKW-sS-pP-oO) | "
                       "weights |",
              rule = "|---|---|";
  for (const Column &c : columns) {
    header += " " + c.title + " |";
    rule += "---:|";
  }
  bool ratio = xnnpack >= 0 && quantaware >= 0;
  if (ratio) {
    header += " QuantAware / XNNPACK |";
    rule += "---:|";
  }
  std::cout << header << "\n" << rule << "\n" << std::flush;

  std::vector<Entry> entries;
  for (const Workload &work : o.workloads) {
    const Shape &s = work.shape;
    for (int bits : o.weightBits) {
      Problem p;
      p.shape = s;
      p.conv = work.conv;
      p.weightBits = bits;
      p.a = work.conv ? makeInput(*work.conv, o.seed)
                      : makeActivations(s, o.seed);
      p.aS8.resize(p.a.size());
      for (size_t i = 0; i < p.a.size(); ++i)
        p.aS8[i] = int8_t(int(p.a[i]) - 128);
      p.w = makeWeights(s, bits);
      p.wT.resize(p.w.size());
      for (int64_t k = 0; k < s.k; ++k)
        for (int64_t n = 0; n < s.n; ++n)
          p.wT[size_t(n * s.k + k)] = p.w[size_t(k * s.n + n)];
      p.acc = referenceAccumulators(
          s, work.conv ? im2col(*work.conv, p.a.data()).data() : p.a.data(),
          p.w.data());
      p.shift = outputShift(s.k, bits);

      std::string title =
          work.conv ? "conv " + work.name() + " (" + s.name() + ")" : s.name();
      std::string row = "| " + title + " | " + weightsTitle(bits) + " |";
      std::vector<double> gops(columns.size(), 0);
      std::vector<Entry> shapeEntries(columns.size());
      std::vector<Library *> ready;
      for (size_t i = 0; i < columns.size(); ++i) {
        Entry &e = shapeEntries[i];
        e.shape = work.name();
        e.weights = weightsTitle(bits);
        e.key = columns[i].key;
        e.library = columns[i].title;
        e.status = columns[i].lib->setup(p);
        if (e.status.empty())
          ready.push_back(columns[i].lib.get());
      }
      std::vector<double> seconds = medianSeconds(ready, o.reps, o.minTime);
      for (size_t i = 0, timed = 0; i < columns.size(); ++i) {
        Entry &e = shapeEntries[i];
        if (e.status.empty()) {
          e.gops = s.ops() / seconds[timed++] * 1e-9;
          e.checks = columns[i].lib->check(p);
          e.detail = columns[i].lib->detail();
          gops[i] = e.gops;
          row += " " + fixed(e.gops, e.gops < 10 ? 2 : 1) +
                 (e.ok() ? " ok" : " **WRONG**") + " |";
        } else {
          row += " n/a |";
        }
        entries.push_back(e);
      }
      if (ratio) {
        if (gops[xnnpack] > 0 && gops[quantaware] > 0)
          row += " " + fixed(gops[quantaware] / gops[xnnpack], 3) + " |";
        else
          row += " n/a |";
      }
      std::cout << row << "\n" << std::flush;
    }
  }

  std::cout << "\nCorrectness against the exact reference (int32 acc: "
               "sum_k a*w; int8 out: that times 2^-shift in float32, "
               "saturated, rounded half to even, shift 8 - bits less for "
               "7- and 4-bit weights; int16 out: the same at 2^(8-shift)):\n\n"
            << "| shape | weights | library | compared | values | differ "
               "| max abs diff | note |\n"
               "|---|---|---|---|---:|---:|---:|---|\n";
  for (const Entry &e : entries) {
    std::string lead =
        "| " + e.shape + " | " + e.weights + " | " + e.library + " | ";
    if (!e.status.empty()) {
      std::cout << lead << "- | - | - | - | " << e.status << " |\n";
      continue;
    }
    for (const Check &c : e.checks)
      std::cout << lead << c.what
                << " | " << c.total << " | " << c.mismatches << " ("
                << fixed(100.0 * double(c.mismatches) / double(c.total), 2)
                << "%) | " << c.maxAbsDiff << " | " << e.detail << " |\n";
  }
  // Peers' errors are reported; QuantAware's are also the exit status.
  std::vector<std::string> wrong;
  bool quantAwareWrong = false;
  for (const Entry &e : entries)
    if (e.status.empty() && !e.ok()) {
      std::string what = e.library + " (" + e.weights + " weights)";
      if (std::find(wrong.begin(), wrong.end(), what) == wrong.end())
        wrong.push_back(what);
      quantAwareWrong |= e.key == "quantaware";
    }
  if (wrong.empty()) {
    std::cout << "\nevery library that ran was bit-exact\n";
  } else {
    std::cout << "\nnot bit-exact:";
    for (const std::string &w : wrong)
      std::cout << " " << w << (&w == &wrong.back() ? "" : ",");
    std::cout << "\n";
  }
  return quantAwareWrong ? 1 : 0;
}
