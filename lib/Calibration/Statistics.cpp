//===- Statistics.cpp - Calibration statistics and range selection --------===//
//
// Implements the specifications in Statistics.h; keep the two in step.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Calibration/Statistics.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::qa;

//===----------------------------------------------------------------------===//
// Histogram and per-tensor statistics
//===----------------------------------------------------------------------===//

size_t Histogram::binOf(double value) const {
  if (hi == lo)
    return 0;
  double bin = std::floor((value - lo) / (hi - lo) * counts.size());
  return static_cast<size_t>(
      std::clamp(bin, 0.0, static_cast<double>(counts.size() - 1)));
}

uint64_t Histogram::total() const {
  return std::accumulate(counts.begin(), counts.end(), uint64_t{0});
}

void TensorStatistics::observeExtremes(ArrayRef<double> sample,
                                       ArrayRef<int64_t> shape,
                                       double averagingConstant) {
  if (sample.empty())
    return; // A tensor with no elements has no extremes to record.
  auto [lo, hi] = std::minmax_element(sample.begin(), sample.end());
  min = std::min(min, *lo);
  max = std::max(max, *hi);
  if (samples == 0) {
    averageMin = *lo;
    averageMax = *hi;
  } else {
    averageMin = (1 - averagingConstant) * averageMin + averagingConstant * *lo;
    averageMax = (1 - averagingConstant) * averageMax + averagingConstant * *hi;
  }
  ++samples;
  if (channelAxis < 0)
    return;
  int64_t channels = shape[channelAxis];
  int64_t inner = 1;
  for (int64_t dim : shape.drop_front(channelAxis + 1))
    inner *= dim;
  if (channelMin.empty()) {
    channelMin.assign(channels, std::numeric_limits<double>::infinity());
    channelMax.assign(channels, -std::numeric_limits<double>::infinity());
  }
  for (size_t i = 0; i < sample.size(); ++i) {
    int64_t channel = (static_cast<int64_t>(i) / inner) % channels;
    channelMin[channel] = std::min(channelMin[channel], sample[i]);
    channelMax[channel] = std::max(channelMax[channel], sample[i]);
  }
}

void TensorStatistics::startHistograms(size_t bins) {
  values = Histogram(min, max, bins);
  magnitudes = Histogram(0.0, std::max(std::abs(min), std::abs(max)), bins);
}

void TensorStatistics::observeHistograms(ArrayRef<double> sample) {
  for (double value : sample) {
    values.add(value);
    magnitudes.add(std::abs(value));
  }
}

//===----------------------------------------------------------------------===//
// Range selection
//===----------------------------------------------------------------------===//

static double percentileThreshold(const Histogram &h, double percentile) {
  double target = percentile / 100.0 * static_cast<double>(h.total());
  uint64_t cumulative = 0;
  for (size_t k = 0; k < h.counts.size(); ++k) {
    cumulative += h.counts[k];
    if (static_cast<double>(cumulative) >= target)
      return static_cast<double>(k + 1) * h.binWidth();
  }
  return h.hi;
}

static double entropyThreshold(const Histogram &h, size_t levels) {
  size_t bins = h.counts.size();
  if (bins < levels)
    return static_cast<double>(bins) * h.binWidth();
  std::vector<double> counts(h.counts.begin(), h.counts.end());
  double bestDivergence = std::numeric_limits<double>::infinity();
  size_t best = bins;
  std::vector<double> p, q, groupSum(levels), groupNonZero(levels);
  for (size_t i = levels; i <= bins; ++i) {
    p.assign(counts.begin(), counts.begin() + i);
    for (size_t k = i; k < bins; ++k)
      p[i - 1] += counts[k];
    std::fill(groupSum.begin(), groupSum.end(), 0.0);
    std::fill(groupNonZero.begin(), groupNonZero.end(), 0.0);
    for (size_t k = 0; k < i; ++k) {
      size_t group = k * levels / i;
      groupSum[group] += counts[k];
      groupNonZero[group] += counts[k] != 0;
    }
    q.assign(i, 0.0);
    for (size_t k = 0; k < i; ++k)
      if (counts[k] != 0) {
        size_t group = k * levels / i;
        q[k] = groupSum[group] / groupNonZero[group];
      }
    double pTotal = std::accumulate(p.begin(), p.end(), 0.0);
    double qTotal = std::accumulate(q.begin(), q.end(), 0.0);
    if (pTotal == 0 || qTotal == 0)
      continue;
    double divergence = 0;
    for (size_t k = 0; k < i; ++k) {
      if (p[k] == 0)
        continue;
      double pk = p[k] / pTotal, qk = q[k] / qTotal;
      if (qk == 0) {
        divergence = std::numeric_limits<double>::infinity();
        break;
      }
      divergence += pk * std::log(pk / qk);
    }
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      best = i;
    }
  }
  return static_cast<double>(best) * h.binWidth();
}

