//===- Npy.cpp - Read NumPy .npy arrays -----------------------------------===//
//
// The format: magic "\x93NUMPY", a version byte pair, a little-endian header
// length (2 bytes in v1, 4 in v2/v3), then a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (64, 1, 64), } padded
// with spaces, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Support/Npy.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qa;

static llvm::Error fail(StringRef path, const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

/// The value of `'key': value` in the header dict, up to the next `,` at
/// depth 0 (or the closing brace).
static std::optional<StringRef> headerField(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '(')
      ++depth;
    else if (c == ')')
      --depth;
    else if ((c == ',' && depth == 0) || c == '}')
      return rest.take_front(i).trim();
  }
  return std::nullopt;
}

llvm::Expected<NpyArray> mlir::qa::readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, "cannot read: " + buffer.getError().message());
  StringRef bytes = (*buffer)->getBuffer();
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return fail(path, "not a .npy file (missing the \\x93NUMPY magic)");
  auto major = static_cast<uint8_t>(bytes[6]);
  size_t headerLength, dataStart;
  if (major == 1) {
    headerLength = static_cast<uint8_t>(bytes[8]) |
                   (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
    dataStart = 10 + headerLength;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(path, "truncated header");
    headerLength = 0;
    for (int i = 0; i < 4; ++i)
      headerLength |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i]))
                      << (8 * i);
    dataStart = 12 + headerLength;
  } else {
    return fail(path, llvm::formatv("unsupported .npy version {0}", major));
  }
  if (dataStart > bytes.size())
    return fail(path, "truncated header");
  StringRef header = bytes.slice(dataStart - headerLength, dataStart);

  std::optional<StringRef> descr = headerField(header, "descr");
  std::optional<StringRef> order = headerField(header, "fortran_order");
  std::optional<StringRef> shapeText = headerField(header, "shape");
  if (!descr || !order || !shapeText)
    return fail(path, "malformed header: " + header.trim());
  StringRef dtype = descr->trim("'\"");
  unsigned width = dtype == "<f2" ? 2 : dtype == "<f4" ? 4 : dtype == "<f8" ? 8 : 0;
  if (!width)
    return fail(path, "unsupported dtype '" + dtype +
                          "': samples must be float16, float32 or float64 "
                          "(little-endian)");
  if (*order != "False")
    return fail(path, "Fortran-ordered arrays are not supported; save with "
                      "numpy.ascontiguousarray");

  NpyArray array;
  SmallVector<StringRef> dims;
  shapeText->trim("()").split(dims, ',', -1, /*KeepEmpty=*/false);
  int64_t count = 1;
  for (StringRef dim : dims) {
    int64_t size;
    if (dim.trim().getAsInteger(10, size) || size < 0)
      return fail(path, "malformed shape " + *shapeText);
    array.shape.push_back(size);
    count *= size;
  }
  if (bytes.size() - dataStart != static_cast<size_t>(count) * width)
    return fail(path, llvm::formatv("holds {0} bytes of data, but shape {1} "
                                    "of {2} needs {3}",
                                    bytes.size() - dataStart, *shapeText, dtype,
                                    count * width));
  array.data.resize(count);
  const char *data = bytes.data() + dataStart;
  for (int64_t i = 0; i < count; ++i) {
    if (width == 8) {
      std::memcpy(&array.data[i], data + 8 * i, 8);
    } else if (width == 4) {
      float value;
      std::memcpy(&value, data + 4 * i, 4);
      array.data[i] = value;
    } else {
      uint16_t bits;
      std::memcpy(&bits, data + 2 * i, 2);
      llvm::APFloat half(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
      bool losesInfo;
      half.convert(llvm::APFloat::IEEEdouble(),
                   llvm::APFloat::rmNearestTiesToEven, &losesInfo);
      array.data[i] = half.convertToDouble();
    }
  }
  return array;
}

llvm::Expected<NpyArray> mlir::qa::readNpyBatch(StringRef path) {
  if (!llvm::sys::fs::is_directory(path))
    return readNpy(path);
  std::vector<std::string> files;
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(path, error), end;
       it != end && !error; it.increment(error))
    if (llvm::sys::path::extension(it->path()) == ".npy")
      files.push_back(it->path());
  if (error)
    return fail(path, "cannot list directory: " + error.message());
  if (files.empty())
    return fail(path, "directory holds no .npy files");
  llvm::sort(files);
  NpyArray batch;
  for (const std::string &file : files) {
    llvm::Expected<NpyArray> array = readNpy(file);
    if (!array)
      return array.takeError();
    if (array->shape.empty())
      return fail(file, "is a scalar; expected a leading batch dimension");
    if (batch.shape.empty()) {
      batch = std::move(*array);
      continue;
    }
    if (!llvm::equal(ArrayRef(array->shape).drop_front(),
                     ArrayRef(batch.shape).drop_front()))
      return fail(file, "its per-sample shape differs from " + files.front());
    batch.shape[0] += array->shape[0];
    batch.data.insert(batch.data.end(), array->data.begin(), array->data.end());
  }
  return batch;
}
