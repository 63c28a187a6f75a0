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
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
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
  unsigned width = 0;
  if (dtype.size() == 3 && (dtype[0] == '<' || dtype[0] == '|') &&
      llvm::is_contained(StringRef("fiu"), dtype[1]))
    width = dtype[2] - '0';
  bool supported = (dtype[1] == 'f' && (width == 2 || width == 4 || width == 8)) ||
                   (dtype[1] != 'f' && (width == 1 || width == 2 || width == 4 ||
                                        width == 8));
  if (!width || !supported || (width > 1 && dtype[0] != '<'))
    return fail(path, "unsupported dtype '" + dtype +
                          "': expected little-endian float16/32/64 or 8- to "
                          "64-bit integers");
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
    if (llvm::MulOverflow(count, size, count))
      return fail(path, "shape " + *shapeText + " is too large");
  }
  int64_t dataBytes;
  if (llvm::MulOverflow(count, static_cast<int64_t>(width), dataBytes))
    return fail(path, "shape " + *shapeText + " is too large");
  if (bytes.size() - dataStart != static_cast<size_t>(dataBytes))
    return fail(path, llvm::formatv("holds {0} bytes of data, but shape {1} "
                                    "of {2} needs {3}",
                                    bytes.size() - dataStart, *shapeText, dtype,
                                    dataBytes));
  array.dtype = dtype.str();
  array.data.resize(count);
  const char *data = bytes.data() + dataStart;
  for (int64_t i = 0; i < count; ++i) {
    const char *at = data + width * i;
    uint64_t bits = 0;
    std::memcpy(&bits, at, width); // little-endian host
    if (dtype[1] == 'f') {
      if (width == 8) {
        std::memcpy(&array.data[i], at, 8);
      } else if (width == 4) {
        float value;
        std::memcpy(&value, at, 4);
        array.data[i] = value;
      } else {
        llvm::APFloat half(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
        bool losesInfo;
        half.convert(llvm::APFloat::IEEEdouble(),
                     llvm::APFloat::rmNearestTiesToEven, &losesInfo);
        array.data[i] = half.convertToDouble();
      }
    } else if (dtype[1] == 'i') {
      array.data[i] = static_cast<double>(llvm::SignExtend64(bits, 8 * width));
    } else {
      array.data[i] = static_cast<double>(bits);
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

llvm::Error mlir::qa::writeNpy(StringRef path, const NpyArray &array) {
  StringRef dtype = array.dtype;
  unsigned width = dtype.size() == 3 ? dtype[2] - '0' : 0;
  std::string shape = "(";
  for (int64_t dim : array.shape)
    shape += std::to_string(dim) + ", ";
  if (array.shape.size() > 1)
    shape.erase(shape.size() - 2); // "(3, 4)"; a 1-tuple keeps its comma
  shape += ")";
  std::string header = "{'descr': '" + array.dtype +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Magic, version 1.0, length, header padded so the data is 64-aligned.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  if (error)
    return fail(path, "cannot write: " + error.message());
  os << "\x93NUMPY" << '\x01' << '\x00';
  os << static_cast<char>(header.size() & 0xff)
     << static_cast<char>(header.size() >> 8) << header;
  for (double value : array.data) {
    char bytes[8];
    if (dtype[1] == 'f' && width == 4) {
      auto narrow = static_cast<float>(value);
      std::memcpy(bytes, &narrow, 4);
    } else if (dtype[1] == 'f' && width == 8) {
      std::memcpy(bytes, &value, 8);
    } else if (dtype[1] == 'i' || dtype[1] == 'u') {
      double lo = dtype[1] == 'i' ? -std::ldexp(1.0, 8 * width - 1) : 0;
      double hi = std::ldexp(1.0, 8 * width - (dtype[1] == 'i')) - 1;
      if (value != std::trunc(value) || value < lo || value > hi)
        return fail(path, llvm::formatv("{0} does not fit dtype '{1}'", value,
                                        dtype));
      auto integer = static_cast<int64_t>(value);
      std::memcpy(bytes, &integer, 8); // little-endian: low bytes first
    } else {
      return fail(path, "cannot write dtype '" + dtype + "'");
    }
    os.write(bytes, width);
  }
  return llvm::Error::success();
}

bool mlir::qa::isBatchOf(const NpyArray &array, ArrayRef<int64_t> shape) {
  if (array.shape.empty())
    return false;
  ArrayRef<int64_t> sample = ArrayRef(array.shape).drop_front();
  return sample == shape ||
         (!shape.empty() && shape.front() == 1 && sample == shape.drop_front());
}