static double mseThreshold(const Histogram &h, double qmax) {
  double width = h.binWidth();
  double bestError = std::numeric_limits<double>::infinity();
  double best = h.hi;
  for (size_t i = 1; i <= h.counts.size(); ++i) {
    double threshold = static_cast<double>(i) * width;
    double scale = threshold / qmax;
    double error = 0;
    for (size_t k = 0; k < h.counts.size(); ++k) {
      if (h.counts[k] == 0)
        continue;
      double center = (static_cast<double>(k) + 0.5) * width;
      double level = std::min(std::round(center / scale), qmax);
      double difference = center - level * scale;
      error += static_cast<double>(h.counts[k]) * difference * difference;
    }
    if (error < bestError) {
      bestError = error;
      best = threshold;
    }
  }
  return best;
}

std::pair<double, double> mlir::qa::selectRange(const TensorStatistics &stats,
                                                const RangeSelection &selection) {
  switch (selection.method) {
  case CalibrationMethod::MinMax:
    return {stats.min, stats.max};
  case CalibrationMethod::MovingAverage:
    return {stats.averageMin, stats.averageMax};
  default:
    break;
  }
  const Histogram &magnitudes = stats.magnitudes;
  if (magnitudes.hi == 0)
    return {0.0, 0.0};
  bool nonNegative = stats.min >= 0;
  double threshold;
  if (selection.method == CalibrationMethod::Percentile) {
    threshold = percentileThreshold(magnitudes, selection.percentile);
  } else if (selection.method == CalibrationMethod::Entropy) {
    size_t levels = size_t{1} << (nonNegative ? selection.bits : selection.bits - 1);
    threshold = entropyThreshold(magnitudes, levels);
  } else {
    double qmax = std::ldexp(1.0, nonNegative ? selection.bits : selection.bits - 1) - 1;
    threshold = mseThreshold(magnitudes, qmax);
  }
  return {std::max(stats.min, -threshold), std::min(stats.max, threshold)};
}

std::optional<CalibrationMethod> mlir::qa::parseCalibrationMethod(StringRef name) {
  return llvm::StringSwitch<std::optional<CalibrationMethod>>(name)
      .Case("min-max", CalibrationMethod::MinMax)
      .Case("moving-average", CalibrationMethod::MovingAverage)
      .Case("percentile", CalibrationMethod::Percentile)
      .Case("entropy", CalibrationMethod::Entropy)
      .Case("mse", CalibrationMethod::Mse)
      .Default(std::nullopt);
}

StringRef mlir::qa::stringifyCalibrationMethod(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "min-max";
  case CalibrationMethod::MovingAverage:
    return "moving-average";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::Entropy:
    return "entropy";
  case CalibrationMethod::Mse:
    return "mse";
  }
  llvm_unreachable("unknown calibration method");
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static llvm::json::Value histogramToJSON(const Histogram &h) {
  return llvm::json::Object{{"lo", h.lo}, {"hi", h.hi},
                            {"counts", llvm::json::Array(h.counts)}};
}

llvm::json::Value CalibrationStatistics::toJSON() const {
  llvm::json::Array array;
  for (const TensorStatistics &t : tensors) {
    llvm::json::Object object{{"name", t.name},
                              {"samples", static_cast<int64_t>(t.samples)},
                              {"min", t.min},
                              {"max", t.max},
                              {"average_min", t.averageMin},
                              {"average_max", t.averageMax},
                              {"values", histogramToJSON(t.values)},
                              {"magnitudes", histogramToJSON(t.magnitudes)}};
    if (t.channelAxis >= 0)
      object["channels"] = llvm::json::Object{
          {"axis", t.channelAxis},
          {"min", llvm::json::Array(t.channelMin)},
          {"max", llvm::json::Array(t.channelMax)}};
    array.push_back(std::move(object));
  }
  return llvm::json::Object{{"format", "quantaware-calibration-1"},
                            {"function", function},
                            {"averaging_constant", averagingConstant},
                            {"samples", static_cast<int64_t>(samples)},
                            {"tensors", std::move(array)}};
}

namespace {
/// Reads fields with a path for error messages.
struct Reader {
  llvm::json::Path::Root root{"statistics"};

  template <typename T>
  bool field(const llvm::json::Object *object, StringRef key, T &out,
             llvm::json::Path path) {
    const llvm::json::Value *value = object ? object->get(key) : nullptr;
    if (!value) {
      path.field(key).report("missing");
      return false;
    }
    return llvm::json::fromJSON(*value, out, path.field(key));
  }

