//===- Statistics.h - Calibration statistics and range selection -*- C++ -*-===//
//
// What calibration records about each observed tensor (extremes, moving
// averages of per-sample extremes, histograms of values and magnitudes,
// optional per-channel extremes), its JSON form, and the methods that turn
// it into a range. Every method is specified exactly here so that tests can
// reimplement it independently.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_CALIBRATION_STATISTICS_H
#define QUANTAWARE_CALIBRATION_STATISTICS_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <limits>
#include <string>
#include <vector>

namespace mlir::qa {

/// `counts.size()` equal bins over [lo, hi]. A value goes to bin
/// floor((value - lo) / (hi - lo) * bins), clamped to [0, bins - 1]
/// (computed in double in that order); every value goes to bin 0 when
/// hi == lo.
struct Histogram {
  double lo = 0, hi = 0;
  std::vector<uint64_t> counts;

  Histogram() = default;
  Histogram(double lo, double hi, size_t bins)
      : lo(lo), hi(hi), counts(bins, 0) {}
  size_t binOf(double value) const;
  void add(double value) { ++counts[binOf(value)]; }
  double binWidth() const { return (hi - lo) / counts.size(); }
  uint64_t total() const;
};

/// Statistics of one observed tensor over all samples.
struct TensorStatistics {
  std::string name;
  uint64_t samples = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  /// Exponential moving averages of each sample's min and max:
  /// avg = (1 - c) * avg + c * sample, starting from the first sample.
  double averageMin = 0, averageMax = 0;
  /// Values over [min, max] and magnitudes |x| over [0, max(|min|, |max|)].
  Histogram values, magnitudes;
  /// Per-channel extremes along `channelAxis` (-1: not collected).
  int64_t channelAxis = -1;
  std::vector<double> channelMin, channelMax;

  /// First pass: one sample of shape `shape`.
  void observeExtremes(ArrayRef<double> sample, ArrayRef<int64_t> shape,
                       double averagingConstant);
  /// Second pass, once the extremes are known.
  void startHistograms(size_t bins);
  void observeHistograms(ArrayRef<double> sample);
};

enum class CalibrationMethod { MinMax, MovingAverage, Percentile, Entropy, Mse };

/// How a range is chosen from statistics.
///
/// * min-max: [min, max].
/// * moving-average: [averageMin, averageMax].
/// The remaining methods choose a threshold T on the magnitude histogram
/// (bin width w, N bins, counts h) and return [max(min, -T), min(max, T)]:
/// * percentile p: T = (k + 1) w for the first bin k whose cumulative count
///   reaches p / 100 * total.
/// * entropy (TensorRT's KL-divergence calibration): with L levels (2^bits
///   for a non-negative tensor, 2^(bits-1) otherwise), for every i in [L, N]:
///   P = h[0, i) with the outliers h[i, N) added to P[i-1]; bins k < i merge
///   into group floor(k L / i); Q spreads each group's sum evenly over its
///   non-empty bins; with P and Q normalized, KL = sum_{P>0} P log(P / Q)
///   (infinite if some Q is 0 where P > 0). T = i w for the smallest i of
///   least KL; if N < L, T = N w.
/// * mse: for every i in [1, N], T = i w, scale s = T / qmax (qmax =
///   2^bits - 1 for a non-negative tensor, 2^(bits-1) - 1 otherwise), error
///   = sum_k h[k] (c_k - min(round(c_k / s), qmax) s)^2 over bin centers
///   c_k = (k + 1/2) w, rounding half away from zero; the smallest T of least
///   error wins.
struct RangeSelection {
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.99;
  unsigned bits = 8;
};

/// The chosen [lo, hi]; {0, 0} for a tensor that was always zero.
std::pair<double, double> selectRange(const TensorStatistics &stats,
                                      const RangeSelection &selection);

/// Parses "min-max", "moving-average", "percentile", "entropy", "mse".
std::optional<CalibrationMethod> parseCalibrationMethod(StringRef name);
StringRef stringifyCalibrationMethod(CalibrationMethod method);

/// Statistics of every observed tensor of one function.
struct CalibrationStatistics {
  std::string function;
  uint64_t samples = 0;
  /// The constant the moving averages were accumulated with.
  double averagingConstant = 0;
  std::vector<TensorStatistics> tensors;

  const TensorStatistics *lookup(StringRef name) const;

  llvm::json::Value toJSON() const;
  static llvm::Expected<CalibrationStatistics>
  fromJSON(const llvm::json::Value &value);

  llvm::Error write(StringRef path) const;
  static llvm::Expected<CalibrationStatistics> read(StringRef path);
};

} // namespace mlir::qa

#endif // QUANTAWARE_CALIBRATION_STATISTICS_H
