// Every bad input to qa-calibrate gets a clear error naming the file, the
// tensor or the op; none crashes.
// RUN: rm -rf %t && %python %S/Inputs/write_npy.py %t
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/missing.npy" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/garbage.npy" 2>&1 | FileCheck %s --check-prefix=GARBAGE
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/ints.npy" 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/wide.npy" 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/nan.npy" 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/x.npy,%t/x.npy" 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/negative.npy" 2>&1 | FileCheck %s --check-prefix=PRODUCED
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/x.npy method=median" 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/x.npy stats-in=%t/s.json" 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not quant-opt %s --split-input-file --qa-calibrate="stats-in=%t/missing.json" 2>&1 | FileCheck %s --check-prefix=NOSTATS
// RUN: quant-opt %s --split-input-file --qa-calibrate="samples=%t/x.npy stats-out=%t/other.json" -o /dev/null 2>/dev/null || true
// RUN: not quant-opt %s --split-input-file --qa-calibrate="stats-in=%t/other.json function=renamed" 2>&1 | FileCheck %s --check-prefix=STALE
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/x.npy percentile=0" 2>&1 | FileCheck %s --check-prefix=PERCENTILE
// RUN: not quant-opt %s --split-input-file --qa-calibrate="samples=%t/huge.npy" 2>&1 | FileCheck %s --check-prefix=HUGE

// MISSING: error: samples for argument #0: {{.*}}missing.npy: cannot read: No such file or directory
// GARBAGE: error: samples for argument #0: {{.*}}garbage.npy: not a .npy file
// DTYPE: error: samples for argument #0: {{.*}}ints.npy: unsupported dtype '<i8': samples must be float16, float32 or float64
// SHAPE: error: argument #0 of @model has type 'tensor<1x4xf32>', but the samples in {{.*}}wide.npy have shape [3, 1, 5]: expected [N, 1, 4] with N samples
// NAN: error: {{.*}}nan.npy: sample 1 has a NaN at element 2
// COUNT: error: @model has 1 argument(s) but samples= names 2; give one .npy file or directory per argument, comma-separated
// PRODUCED: calibrate-errors.mlir:[[@LINE+11]]:8: error: calibration sample 0 produced a NaN or infinity in 'tosa.log_0'
// METHOD: error: unknown calibration method 'median': expected min-max, moving-average, percentile, entropy or mse
// BOTH: error: qa-calibrate needs exactly one of samples=<.npy files> and stats-in=<statistics.json>
// NOSTATS: error: cannot read {{.*}}missing.json: No such file or directory
// STALE: error: no function @renamed with a body
// PERCENTILE: error: percentile must be in (0, 100], got 0
// HUGE: error: samples for argument #0: {{.*}}huge.npy: shape (2305843009213693953, 1) is too large

func.func @model(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %r = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  // Only reached with the negative samples: log of a negative number.
  %l = tosa.log %x : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %s = tosa.add %r, %l : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %s : tensor<1x4xf32>
}
