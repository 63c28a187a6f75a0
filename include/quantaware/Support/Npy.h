//===- Npy.h - Read NumPy .npy arrays ---------------------------*- C++ -*-===//
//
// Reads and writes NumPy's .npy format (versions 1-3, C order): the float
// samples calibration runs on, and the integer or float tensors quant-run
// reads and writes. Little-endian float16/32/64 and signed or unsigned 8- to
// 64-bit integers. Every error names the file and says what is wrong.
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
  /// Row-major elements, widened to double (exact for floats and for
  /// integers up to 2^53 in magnitude).
  std::vector<double> data;
  /// NumPy's dtype string, e.g. "<f4", "|i1", "<u2".
  std::string dtype = "<f8";

  bool isFloat() const { return dtype[1] == 'f'; }
};

/// Writes `array` with its dtype (values are rounded or truncated to it by
/// the caller's choice of dtype; out-of-range values are an error).
llvm::Error writeNpy(StringRef path, const NpyArray &array);

/// True when `array` is a batch of tensors of `shape`: shape [N, ...shape],
/// where a leading 1 of `shape` may be left out.
bool isBatchOf(const NpyArray &array, ArrayRef<int64_t> shape);

/// Reads one .npy file.
llvm::Expected<NpyArray> readNpy(StringRef path);

/// Reads `path` if it is a file, or every *.npy in it (sorted by name) if it
/// is a directory, concatenated along the leading (batch) dimension; all
/// arrays must agree on the other dimensions.
llvm::Expected<NpyArray> readNpyBatch(StringRef path);

} // namespace mlir::qa

#endif // QUANTAWARE_SUPPORT_NPY_H