  bool histogram(const llvm::json::Object *object, StringRef key,
                 Histogram &out, llvm::json::Path path) {
    const llvm::json::Object *h = object ? object->getObject(key) : nullptr;
    llvm::json::Path at = path.field(key);
    if (!h) {
      at.report("missing histogram");
      return false;
    }
    std::vector<int64_t> counts;
    if (!field(h, "lo", out.lo, at) || !field(h, "hi", out.hi, at) ||
        !field(h, "counts", counts, at))
      return false;
    if (counts.empty() || out.hi < out.lo ||
        llvm::any_of(counts, [](int64_t c) { return c < 0; })) {
      at.report("needs lo <= hi and non-negative counts");
      return false;
    }
    out.counts.assign(counts.begin(), counts.end());
    return true;
  }

  llvm::Error error() {
    std::string message;
    llvm::raw_string_ostream os(message);
    os << llvm::toString(root.getError());
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  }
};
} // namespace

llvm::Expected<CalibrationStatistics>
CalibrationStatistics::fromJSON(const llvm::json::Value &value) {
  Reader reader;
  llvm::json::Path path(reader.root);
  const llvm::json::Object *object = value.getAsObject();
  CalibrationStatistics stats;
  std::string format;
  if (!reader.field(object, "format", format, path))
    return reader.error();
  if (format != "quantaware-calibration-1") {
    path.field("format").report("unknown format (expected "
                                "quantaware-calibration-1)");
    return reader.error();
  }
  int64_t samples = 0;
  const llvm::json::Array *tensors = object->getArray("tensors");
  if (!reader.field(object, "function", stats.function, path) ||
      !reader.field(object, "averaging_constant", stats.averagingConstant,
                    path) ||
      !reader.field(object, "samples", samples, path))
    return reader.error();
  if (!tensors) {
    path.field("tensors").report("missing");
    return reader.error();
  }
  stats.samples = samples;
  for (auto [index, entry] : llvm::enumerate(*tensors)) {
    llvm::json::Path at = path.field("tensors").index(index);
    const llvm::json::Object *t = entry.getAsObject();
    TensorStatistics tensor;
    int64_t tensorSamples = 0;
    if (!reader.field(t, "name", tensor.name, at) ||
        !reader.field(t, "samples", tensorSamples, at) ||
        !reader.field(t, "min", tensor.min, at) ||
        !reader.field(t, "max", tensor.max, at) ||
        !reader.field(t, "average_min", tensor.averageMin, at) ||
        !reader.field(t, "average_max", tensor.averageMax, at) ||
        !reader.histogram(t, "values", tensor.values, at) ||
        !reader.histogram(t, "magnitudes", tensor.magnitudes, at))
      return reader.error();
    if (!(tensor.min <= tensor.max) || !std::isfinite(tensor.min) ||
        !std::isfinite(tensor.max)) {
      at.report("needs finite min <= max");
      return reader.error();
    }
    tensor.samples = tensorSamples;
    if (const llvm::json::Object *channels = t->getObject("channels")) {
      llvm::json::Path c = at.field("channels");
      if (!reader.field(channels, "axis", tensor.channelAxis, c) ||
          !reader.field(channels, "min", tensor.channelMin, c) ||
          !reader.field(channels, "max", tensor.channelMax, c))
        return reader.error();
    }
    stats.tensors.push_back(std::move(tensor));
  }
  return stats;
}

const TensorStatistics *CalibrationStatistics::lookup(StringRef name) const {
  auto it = llvm::find_if(tensors, [&](const TensorStatistics &t) {
    return t.name == name;
  });
  return it == tensors.end() ? nullptr : &*it;
}

llvm::Error CalibrationStatistics::write(StringRef path) const {
  std::error_code error;
  llvm::raw_fd_ostream os(path, error, llvm::sys::fs::OF_Text);
  if (error)
    return llvm::createStringError(error, "cannot write %s: %s",
                                   path.str().c_str(),
                                   error.message().c_str());
  os << toJSON() << "\n";
  return llvm::Error::success();
}

llvm::Expected<CalibrationStatistics>
CalibrationStatistics::read(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read %s: %s",
                                   path.str().c_str(),
                                   buffer.getError().message().c_str());
  llvm::Expected<llvm::json::Value> value =
      llvm::json::parse((*buffer)->getBuffer());
  if (!value)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": invalid JSON: " +
                                       llvm::toString(value.takeError()));
  llvm::Expected<CalibrationStatistics> stats = fromJSON(*value);
  if (!stats)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": " + llvm::toString(stats.takeError()));
  return stats;
}
