//===- Npy.h - Read NumPy .npy arrays ---------------------------*- C++ -*-===//
//
// Reads the float arrays calibration samples come in: NumPy's .npy format
// (versions 1-3), little-endian float16/float32/float64, C order. Every
// error names the file and says what is wrong with it.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_SUPPORT_NPY_H
#define QUANTAWARE_SUPPORT_NPY_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir::qa {

struct NpyArray {
  std::vector<int64_t> shape;
  /// Row-major elements, widened to double (exact for every accepted dtype).
  std::vector<double> data;
};

/// Reads one .npy file.
llvm::Expected<NpyArray> readNpy(StringRef path);

/// Reads `path` if it is a file, or every *.npy in it (sorted by name) if it
/// is a directory, concatenated along the leading (batch) dimension; all
/// arrays must agree on the other dimensions.
llvm::Expected<NpyArray> readNpyBatch(StringRef path);

} // namespace mlir::qa

#endif // QUANTAWARE_SUPPORT_NPY_H
