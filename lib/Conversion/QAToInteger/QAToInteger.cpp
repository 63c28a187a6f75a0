//===- QAToInteger.cpp - Lower qa ops to integer arithmetic ---------------===//
//
// qa-lower-to-integer. Quantized tensors become tensors of their storage
// integers; contractions accumulate stored values in i32 and add one folded
// constant per output channel for the zero-point terms; requantization
// reproduces the reference arithmetic of each #qa.rounding mode
// (QuantizationUtils.h) step by step on i64, then offsets by the result zero
// point and saturates to the result's storage range.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/AccumulatorBounds.h"
#include "quantaware/Analysis/FloatMatchers.h"
#include "quantaware/Conversion/Passes.h"
#include "quantaware/Dialect/QA/IR/QAOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qa {
#define GEN_PASS_DEF_QALOWERTOINTEGER
#include "quantaware/Conversion/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// The integer type holding one stored value: the storage type, except that
/// 2- and 4-bit values are held one per byte (sign- or zero-extended by
/// storage signedness), so no sub-byte address is ever formed; sub-byte
/// weights are packed by the contractions instead.
static unsigned containerWidth(Type quantizedElement) {
  unsigned width = getStorageBitWidth(quantizedElement);
  return width == 1 ? 1 : std::max(width, 8u);
}

StorageTypeConverter::StorageTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    Type element = type.getElementType();
    if (!isQuantizedElementType(element))
      return type;
    return RankedTensorType::get(
        type.getShape(),
        IntegerType::get(type.getContext(), containerWidth(element)));
  });
}

namespace {

/// Scales and zero points of a per-tensor or per-axis uniform type, with
/// per-axis entries along `axis` (-1 for per-tensor). A `!qa.binary` type is
/// 1-bit storage b in {0, 1} for the values 2b - 1 in {-1, +1} scaled by its
/// alphas (its scales here), zero point 0.
struct Quantization {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t axis = -1;
  StorageRange range;
  bool isSigned;
  unsigned bits;
  bool binary = false;

  /// The width of the integers holding stored values (`containerWidth`).
  unsigned containerBits() const { return binary ? 1 : std::max(bits, 8u); }
  /// The largest |stored - zero point| of a per-tensor type.
  int64_t centeredMagnitude() const {
    return std::max(std::abs(range.min - zeroPoint(0)),
                    std::abs(range.max - zeroPoint(0)));
  }

  double scale(size_t i) const { return scales[scales.size() == 1 ? 0 : i]; }
  int64_t zeroPoint(size_t i) const {
    return zeroPoints[zeroPoints.size() == 1 ? 0 : i];
  }
};

} // namespace

static Type elementTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// The quantization of `value`, or an error at `op` naming what is not
/// supported yet. `widths` are the storage widths accepted in this role.
static FailureOr<Quantization> quantizationOf(Operation *op, Value value,
                                              StringRef role,
                                              ArrayRef<unsigned> widths) {
  Type element = elementTypeOf(value);
  Quantization q;
  if (auto binary = dyn_cast<BinaryType>(element)) {
    if (!llvm::is_contained(widths, 1u))
      return op->emitError() << "qa-lower-to-integer does not lower a binary "
                             << role << " of this op";
    q.scales.assign(binary.getAlphas().begin(), binary.getAlphas().end());
    q.zeroPoints = {0};
    q.axis = binary.getAxis();
    q.range = {0, 1};
    q.isSigned = false;
    q.bits = 1;
    q.binary = true;
    return q;
  }
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(element)) {
    q.scales = {perTensor.getScale()};
    q.zeroPoints = {perTensor.getZeroPoint()};
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    q.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    q.zeroPoints.assign(perAxis.getZeroPoints().begin(),
                        perAxis.getZeroPoints().end());
    q.axis = perAxis.getQuantizedDimension();
  } else {
    return op->emitError() << "qa-lower-to-integer does not lower " << role
                           << " of type " << element
                           << " yet (per-tensor or per-axis !quant.uniform "
                              "only)";
  }
  auto quantized = cast<quant::QuantizedType>(element);
  q.bits = quantized.getStorageTypeIntegralWidth();
  if (!llvm::is_contained(widths, q.bits)) {
    InFlightDiagnostic diag = op->emitError()
                              << "qa-lower-to-integer does not lower " << q.bits
                              << "-bit " << role << " yet (supported: ";
    llvm::interleaveComma(
        llvm::make_filter_range(widths, [](unsigned w) { return w > 1; }),
        diag);
    return diag << " bits"
                << (llvm::is_contained(widths, 1u) ? ", or binary)" : ")");
  }
  q.range = getStorageRange(element);
  q.isSigned = quantized.isSigned();
  return q;
}

//===----------------------------------------------------------------------===//
// Scalar building blocks (inside linalg bodies)
//===----------------------------------------------------------------------===//

static Value constantInt(OpBuilder &b, Location loc, Type type, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, type, value);
}

/// `value` as float type `to`: extended or truncated by bit width.
static Value convertFloat(OpBuilder &b, Location loc, Value value, Type to) {
  unsigned from = value.getType().getIntOrFloatBitWidth();
  unsigned width = to.getIntOrFloatBitWidth();
  if (value.getType() == to)
    return value;
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, value);
  return arith::TruncFOp::create(b, loc, to, value);
}

/// Widens a stored value to `to`, by its storage signedness.
static Value extend(OpBuilder &b, Location loc, Value value, bool isSigned,
                    Type to) {
  if (value.getType() == to)
    return value;
  return isSigned ? arith::ExtSIOp::create(b, loc, to, value).getResult()
                  : arith::ExtUIOp::create(b, loc, to, value).getResult();
}

/// `acc` (i32) times the Q31 `multiplier` and power-of-two `shift` (i32
/// values), rounded as the TFLite `mode` does, as i64: mirrors
/// multiplyByQuantizedMultiplier (tflite_double; a left shift wraps in i32
/// as in TFLite) and multiplyByQuantizedMultiplierSingleRounding.
static Value rescaleFixedPoint(OpBuilder &b, Location loc, Value acc,
                               Value multiplier, Value shift,
                               RoundingMode mode) {
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  auto c64 = [&](int64_t v) { return constantInt(b, loc, i64, v); };
  auto c32 = [&](int64_t v) { return constantInt(b, loc, i32, v); };
  if (mode == RoundingMode::TFLiteSingle) {
    // floor((x m + 2^(total - 1)) / 2^total) with total = 31 - shift.
    Value total = arith::SubIOp::create(
        b, loc, c64(31), arith::ExtSIOp::create(b, loc, i64, shift));
    Value half = arith::ShLIOp::create(
        b, loc, c64(1), arith::SubIOp::create(b, loc, total, c64(1)));
    Value product =
        arith::MulIOp::create(b, loc, arith::ExtSIOp::create(b, loc, i64, acc),
                              arith::ExtSIOp::create(b, loc, i64, multiplier));
    return arith::ShRSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, product, half), total);
  }
  // x * 2^max(shift, 0), wrapping in i32 as TFLite does.
  Value left = arith::MaxSIOp::create(b, loc, shift, c32(0));
  Value right = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, c32(0), shift), c32(0));
  Value shifted = arith::ShLIOp::create(b, loc, acc, left);
  // SaturatingRoundingDoublingHighMul: floor((x m + 2^30) / 2^31). The
  // multiplier is never INT32_MIN, so the saturating case cannot occur.
  Value product = arith::MulIOp::create(
      b, loc, arith::ExtSIOp::create(b, loc, i64, shifted),
      arith::ExtSIOp::create(b, loc, i64, multiplier));
  Value high = arith::ShRSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, product, c64(int64_t{1} << 30)),
      c64(31));
  // RoundingDivideByPOT: ties away from zero.
  Value exponent = arith::ExtSIOp::create(b, loc, i64, right);
  Value mask = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, c64(1), exponent), c64(1));
  Value remainder = arith::AndIOp::create(b, loc, high, mask);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, high, c64(0));
  Value threshold = arith::AddIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, mask, c64(1)),
      arith::ExtUIOp::create(b, loc, i64, negative));
  Value roundUp = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                        remainder, threshold);
  return arith::AddIOp::create(b, loc,
                               arith::ShRSIOp::create(b, loc, high, exponent),
                               arith::ExtUIOp::create(b, loc, i64, roundUp));
}

/// `rescaled` (i64) offset by `q`'s zero point and saturated to its storage
/// range, narrowed to its storage type.
static Value offsetAndSaturate(OpBuilder &b, Location loc, Value rescaled,
                               const Quantization &q) {
  Type i64 = b.getI64Type();
  Value offset = arith::AddIOp::create(
      b, loc, rescaled, constantInt(b, loc, i64, q.zeroPoint(0)));
  Value saturated = arith::MinSIOp::create(
      b, loc,
      arith::MaxSIOp::create(b, loc, offset,
                             constantInt(b, loc, i64, q.range.min)),
      constantInt(b, loc, i64, q.range.max));
  return arith::TruncIOp::create(b, loc, b.getIntegerType(q.containerBits()),
                                 saturated);
}

/// `scaled` (f32, in units of the result's scale, before its zero point)
/// clamped to [lo, hi] (integers covering the reachable range, where the
/// conversion is exact) and rounded half to even, as i64. The conversion is
/// to i32 (the levels of at most 16-bit storage fit), which vectorizes where
/// f32 to i64 does not (AVX2 has no packed form of it).
static Value roundHalfEvenBetween(OpBuilder &b, Location loc, Value scaled,
                                  int64_t lo, int64_t hi) {
  assert(lo >= INT32_MIN && hi <= INT32_MAX && "levels beyond i32");
  auto bound = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  };
  Value clamped = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, scaled, bound(lo)), bound(hi));
  return arith::ExtSIOp::create(
      b, loc, b.getI64Type(),
      arith::FPToSIOp::create(b, loc, b.getI32Type(),
                              math::RoundEvenOp::create(b, loc, clamped)));
}

/// `roundHalfEvenBetween` over the levels of `q`'s storage range.
static Value roundHalfEvenToLevel(OpBuilder &b, Location loc, Value scaled,
                                  const Quantization &q) {
  return roundHalfEvenBetween(b, loc, scaled, q.range.min - q.zeroPoint(0),
                              q.range.max - q.zeroPoint(0));
}

/// The requantization of `acc` (i32): rescale by the Q31 `multiplier` and
/// `shift` (i32, TFLite modes) or the f32 `floatMultiplier` (half_even; the
/// other operands are null for the mode that does not use them), add the result
/// zero point and saturate to `q`'s storage range; returns the narrowed
/// storage value. Mirrors multiplyByQuantizedMultiplier,
/// multiplyByQuantizedMultiplierSingleRounding and multiplyRoundHalfEven.
static Value requantizeScalar(OpBuilder &b, Location loc, Value acc,
                              Value multiplier, Value shift,
                              Value floatMultiplier, RoundingMode mode,
                              const Quantization &q) {
  if (mode != RoundingMode::HalfEven)
    return offsetAndSaturate(
        b, loc, rescaleFixedPoint(b, loc, acc, multiplier, shift, mode), q);
  // float32 product, rounded half to even.
  Value scaled = arith::MulFOp::create(
      b, loc, arith::SIToFPOp::create(b, loc, b.getF32Type(), acc),
      floatMultiplier);
  return offsetAndSaturate(b, loc, roundHalfEvenToLevel(b, loc, scaled, q), q);
}

//===----------------------------------------------------------------------===//
// Tensor building blocks
//===----------------------------------------------------------------------===//

template <typename T>
static Value constantTensor(OpBuilder &b, Location loc, ArrayRef<T> values,
                            Type element) {
  auto type =
      RankedTensorType::get({static_cast<int64_t>(values.size())}, element);
  SmallVector<APInt> ints;
  if (auto integer = dyn_cast<IntegerType>(element)) {
    for (T value : values)
      ints.push_back(APInt(integer.getWidth(), static_cast<int64_t>(value),
                           /*isSigned=*/true));
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, ints));
  }
  SmallVector<float> floats(values.begin(), values.end());
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<float>(floats)));
}

static Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                          Type element, int64_t value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, element);
  return linalg::FillOp::create(b, loc, constantInt(b, loc, element, value),
                                empty)
      .getResult(0);
}

/// The per-channel requantization constants of rescaling by `ratios`.
struct Rescale {
  SmallVector<int32_t> multipliers, shifts;
  SmallVector<float> floatMultipliers;
};

/// `ratios[c]` is the real multiplier; `floatRatios[c]` the same computed
/// in float32 as ONNX Runtime does for half_even.
static FailureOr<Rescale> rescaleFor(Operation *op, ArrayRef<double> ratios,
                                     ArrayRef<float> floatRatios) {
  Rescale rescale;
  for (auto [ratio, floatRatio] : llvm::zip_equal(ratios, floatRatios)) {
    llvm::Expected<FixedPointMultiplier> fixed = quantizeMultiplier(ratio);
    if (!fixed)
      return op->emitError() << llvm::toString(fixed.takeError());
    rescale.multipliers.push_back(fixed->multiplier);
    rescale.shifts.push_back(fixed->shift);
    rescale.floatMultipliers.push_back(floatRatio);
  }
  return rescale;
}

/// tflite_double multiplies by 2^shift before rounding when the multiplier
/// is 1 or more; an accumulator that can leave i32 there would wrap (as in
/// TFLite). Refuse instead, naming what to change.
static LogicalResult checkLeftShift(Operation *op, RoundingMode mode,
                                    IntInterval accumulator, int32_t shift,
                                    const Twine &what) {
  if (mode != RoundingMode::TFLiteDouble || shift <= 0)
    return success();
  IntInterval shifted{accumulator.min * (int64_t{1} << shift),
                      accumulator.max * (int64_t{1} << shift)};
  if (shifted.fitsSigned(32))
    return success();
  return op->emitError() << "tflite_double rescales " << what << " by "
                         << "shifting its accumulator, in [" << accumulator.min
                         << ", " << accumulator.max << "], left by " << shift
                         << " bits, which can overflow i32; use a larger "
                            "result scale or rounding tflite_single";
}

/// Collapses all leading dimensions of `value` into one: [..., K] -> [M, K].
static Value collapseToMatrix(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 2)
    return value;
  ReassociationIndices leading;
  for (int64_t i = 0; i + 1 < type.getRank(); ++i)
    leading.push_back(i);
  SmallVector<ReassociationIndices> groups = {leading, {type.getRank() - 1}};
  return tensor::CollapseShapeOp::create(b, loc, value, groups);
}

/// Pads the H and W dimensions of an NHWC storage tensor by `padding`
/// ([top, bottom, left, right]) with the stored value `value`.
static Value padSpatially(OpBuilder &b, Location loc, Value input,
                          ArrayRef<int64_t> padding, int64_t value) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> low = {0, padding[0], padding[2], 0};
  SmallVector<int64_t> high = {0, padding[1], padding[3], 0};
  SmallVector<int64_t> shape(type.getShape());
  shape[1] += padding[0] + padding[1];
  shape[2] += padding[2] + padding[3];
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input,
      getAsIndexOpFoldResult(b.getContext(), low),
      getAsIndexOpFoldResult(b.getContext(), high),
      constantInt(b, loc, type.getElementType(), value));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Stored values of `quantizedElement` in their container type: sub-byte
/// values sign- or zero-extended to a byte, others as they are.
static DenseElementsAttr inContainer(DenseIntElementsAttr stored,
                                     Type quantizedElement) {
  unsigned width = containerWidth(quantizedElement);
  auto type = cast<ShapedType>(stored.getType());
  if (type.getElementTypeBitWidth() == width)
    return stored;
  bool isSigned = getStorageRange(quantizedElement).min < 0;
  SmallVector<APInt> values;
  for (const APInt &value : stored.getValues<APInt>())
    values.push_back(isSigned ? value.sext(width) : value.zext(width));
  return DenseElementsAttr::get(
      type.clone(IntegerType::get(stored.getContext(), width)), values);
}

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseIntElementsAttr>(op.getValue());
    if (!value)
      return op.emitError("qa-lower-to-integer needs dense constants");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, inContainer(value, op.getType().getElementType()));
    return success();
  }
};

/// The stored integers of a qa.constant, read by storage signedness.
static FailureOr<SmallVector<int64_t>> storedValues(Operation *op, Value value,
                                                    StringRef role) {
  auto constant = value.getDefiningOp<ConstantOp>();
  auto dense = constant ? dyn_cast<DenseIntElementsAttr>(constant.getValue())
                        : DenseIntElementsAttr();
  if (!dense)
    return op->emitError() << "qa-lower-to-integer folds the zero-point terms "
                           << "of " << role
                           << " at compile time, so it must be "
                           << "a dense qa.constant";
  bool isSigned = getStorageRange(elementTypeOf(value)).min < 0;
  SmallVector<int64_t> values;
  for (const APInt &v : dense.getValues<APInt>())
    values.push_back(isSigned ? v.getSExtValue() : v.getZExtValue());
  return values;
}

/// acc[m, n] = sum_k x[m, k] w[n, k] over the [M, K] and [N, K] storage
/// matrices, in `accType` (i32, or i64 where i32 is not proven enough).
static Value denseContraction(OpBuilder &b, Location loc, Value x,
                              Value weights, const Quantization &in,
                              const Quantization &w, Type accType) {
  MLIRContext *ctx = b.getContext();
  int64_t rows = cast<RankedTensorType>(x.getType()).getDimSize(0);
  int64_t channels = cast<RankedTensorType>(weights.getType()).getDimSize(0);
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;
  return linalg::GenericOp::create(
             b, loc,
             TypeRange{RankedTensorType::get({rows, channels}, accType)},
             ValueRange{x, weights},
             ValueRange{filledTensor(b, loc, {rows, channels}, accType, 0)},
             ArrayRef<AffineMap>{AffineMap::get(3, 0, {m, k}, ctx),
                                 AffineMap::get(3, 0, {n, k}, ctx),
                                 AffineMap::get(3, 0, {m, n}, ctx)},
             ArrayRef<utils::IteratorType>{par, par, red},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value product = arith::MulIOp::create(
                   nb, l, extend(nb, l, args[0], in.isSigned, accType),
                   extend(nb, l, args[1], w.isSigned, accType));
               linalg::YieldOp::create(
                   nb, l,
                   ValueRange{arith::AddIOp::create(nb, l, args[2], product)});
             })
      .getResult(0);
}

/// Packs stored weights [N, K] of `bits` (1, 2 or 4) into a constant of
/// [N, ceil(K / f)] bytes holding f = 8 / bits fields each, the field of k at
/// bit (k mod f) * bits of byte k / f (lowest first, zero padding).
static Value packedWeights(OpBuilder &b, Location loc, ArrayRef<int64_t> stored,
                           int64_t channels, int64_t depth, unsigned bits) {
  int64_t perByte = 8 / bits, bytes = llvm::divideCeil(depth, perByte);
  SmallVector<APInt> packed(channels * bytes, APInt(8, 0));
  for (int64_t n = 0; n < channels; ++n)
    for (int64_t k = 0; k < depth; ++k) {
      uint64_t field = static_cast<uint64_t>(stored[n * depth + k]) &
                       ((uint64_t{1} << bits) - 1);
      packed[n * bytes + k / perByte] |=
          APInt(8, field << (k % perByte * bits));
    }
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({channels, bytes}, b.getI8Type()), packed));
}

/// [M, K] -> [M, ceil(K / f), f], padded with zeros: the view of an input
/// that meets its packed weights byte by byte.
static Value groupedByByte(OpBuilder &b, Location loc, Value x,
                           int64_t perByte) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rows = type.getDimSize(0), depth = type.getDimSize(1);
  int64_t bytes = llvm::divideCeil(depth, perByte);
  Type element = type.getElementType();
  if (bytes * perByte != depth) {
    MLIRContext *ctx = b.getContext();
    x = tensor::PadOp::create(
        b, loc, RankedTensorType::get({rows, bytes * perByte}, element), x,
        getAsIndexOpFoldResult(ctx, {0, 0}),
        getAsIndexOpFoldResult(ctx, {0, bytes * perByte - depth}),
        constantInt(b, loc, element, 0));
  }
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({rows, bytes, perByte}, element), x,
      SmallVector<ReassociationIndices>{{0}, {1, 2}});
}

/// Field `loop` (a linalg.index dimension) of a packed `byte` of `bits`-wide
/// fields, lowest first: shifted to the top of the byte, then back down,
/// arithmetically for signed storage.
static Value extractField(OpBuilder &b, Location l, Value byte, unsigned loop,
                          unsigned bits, bool isSigned) {
  Type i8 = b.getI8Type();
  Value position =
      arith::IndexCastOp::create(b, l, i8, linalg::IndexOp::create(b, l, loop));
  Value up = arith::SubIOp::create(
      b, l, constantInt(b, l, i8, 8 - bits),
      arith::MulIOp::create(b, l, position, constantInt(b, l, i8, bits)));
  Value top = arith::ShLIOp::create(b, l, byte, up);
  Value down = constantInt(b, l, i8, 8 - bits);
  return isSigned ? arith::ShRSIOp::create(b, l, top, down).getResult()
                  : arith::ShRUIOp::create(b, l, top, down).getResult();
}

/// The same contraction for 1-, 2- and 4-bit weights, which stay packed
/// (`packedWeights`). The loop reads whole bytes and extracts a field with
/// two shifts (arithmetic for signed storage), so no sub-byte address is ever
/// formed; a binary weight bit selects +x or -x (sign-selected adds, no
/// multiply). The input is `groupedByByte`; its zero padding adds nothing.
static Value packedContraction(OpBuilder &b, Location loc, Value x,
                               ArrayRef<int64_t> stored, int64_t channels,
                               int64_t depth, const Quantization &in,
                               const Quantization &w, Type accType) {
  MLIRContext *ctx = b.getContext();
  Value weights = packedWeights(b, loc, stored, channels, depth, w.bits);
  x = groupedByByte(b, loc, x, 8 / w.bits);
  int64_t rows = cast<RankedTensorType>(x.getType()).getDimSize(0);

  AffineExpr m, n, j, p;
  bindDims(ctx, m, n, j, p);
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;
  unsigned bits = w.bits;
  bool isSigned = w.isSigned, binary = w.binary;
  return linalg::GenericOp::create(
             b, loc,
             TypeRange{RankedTensorType::get({rows, channels}, accType)},
             ValueRange{x, weights},
             ValueRange{filledTensor(b, loc, {rows, channels}, accType, 0)},
             ArrayRef<AffineMap>{AffineMap::get(4, 0, {m, j, p}, ctx),
                                 AffineMap::get(4, 0, {n, j}, ctx),
                                 AffineMap::get(4, 0, {m, n}, ctx)},
             ArrayRef<utils::IteratorType>{par, par, red, red},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value field = extractField(nb, l, args[1], 3, bits, isSigned);
               Value input = extend(nb, l, args[0], in.isSigned, accType);
               Value product =
                   binary
                       ? arith::SelectOp::create(
                             nb, l,
                             arith::TruncIOp::create(nb, l, nb.getI1Type(),
                                                     field),
                             input,
                             arith::SubIOp::create(
                                 nb, l, constantInt(nb, l, accType, 0), input))
                             .getResult()
                       : arith::MulIOp::create(
                             nb, l, input,
                             extend(nb, l, field, isSigned, accType))
                             .getResult();
               linalg::YieldOp::create(
                   nb, l,
                   ValueRange{arith::AddIOp::create(nb, l, args[2], product)});
             })
      .getResult(0);
}

/// The contraction of binary inputs [M, K] (i1) by binary weights: both
/// packed 8 per byte (the input at run time, by a reduction over its bits),
/// the dot product of each byte pair is 2 popcount(xnor(x, w)) - 8. Padding
/// bits are 0 in both, so each adds +1: the sum starts at
/// K - 2 * 8 * ceil(K / 8) to give sum_k (2x_k - 1)(2w_k - 1) exactly.
static Value xnorPopcountContraction(OpBuilder &b, Location loc, Value x,
                                     ArrayRef<int64_t> stored, int64_t channels,
                                     int64_t depth, Type accType) {
  MLIRContext *ctx = b.getContext();
  Type i8 = b.getI8Type();
  Value weights = packedWeights(b, loc, stored, channels, depth, 1);
  x = groupedByByte(b, loc, x, 8);
  auto grouped = cast<RankedTensorType>(x.getType());
  int64_t rows = grouped.getDimSize(0), bytes = grouped.getDimSize(1);
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;

  // packedX[m, j] = sum_p x[m, j, p] << p.
  AffineExpr m, j, p;
  bindDims(ctx, m, j, p);
  Value packedX =
      linalg::GenericOp::create(
          b, loc, TypeRange{RankedTensorType::get({rows, bytes}, i8)},
          ValueRange{x}, ValueRange{filledTensor(b, loc, {rows, bytes}, i8, 0)},
          ArrayRef<AffineMap>{AffineMap::get(3, 0, {m, j, p}, ctx),
                              AffineMap::get(3, 0, {m, j}, ctx)},
          ArrayRef<utils::IteratorType>{par, par, red},
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value position = arith::IndexCastOp::create(
                nb, l, i8, linalg::IndexOp::create(nb, l, 2));
            Value bit = arith::ShLIOp::create(
                nb, l, arith::ExtUIOp::create(nb, l, i8, args[0]), position);
            linalg::YieldOp::create(
                nb, l, ValueRange{arith::OrIOp::create(nb, l, args[1], bit)});
          })
          .getResult(0);

  AffineExpr n, k;
  bindDims(ctx, m, n, k);
  return linalg::GenericOp::create(
             b, loc,
             TypeRange{RankedTensorType::get({rows, channels}, accType)},
             ValueRange{packedX, weights},
             ValueRange{filledTensor(b, loc, {rows, channels}, accType,
                                     depth - 2 * 8 * bytes)},
             ArrayRef<AffineMap>{AffineMap::get(3, 0, {m, k}, ctx),
                                 AffineMap::get(3, 0, {n, k}, ctx),
                                 AffineMap::get(3, 0, {m, n}, ctx)},
             ArrayRef<utils::IteratorType>{par, par, red},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value xnor = arith::XOrIOp::create(
                   nb, l, arith::XOrIOp::create(nb, l, args[0], args[1]),
                   constantInt(nb, l, i8, -1));
               Value count = arith::ExtUIOp::create(
                   nb, l, accType, math::CtPopOp::create(nb, l, xnor));
               Value twice = arith::ShLIOp::create(
                   nb, l, count, constantInt(nb, l, accType, 1));
               linalg::YieldOp::create(
                   nb, l,
                   ValueRange{arith::AddIOp::create(nb, l, args[2], twice)});
             })
      .getResult(0);
}

/// Checks that accumulators within `bound` requantize by `rescale` entry
/// `at`: within i32 (the left shift checked), or, `wide`, within TFLite's
/// 48-bit range of i64 accumulation with a TFLite rounding and a left shift
/// under 8. `what` names the accumulator.
static LogicalResult checkAccumulator(Operation *op, RoundingMode mode,
                                      IntInterval bound, bool wide,
                                      int32_t shift, const Twine &what) {
  if (!bound.fitsSigned(48))
    return op->emitError() << "the accumulator of " << what << " may reach ["
                           << bound.min << ", " << bound.max
                           << "], beyond TFLite's 48-bit range of i64 "
                              "accumulation";
  if (!wide)
    return checkLeftShift(op, mode, bound, shift, what);
  if (mode == RoundingMode::HalfEven)
    return op->emitError("half_even rounding of an accumulator beyond i32 is "
                         "not supported: use a TFLite rounding mode");
  if (shift >= 8)
    return op->emitError() << "the i64 requantization of " << what
                           << " would shift left by " << shift
                           << " bits, TFLite's int64 rescale takes less than 8";
  return success();
}

/// TFLite's int64 MultiplyByQuantizedMultiplier takes the Q31 multipliers
/// reduced to 16 bits (rounded, saturated) and one rounding right shift by
/// 15 - shift: `rescale` becomes those.
static void reduceForWideAccumulators(Rescale &rescale) {
  for (auto [multiplier, shift] :
       llvm::zip_equal(rescale.multipliers, rescale.shifts)) {
    multiplier =
        multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    shift = 15 - shift;
  }
}

/// The requantization of an i64 accumulator `value` by a reduced multiplier
/// and right shift (i32 values): (value * multiplier + 2^(shift - 1)) >>
/// shift, then the result's zero point and saturation.
static Value requantizeWide(OpBuilder &b, Location l, Value value,
                            Value multiplier, Value shift,
                            const Quantization &result) {
  Type i64 = b.getI64Type();
  Value wideShift = arith::ExtSIOp::create(b, l, i64, shift);
  Value half = arith::ShLIOp::create(
      b, l, constantInt(b, l, i64, 1),
      arith::SubIOp::create(b, l, wideShift, constantInt(b, l, i64, 1)));
  Value product = arith::MulIOp::create(
      b, l, value, arith::ExtSIOp::create(b, l, i64, multiplier));
  Value rescaled = arith::ShRSIOp::create(
      b, l, arith::AddIOp::create(b, l, product, half), wideShift);
  return offsetAndSaturate(b, l, rescaled, result);
}

/// The quantized operands of a dense contraction (fully connected, or a
/// convolution as patches x filters), as the original op types them.
struct DenseOperands {
  Value input, weights, bias, output;
};

/// Builds the i32 accumulators acc[m, n] = sum_k x[m, k] w[n, k] (as [M, N])
/// of a contraction from the operands' quantization, the stored weights and
/// the integer values they stand for (both channel-major [N, K]).
using Accumulate = function_ref<Value(
    const Quantization &in, const Quantization &w, ArrayRef<int64_t> stored,
    ArrayRef<int64_t> values, Type accType)>;

/// out[m, n] = requantize(sum_k (x[m, k] - zp_in)(w[n, k] - zp_w[n]) +
/// bias[n]): bounds the accumulator per output channel, folds the zero-point
/// terms into constants, lets `accumulate` build sum_k x w, and requantizes.
/// Accumulators are i32 where the bound proves it enough, else i64 within
/// TFLite's int64 range (|acc| < 2^47), requantized as TFLite's int64
/// MultiplyByQuantizedMultiplier (a 16-bit reduced multiplier, one rounding
/// shift); half_even and larger bounds are refused.
/// `stored` are the weights' stored values, channel-major [N, K]. The
/// activation-sum term of asymmetric weights, -zp_w[n] sum_k x[m, k], takes
/// the sums of the inputs each output reads from `activationSums`: [M] (the
/// same for every channel) or [M, N]. Returns the [M, N] result.
static FailureOr<Value> lowerContraction(
    ConversionPatternRewriter &rewriter, Operation *op,
    const DenseOperands &operands, ArrayRef<int64_t> stored, int64_t channels,
    int64_t depth,
    function_ref<Value(const Quantization &in, Type accType)> activationSums,
    Accumulate accumulate, RoundingMode mode) {
  Location loc = op->getLoc();
  FailureOr<Quantization> in =
      quantizationOf(op, operands.input, "input", {1, 2, 4, 8, 16});
  FailureOr<Quantization> w =
      quantizationOf(op, operands.weights, "weights", {1, 2, 4, 8, 16});
  FailureOr<Quantization> out =
      quantizationOf(op, operands.output, "result", {2, 4, 8, 16});
  if (failed(in) || failed(w) || failed(out))
    return failure();
  // The integer weight values: binary bits b stand for 2b - 1.
  SmallVector<int64_t> weights(stored);
  if (w->binary)
    for (int64_t &value : weights)
      value = 2 * value - 1;
  SmallVector<int64_t> bias(channels, 0);
  if (Value biasValue = operands.bias) {
    FailureOr<SmallVector<int64_t>> stored =
        storedValues(op, biasValue, "the bias");
    if (failed(stored))
      return failure();
    bias = *stored;
  }

  // The i32 accumulator must provably hold every output:
  // sum_k (x - zp_in)(w - zp_w) + bias over the input's storage range.
  int64_t zpIn = in->zeroPoint(0);
  IntInterval centeredInput =
      in->binary ? IntInterval{-1, 1}
                 : IntInterval{in->range.min - zpIn, in->range.max - zpIn};
  // c[n] = bias[n] - zp_in sum_k w[n,k] + K zp_in zp_w[n], folded now.
  // In i32 it is kept modulo 2^32: i32 sums are exact modulo 2^32 and the
  // proof bounds the true result, so intermediate wrapping is harmless.
  SmallVector<int64_t> folded;
  SmallVector<int32_t> weightZeroPoints;
  SmallVector<IntInterval> bounds;
  bool anyWeightZeroPoint = false;
  SmallVector<int64_t> centered(depth);
  for (int64_t n = 0; n < channels; ++n) {
    int64_t zpW = w->zeroPoint(n), sum = 0;
    for (int64_t k = 0; k < depth; ++k) {
      sum += weights[n * depth + k];
      centered[k] = weights[n * depth + k] - zpW;
    }
    IntInterval bound = partialSumBound(centeredInput, centered);
    bound = {bound.min + std::min<int64_t>(bias[n], 0),
             bound.max + std::max<int64_t>(bias[n], 0)};
    bounds.push_back(bound);
    folded.push_back(bias[n] - zpIn * sum + depth * zpIn * zpW);
    weightZeroPoints.push_back(static_cast<int32_t>(zpW));
    anyWeightZeroPoint |= zpW != 0;
  }
  SmallVector<double> ratios;
  SmallVector<float> floatRatios;
  for (int64_t n = 0; n < channels; ++n) {
    ratios.push_back(in->scale(0) * w->scale(n) / out->scale(0));
    floatRatios.push_back(static_cast<float>(in->scale(0)) *
                          static_cast<float>(w->scale(n)) /
                          static_cast<float>(out->scale(0)));
  }
  FailureOr<Rescale> rescale = rescaleFor(op, ratios, floatRatios);
  if (failed(rescale))
    return failure();
  bool wide = llvm::any_of(
      bounds, [](IntInterval bound) { return !bound.fitsSigned(32); });
  for (int64_t n = 0; n < channels; ++n)
    if (failed(checkAccumulator(op, mode, bounds[n], wide, rescale->shifts[n],
                                "output channel " + Twine(n))))
      return failure();
  if (wide)
    reduceForWideAccumulators(*rescale);

  Type i32 = rewriter.getI32Type();
  Type accType = wide ? rewriter.getI64Type() : i32;
  MLIRContext *ctx = rewriter.getContext();
  auto par = utils::IteratorType::parallel;

  Value acc = accumulate(*in, *w, stored, weights, accType);
  int64_t rows = cast<RankedTensorType>(acc.getType()).getDimSize(0);
  // Only asymmetric weights need the sums of the inputs.
  Value inputSums = anyWeightZeroPoint ? activationSums(*in, accType) : Value();
  SmallVector<int64_t> foldedValues;
  for (int64_t c : folded)
    foldedValues.push_back(
        wide ? c : static_cast<int32_t>(static_cast<uint32_t>(c)));

  Type storage = rewriter.getIntegerType(out->containerBits());
  AffineExpr r, c;
  bindDims(ctx, r, c);
  AffineMap matrix = AffineMap::get(2, 0, {r, c}, ctx);
  AffineMap perChannel = AffineMap::get(2, 0, {c}, ctx);
  AffineMap perRow = AffineMap::get(2, 0, {r}, ctx);
  // Inputs of the requantizing op, by what the rounding mode uses: the
  // Q31 multiplier and shift, or (half_even) the float32 multiplier only,
  // so that the TFLite modes leave no float in the program.
  SmallVector<Value> inputs = {
      acc, constantTensor<int64_t>(rewriter, loc, foldedValues, accType)};
  SmallVector<AffineMap> maps = {matrix, perChannel};
  auto addInput = [&](Value value, AffineMap map) {
    inputs.push_back(value);
    maps.push_back(map);
    return inputs.size() - 1;
  };
  bool halfEven = mode == RoundingMode::HalfEven;
  size_t multiplierAt = 0, shiftAt = 0, floatMultiplierAt = 0;
  if (halfEven) {
    floatMultiplierAt =
        addInput(constantTensor<float>(rewriter, loc, rescale->floatMultipliers,
                                       rewriter.getF32Type()),
                 perChannel);
  } else {
    multiplierAt = addInput(
        constantTensor<int32_t>(rewriter, loc, rescale->multipliers, i32),
        perChannel);
    shiftAt =
        addInput(constantTensor<int32_t>(rewriter, loc, rescale->shifts, i32),
                 perChannel);
  }
  size_t rowSumsAt = 0, weightZeroPointsAt = 0;
  if (anyWeightZeroPoint) {
    rowSumsAt = addInput(
        inputSums, cast<RankedTensorType>(inputSums.getType()).getRank() == 1
                       ? perRow
                       : matrix);
    weightZeroPointsAt = addInput(
        constantTensor<int32_t>(rewriter, loc, weightZeroPoints, accType),
        perChannel);
  }
  maps.push_back(matrix);
  const Quantization &result = *out;
  Value requantized =
      linalg::GenericOp::create(
          rewriter, loc,
          TypeRange{RankedTensorType::get({rows, channels}, storage)}, inputs,
          ValueRange{tensor::EmptyOp::create(
              rewriter, loc, ArrayRef<int64_t>{rows, channels}, storage)},
          maps, ArrayRef<utils::IteratorType>{par, par},
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value value = arith::AddIOp::create(b, l, args[0], args[1]);
            if (anyWeightZeroPoint)
              value = arith::SubIOp::create(
                  b, l, value,
                  arith::MulIOp::create(b, l, args[rowSumsAt],
                                        args[weightZeroPointsAt]));
            if (wide) {
              linalg::YieldOp::create(
                  b, l,
                  ValueRange{requantizeWide(b, l, value, args[multiplierAt],
                                            args[shiftAt], result)});
              return;
            }
            linalg::YieldOp::create(
                b, l,
                ValueRange{requantizeScalar(
                    b, l, value, halfEven ? Value() : args[multiplierAt],
                    halfEven ? Value() : args[shiftAt],
                    halfEven ? args[floatMultiplierAt] : Value(), mode,
                    result)});
          })
          .getResult(0);

  return requantized;
}

/// A dense contraction: `x` is the [M, K] storage matrix and `weightsMatrix`
/// the [N, K] storage weights of `operands.weights`, a qa.constant.
static FailureOr<Value> lowerDense(ConversionPatternRewriter &rewriter,
                                   Operation *op, Value x, Value weightsMatrix,
                                   const DenseOperands &operands,
                                   RoundingMode mode) {
  FailureOr<SmallVector<int64_t>> stored =
      storedValues(op, operands.weights, "the weights");
  if (failed(stored))
    return failure();
  auto weightsType = cast<RankedTensorType>(weightsMatrix.getType());
  int64_t channels = weightsType.getDimSize(0),
          depth = weightsType.getDimSize(1);
  Location loc = op->getLoc();
  auto rowSums = [&](const Quantization &in, Type accType) -> Value {
    int64_t rows = cast<RankedTensorType>(x.getType()).getDimSize(0);
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr r, c;
    bindDims(ctx, r, c);
    return linalg::GenericOp::create(
               rewriter, loc, TypeRange{RankedTensorType::get({rows}, accType)},
               ValueRange{x},
               ValueRange{filledTensor(rewriter, loc, {rows}, accType, 0)},
               ArrayRef<AffineMap>{AffineMap::get(2, 0, {r, c}, ctx),
                                   AffineMap::get(2, 0, {r}, ctx)},
               ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                             utils::IteratorType::reduction},
               [&](OpBuilder &b, Location l, ValueRange args) {
                 linalg::YieldOp::create(
                     b, l,
                     ValueRange{arith::AddIOp::create(
                         b, l, args[1],
                         extend(b, l, args[0], in.isSigned, accType))});
               })
        .getResult(0);
  };
  return lowerContraction(
      rewriter, op, operands, *stored, channels, depth, rowSums,
      [&](const Quantization &in, const Quantization &w, ArrayRef<int64_t> bits,
          ArrayRef<int64_t>, Type accType) -> Value {
        if (in.binary)
          return xnorPopcountContraction(rewriter, loc, x, bits, channels,
                                         depth, accType);
        if (w.bits < 8)
          return packedContraction(rewriter, loc, x, bits, channels, depth, in,
                                   w, accType);
        return denseContraction(rewriter, loc, x, weightsMatrix, in, w,
                                accType);
      },
      mode);
}

/// A dense contraction with per-group weights: `x` is [M, K] and the
/// weights, channel-major [N, K] once flattened (fully connected [N, K], or
/// OHWI filters against patches), have a scale and zero point per output
/// channel and block of `g` consecutive elements of K (blocks along the
/// last dimension, every other dimension but the channel's in blocks of 1).
/// No integer
/// reference kernel exists for it (TFLite has none, ONNX only dequantizes
/// blocks), so this is the project's definition, exact in integers:
/// - each group's accumulator a[m, n, j] = sum_{k in j} (x - zp_in)(w - zp_w)
///   is proven to fit i32;
/// - channel n rescales by r[n, j] = s_in s[n, j] / s_out in fixed point with
///   one shift S_n = 30 - e_n, e_n the binary exponent of the largest ratio
///   of the channel (its bias's s_b[n] / s_out included), multipliers
///   M[n, j] = round(r[n, j] 2^S_n) (half away from zero);
/// - t = sum_j a M + bias M_b (i64, proven), rounded once by 2^S_n (half
///   away from zero in the TFLite modes, half to even in half_even), offset
///   and saturated.
static FailureOr<Value> lowerGroupedDense(ConversionPatternRewriter &rewriter,
                                          Operation *op, Value x,
                                          const DenseOperands &operands,
                                          RoundingMode mode) {
  Location loc = op->getLoc();
  auto type = cast<quant::UniformQuantizedSubChannelType>(
      elementTypeOf(operands.weights));
  FailureOr<Quantization> in =
      quantizationOf(op, operands.input, "input", {2, 4, 8, 16});
  FailureOr<Quantization> out =
      quantizationOf(op, operands.output, "result", {2, 4, 8, 16});
  if (failed(in) || failed(out))
    return failure();
  auto weightsType = cast<RankedTensorType>(operands.weights.getType());
  int64_t rank = weightsType.getRank();
  int64_t channels = weightsType.getDimSize(0),
          depth = weightsType.getNumElements() / channels,
          group = weightsType.getDimSize(rank - 1);
  for (auto [dim, size] : type.getBlockSizeInfo())
    if (dim == rank - 1)
      group = size;
  int64_t groups = depth / group;
  if (type.getScales().getNumElements() != channels * groups)
    return op->emitError()
           << "qa-lower-to-integer lowers per-group weights in blocks along "
              "their last dimension only (a scale per output channel, "
              "position and block), got "
           << type;
  FailureOr<SmallVector<int64_t>> stored =
      storedValues(op, operands.weights, "the weights");
  if (failed(stored))
    return failure();
  SmallVector<double> scales;
  for (const APFloat &scale : type.getScales().getValues<APFloat>())
    scales.push_back(toDouble(scale));
  SmallVector<int64_t> zeroPoints = getSubChannelZeroPoints(type);
  SmallVector<int64_t> bias(channels, 0);
  SmallVector<double> biasScales(channels, 0);
  if (operands.bias) {
    FailureOr<SmallVector<int64_t>> values =
        storedValues(op, operands.bias, "the bias");
    FailureOr<Quantization> b = quantizationOf(op, operands.bias, "bias", {32});
    if (failed(values) || failed(b))
      return failure();
    bias = *values;
    for (int64_t n = 0; n < channels; ++n)
      biasScales[n] = b->scale(n);
  }

  int64_t zpIn = in->zeroPoint(0);
  int64_t inputMagnitude = in->centeredMagnitude();
  SmallVector<int64_t> multipliers, biasTerms, shifts;
  for (int64_t n = 0; n < channels; ++n) {
    double largest = biasScales[n] / out->scale(0);
    for (int64_t j = 0; j < groups; ++j)
      largest = std::max(largest,
                         in->scale(0) * scales[n * groups + j] / out->scale(0));
    int exponent;
    std::frexp(largest, &exponent);
    int shift = 30 - exponent;
    if (shift < 1 || shift > 62)
      return op->emitError()
             << "the rescale of output channel " << n << " (largest ratio "
             << largest << ") is out of the fixed-point range";
    shifts.push_back(shift);
    __int128 total = 0;
    for (int64_t j = 0; j < groups; ++j) {
      int64_t zpW = zeroPoints[n * groups + j], weightMagnitude = 0;
      for (int64_t t = 0; t < group; ++t)
        weightMagnitude =
            std::max(weightMagnitude,
                     std::abs((*stored)[n * depth + j * group + t] - zpW));
      int64_t bound = group * inputMagnitude * weightMagnitude;
      if (!IntInterval{-bound, bound}.fitsSigned(32))
        return op->emitError()
               << "the accumulator of group " << j << " of output channel " << n
               << " may leave i32";
      int64_t multiplier = std::llround(std::ldexp(
          in->scale(0) * scales[n * groups + j] / out->scale(0), shift));
      multipliers.push_back(multiplier);
      total += static_cast<__int128>(bound) * multiplier;
    }
    int64_t biasTerm =
        bias[n] *
        std::llround(std::ldexp(biasScales[n] / out->scale(0), shift));
    biasTerms.push_back(biasTerm);
    total += std::abs(biasTerm);
    if (total >= (static_cast<__int128>(1) << 62))
      return op->emitError() << "the fixed-point sum of output channel " << n
                             << " may leave i64";
  }

  MLIRContext *ctx = rewriter.getContext();
  Type i32 = rewriter.getI32Type(), i64 = rewriter.getI64Type();
  int64_t rows = cast<RankedTensorType>(x.getType()).getDimSize(0);
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;
  // The weights as stored: 2- and 4-bit ones packed (`packedWeights`) when
  // a group is whole bytes, read in [N, G, g / f, f] order with the input
  // grouped alike; others in their container type. Zero points per block.
  unsigned bits = type.getStorageTypeIntegralWidth();
  bool weightsSigned = type.isSigned();
  int64_t perByte = bits < 8 && group % (8 / bits) == 0 ? 8 / bits : 1;
  Value weights;
  if (perByte > 1) {
    weights = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({channels, groups, group / perByte},
                              rewriter.getI8Type()),
        packedWeights(rewriter, loc, *stored, channels, depth, bits),
        SmallVector<ReassociationIndices>{{0}, {1, 2}});
  } else {
    // The narrowest width holding every stored value as a signed integer.
    auto [lo, hi] = std::minmax_element(stored->begin(), stored->end());
    unsigned width = *lo >= INT8_MIN && *hi <= INT8_MAX     ? 8
                     : *lo >= INT16_MIN && *hi <= INT16_MAX ? 16
                                                            : 32;
    SmallVector<APInt> values;
    for (int64_t value : *stored)
      values.push_back(APInt(width, value, /*isSigned=*/true));
    weights = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({channels, groups, group, 1},
                                  rewriter.getIntegerType(width)),
            values));
  }
  Type xElement = cast<RankedTensorType>(x.getType()).getElementType();
  Value groupedX = tensor::ExpandShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({rows, groups, group / perByte, perByte}, xElement),
      x, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  Value weightZeroPoints = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({channels, groups}, i32),
      constantTensor<int64_t>(rewriter, loc, zeroPoints, i32),
      SmallVector<ReassociationIndices>{{0, 1}});
  // a[m, n, j] over (m, n, j, byte, field).
  AffineExpr m, n, j, t, p;
  bindDims(ctx, m, n, j, t, p);
  bool inSigned = in->isSigned;
  Value perGroup =
      linalg::GenericOp::create(
          rewriter, loc,
          TypeRange{RankedTensorType::get({rows, channels, groups}, i32)},
          ValueRange{groupedX, weights, weightZeroPoints},
          ValueRange{
              filledTensor(rewriter, loc, {rows, channels, groups}, i32, 0)},
          ArrayRef<AffineMap>{AffineMap::get(5, 0, {m, j, t, p}, ctx),
                              perByte > 1
                                  ? AffineMap::get(5, 0, {n, j, t}, ctx)
                                  : AffineMap::get(5, 0, {n, j, t, p}, ctx),
                              AffineMap::get(5, 0, {n, j}, ctx),
                              AffineMap::get(5, 0, {m, n, j}, ctx)},
          ArrayRef<utils::IteratorType>{par, par, par, red, red},
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value input = arith::SubIOp::create(
                b, l, extend(b, l, args[0], inSigned, i32),
                constantInt(b, l, i32, zpIn));
            Value weight = perByte > 1 ? extractField(b, l, args[1], 4, bits,
                                                      weightsSigned)
                                       : args[1];
            weight = arith::SubIOp::create(
                b, l, extend(b, l, weight, weightsSigned || perByte == 1, i32),
                args[2]);
            linalg::YieldOp::create(
                b, l,
                ValueRange{arith::AddIOp::create(
                    b, l, args[3],
                    arith::MulIOp::create(b, l, input, weight))});
          })
          .getResult(0);
  // t[m, n] = sum_j a M over (m, n, j), starting from the bias term.
  AffineExpr r, c, g;
  bindDims(ctx, r, c, g);
  Value start =
      linalg::GenericOp::create(
          rewriter, loc,
          TypeRange{RankedTensorType::get({rows, channels}, i64)},
          ValueRange{constantTensor<int64_t>(rewriter, loc, biasTerms, i64)},
          ValueRange{tensor::EmptyOp::create(
              rewriter, loc, ArrayRef<int64_t>{rows, channels}, i64)},
          ArrayRef<AffineMap>{
              AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx),
              rewriter.getMultiDimIdentityMap(2)},
          ArrayRef<utils::IteratorType>{par, par},
          [](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, ValueRange{args[0]});
          })
          .getResult(0);
  Value multiplierTable = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({channels, groups}, i64),
      constantTensor<int64_t>(rewriter, loc, multipliers, i64),
      SmallVector<ReassociationIndices>{{0, 1}});
  Value total =
      linalg::GenericOp::create(
          rewriter, loc,
          TypeRange{RankedTensorType::get({rows, channels}, i64)},
          ValueRange{perGroup, multiplierTable}, ValueRange{start},
          ArrayRef<AffineMap>{AffineMap::get(3, 0, {r, c, g}, ctx),
                              AffineMap::get(3, 0, {c, g}, ctx),
                              AffineMap::get(3, 0, {r, c}, ctx)},
          ArrayRef<utils::IteratorType>{par, par, red},
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value product = arith::MulIOp::create(
                b, l, arith::ExtSIOp::create(b, l, i64, args[0]), args[1]);
            linalg::YieldOp::create(
                b, l,
                ValueRange{arith::AddIOp::create(b, l, args[2], product)});
          })
          .getResult(0);
  // One rounding by 2^S_n, then the zero point and saturation.
  Type storage = rewriter.getIntegerType(out->containerBits());
  bool halfEven = mode == RoundingMode::HalfEven;
  const Quantization &result = *out;
  return linalg::GenericOp::create(
             rewriter, loc,
             TypeRange{RankedTensorType::get({rows, channels}, storage)},
             ValueRange{total,
                        constantTensor<int64_t>(rewriter, loc, shifts, i64)},
             ValueRange{tensor::EmptyOp::create(
                 rewriter, loc, ArrayRef<int64_t>{rows, channels}, storage)},
             ArrayRef<AffineMap>{
                 rewriter.getMultiDimIdentityMap(2),
                 AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx),
                 rewriter.getMultiDimIdentityMap(2)},
             ArrayRef<utils::IteratorType>{par, par},
             [&](OpBuilder &b, Location l, ValueRange args) {
               Value v = args[0], shift = args[1];
               auto c64 = [&](int64_t value) {
                 return constantInt(b, l, i64, value);
               };
               Value half = arith::ShLIOp::create(
                   b, l, c64(1), arith::SubIOp::create(b, l, shift, c64(1)));
               Value floor = arith::ShRSIOp::create(b, l, v, shift);
               Value remainder = arith::SubIOp::create(
                   b, l, v, arith::ShLIOp::create(b, l, floor, shift));
               Value over = arith::CmpIOp::create(
                   b, l, arith::CmpIPredicate::sgt, remainder, half);
               Value tie = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                                 remainder, half);
               // A tie goes up when the floor is odd (half_even) or the
               // value positive (half away from zero).
               Value tieUp =
                   halfEven
                       ? arith::TruncIOp::create(b, l, b.getI1Type(), floor)
                             .getResult()
                       : arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                               v, c64(0))
                             .getResult();
               Value up = arith::OrIOp::create(
                   b, l, over, arith::AndIOp::create(b, l, tie, tieUp));
               Value rounded = arith::AddIOp::create(
                   b, l, floor, arith::ExtUIOp::create(b, l, i64, up));
               linalg::YieldOp::create(
                   b, l, ValueRange{offsetAndSaturate(b, l, rounded, result)});
             })
      .getResult(0);
}

struct FullyConnectedLowering : OpConversionPattern<FullyConnectedOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FullyConnectedOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    if (inputType.getRank() < 2 || !inputType.hasStaticShape() ||
        !op.getOutput().getType().hasStaticShape())
      return op.emitError("qa-lower-to-integer lowers qa.fully_connected of "
                          "static shapes with an input of rank 2 or more");
    Value x = collapseToMatrix(rewriter, loc, adaptor.getInput());
    DenseOperands operands = {op.getInput(), op.getWeights(), op.getBias(),
                              op.getOutput()};
    FailureOr<Value> result =
        isa<quant::UniformQuantizedSubChannelType>(
            op.getWeights().getType().getElementType())
            ? lowerGroupedDense(rewriter, op, x, operands, op.getRounding())
            : lowerDense(rewriter, op, x, adaptor.getWeights(), operands,
                         op.getRounding());
    if (failed(result))
      return failure();
    Value requantized = *result;
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (resultType.getRank() != 2) {
      SmallVector<ReassociationIndices> groups = {{},
                                                  {resultType.getRank() - 1}};
      for (int64_t i = 0; i + 1 < resultType.getRank(); ++i)
        groups.front().push_back(i);
      requantized = tensor::ExpandShapeOp::create(rewriter, loc, resultType,
                                                  requantized, groups);
    }
    rewriter.replaceOp(op, requantized);
    return success();
  }
};

/// A 2-D convolution as a dense contraction: the input, padded with its
/// zero point (so padding contributes exactly zero), is gathered into
/// patches [N * OH * OW, KH * KW * C] that multiply the filters, reshaped to
/// [O, KH * KW * C] (their OHWI order is already row-major that way). This is
/// the exact reference path; fast kernels are the target lowering's job.
struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto filterType = cast<RankedTensorType>(adaptor.getFilter().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
      return op.emitError("qa-lower-to-integer lowers qa.conv2d of static "
                          "shapes only");
    FailureOr<Quantization> in =
        quantizationOf(op, op.getInput(), "input", {1, 2, 4, 8, 16});
    if (failed(in))
      return failure();
    ArrayRef<int64_t> padding = op.getPadding(), strides = op.getStrides(),
                      dilations = op.getDilations();
    // Binary patches contract by XNOR + popcount like a fully-connected
    // layer; a bit is +-1, so there is no zero to pad with.
    if (in->binary && llvm::any_of(padding, [](int64_t p) { return p != 0; }))
      return op.emitError("qa-lower-to-integer cannot pad a binary input: "
                          "zero has no binary value");

    Value input = padSpatially(rewriter, loc, adaptor.getInput(), padding,
                               in->zeroPoint(0));

    // patches[n, oh, ow, kh, kw, c] = input[n, oh*sh + kh*dh, ow*sw + kw*dw, c]
    int64_t batch = resultType.getDimSize(0), outH = resultType.getDimSize(1),
            outW = resultType.getDimSize(2);
    int64_t kernelH = filterType.getDimSize(1),
            kernelW = filterType.getDimSize(2),
            depth = filterType.getDimSize(3);
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, oh, ow, kh, kw, c;
    bindDims(ctx, n, oh, ow, kh, kw, c);
    AffineMap window = AffineMap::get(6, 0,
                                      {n, oh * strides[0] + kh * dilations[0],
                                       ow * strides[1] + kw * dilations[1], c},
                                      ctx);
    Type storage = inputType.getElementType();
    SmallVector<int64_t> patchShape = {batch,   outH,    outW,
                                       kernelH, kernelW, depth};
    Value patches =
        linalg::GenericOp::create(
            rewriter, loc,
            TypeRange{RankedTensorType::get(patchShape, storage)},
            ValueRange{input},
            ValueRange{
                tensor::EmptyOp::create(rewriter, loc, patchShape, storage)},
            ArrayRef<AffineMap>{window, rewriter.getMultiDimIdentityMap(6)},
            SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(b, l, ValueRange{args[0]});
            })
            .getResult(0);
    Value matrix = tensor::CollapseShapeOp::create(
        rewriter, loc, patches,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
    Value filters = tensor::CollapseShapeOp::create(
        rewriter, loc, adaptor.getFilter(),
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});

    DenseOperands operands = {op.getInput(), op.getFilter(), op.getBias(),
                              op.getOutput()};
    FailureOr<Value> result =
        isa<quant::UniformQuantizedSubChannelType>(
            op.getFilter().getType().getElementType())
            ? lowerGroupedDense(rewriter, op, matrix, operands,
                                op.getRounding())
            : lowerDense(rewriter, op, matrix, filters, operands,
                         op.getRounding());
    if (failed(result))
      return failure();
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, *result,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    return success();
  }
};

/// A depthwise convolution: output channel c * M + m of window (oh, ow) is
/// sum_{kh, kw} x[n, oh*sh + kh*dh, ow*sw + kw*dw, c] w[kh, kw, c * M + m]
/// over the input padded with its zero point, accumulated directly in i32
/// over [N, OH, OW, C, M] and requantized per output channel like a dense
/// contraction. Filters are tiny (KH * KW * C * M): they are kept as their
/// integer values in the narrowest of i8 / i16 / i32 (sub-byte and binary
/// ones widened at compile time), so the loop is a plain multiply-add.
struct DepthwiseConv2DLowering : OpConversionPattern<DepthwiseConv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DepthwiseConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
      return op.emitError("qa-lower-to-integer lowers qa.depthwise_conv2d of "
                          "static shapes only");
    FailureOr<Quantization> in =
        quantizationOf(op, op.getInput(), "input", {2, 4, 8, 16});
    if (failed(in))
      return failure();
    FailureOr<SmallVector<int64_t>> raw =
        storedValues(op, op.getFilter(), "the filter");
    if (failed(raw))
      return failure();
    Value input = padSpatially(rewriter, loc, adaptor.getInput(),
                               op.getPadding(), in->zeroPoint(0));

    auto filterType = cast<RankedTensorType>(op.getFilter().getType());
    int64_t kernelH = filterType.getDimSize(1),
            kernelW = filterType.getDimSize(2);
    int64_t inChannels = inputType.getDimSize(3);
    int64_t channels = filterType.getDimSize(3), depth = kernelH * kernelW;
    int64_t multiplier = channels / inChannels;
    // [1, KH, KW, C * M] -> channel-major [C * M, KH * KW].
    SmallVector<int64_t> stored(channels * depth);
    for (int64_t k = 0; k < depth; ++k)
      for (int64_t o = 0; o < channels; ++o)
        stored[o * depth + k] = (*raw)[k * channels + o];

    int64_t batch = resultType.getDimSize(0), outH = resultType.getDimSize(1),
            outW = resultType.getDimSize(2);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    // sum over each window of x * w[kh, kw, c, m] (of x alone without a
    // filter: the activation sums of asymmetric filters), as [N*OH*OW, C*M].
    auto windowSums = [&](Value filter, bool inSigned, Type accType) -> Value {
      MLIRContext *ctx = rewriter.getContext();
      AffineExpr n, oh, ow, c, m, kh, kw;
      bindDims(ctx, n, oh, ow, c, m, kh, kw);
      auto par = utils::IteratorType::parallel;
      auto red = utils::IteratorType::reduction;
      SmallVector<int64_t> shape = {batch, outH, outW, inChannels, multiplier};
      // Without a filter, an empty [KH, KW] tensor gives the window's extent.
      Value second = filter
                         ? filter
                         : tensor::EmptyOp::create(rewriter, loc,
                                                   ArrayRef{kernelH, kernelW},
                                                   rewriter.getI8Type());
      AffineMap secondMap = filter ? AffineMap::get(7, 0, {kh, kw, c, m}, ctx)
                                   : AffineMap::get(7, 0, {kh, kw}, ctx);
      Value sums =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{RankedTensorType::get(shape, accType)},
              ValueRange{input, second},
              ValueRange{filledTensor(rewriter, loc, shape, accType, 0)},
              ArrayRef<AffineMap>{
                  AffineMap::get(7, 0,
                                 {n, oh * strides[0] + kh * dilations[0],
                                  ow * strides[1] + kw * dilations[1], c},
                                 ctx),
                  secondMap, AffineMap::get(7, 0, {n, oh, ow, c, m}, ctx)},
              ArrayRef<utils::IteratorType>{par, par, par, par, par, red, red},
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value term = extend(b, l, args[0], inSigned, accType);
                if (filter)
                  term = arith::MulIOp::create(
                      b, l, term,
                      extend(b, l, args[1], /*isSigned=*/true, accType));
                linalg::YieldOp::create(
                    b, l,
                    ValueRange{arith::AddIOp::create(b, l, args[2], term)});
              })
              .getResult(0);
      return tensor::CollapseShapeOp::create(
          rewriter, loc, sums,
          SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4}});
    };
    FailureOr<Value> result = lowerContraction(
        rewriter, op,
        {op.getInput(), op.getFilter(), op.getBias(), op.getOutput()}, stored,
        channels, depth,
        [&](const Quantization &inQ, Type accType) {
          return windowSums(Value(), inQ.isSigned, accType);
        },
        [&](const Quantization &inQ, const Quantization &, ArrayRef<int64_t>,
            ArrayRef<int64_t> values, Type accType) -> Value {
          // The filter as [KH, KW, C, M] integer values.
          auto [lo, hi] = std::minmax_element(values.begin(), values.end());
          unsigned width = *lo >= INT8_MIN && *hi <= INT8_MAX     ? 8
                           : *lo >= INT16_MIN && *hi <= INT16_MAX ? 16
                                                                  : 32;
          SmallVector<APInt> filterValues(channels * depth);
          for (int64_t o = 0; o < channels; ++o)
            for (int64_t k = 0; k < depth; ++k)
              filterValues[k * channels + o] =
                  APInt(width, values[o * depth + k], /*isSigned=*/true);
          Value filter = arith::ConstantOp::create(
              rewriter, loc,
              DenseElementsAttr::get(
                  RankedTensorType::get(
                      {kernelH, kernelW, inChannels, multiplier},
                      rewriter.getIntegerType(width)),
                  filterValues));
          return windowSums(filter, inQ.isSigned, accType);
        },
        op.getRounding());
    if (failed(result))
      return failure();
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, *result,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    return success();
  }
};

/// Elementwise ops over one tensor: builds `linalg.generic` mapping each
/// stored input value to an output value.
static Value
elementwise(OpBuilder &b, Location loc, Value input,
            RankedTensorType resultType,
            function_ref<Value(OpBuilder &, Location, Value)> body) {
  int64_t rank = resultType.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  // Dynamic sizes are the input's: the shapes are the same.
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < rank; ++i)
    if (resultType.isDynamicDim(i))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, input, i));
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{input},
             ValueRange{tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                                resultType.getElementType(),
                                                dynamicSizes)},
             ArrayRef<AffineMap>{identity, identity},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nested, Location l, ValueRange args) {
               linalg::YieldOp::create(nested, l,
                                       ValueRange{body(nested, l, args[0])});
             })
      .getResult(0);
}

struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> q =
        quantizationOf(op, op.getOutput(), "result", {1, 2, 4, 8, 16});
    if (failed(q))
      return failure();
    if (q->axis >= 0)
      return op.emitError("qa-lower-to-integer does not lower per-axis "
                          "qa.quantize yet (weights are quantized at compile "
                          "time)");
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (q->binary) {
      // The sign bit: x >= 0 is +alpha (NaN is not, so it is -alpha).
      rewriter.replaceOp(
          op, elementwise(rewriter, op.getLoc(), adaptor.getInput(), resultType,
                          [](OpBuilder &b, Location l, Value x) -> Value {
                            Value zero = arith::ConstantOp::create(
                                b, l, b.getFloatAttr(x.getType(), 0.0));
                            return arith::CmpFOp::create(
                                b, l, arith::CmpFPredicate::OGE, x, zero);
                          }));
      return success();
    }
    // The float island at the input: round(x / scale) + zp, saturated, in
    // float32 as TFLite and ONNX compute it.
    bool halfEven = op.getRounding() == RoundingMode::HalfEven;
    const Quantization &quant = *q;
    Value result = elementwise(
        rewriter, op.getLoc(), adaptor.getInput(), resultType,
        [&](OpBuilder &b, Location l, Value x) -> Value {
          Type f32 = b.getF32Type();
          x = convertFloat(b, l, x, f32);
          auto f = [&](double v) {
            return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
          };
          // NaN has no level: it quantizes to the zero point (real 0).
          Value isNaN =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
          x = arith::SelectOp::create(b, l, isNaN, f(0.0), x);
          Value scaled = arith::DivFOp::create(b, l, x, f(quant.scale(0)));
          Value rounded =
              halfEven ? math::RoundEvenOp::create(b, l, scaled).getResult()
                       : math::RoundOp::create(b, l, scaled).getResult();
          int64_t zp = quant.zeroPoint(0);
          Value clamped = arith::MinimumFOp::create(
              b, l,
              arith::MaximumFOp::create(b, l, rounded, f(quant.range.min - zp)),
              f(quant.range.max - zp));
          Value integer =
              arith::FPToSIOp::create(b, l, b.getI32Type(), clamped);
          Value offset = arith::AddIOp::create(
              b, l, integer, constantInt(b, l, b.getI32Type(), zp));
          return arith::TruncIOp::create(
              b, l, b.getIntegerType(quant.containerBits()), offset);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> q =
        quantizationOf(op, op.getInput(), "input", {1, 2, 4, 8, 16, 32});
    if (failed(q))
      return failure();
    if (q->axis >= 0)
      return op.emitError("qa-lower-to-integer does not lower per-axis "
                          "qa.dequantize yet");
    // The float island at the output: (q - zp) * scale in float32, where a
    // binary bit b is the value 2b - 1.
    const Quantization &quant = *q;
    auto resultType = op.getOutput().getType();
    Value result = elementwise(
        rewriter, op.getLoc(), adaptor.getInput(), resultType,
        [&](OpBuilder &b, Location l, Value stored) -> Value {
          Type i32 = b.getI32Type(), f32 = b.getF32Type();
          Value centered =
              quant.binary
                  ? arith::SelectOp::create(b, l, stored,
                                            constantInt(b, l, i32, 1),
                                            constantInt(b, l, i32, -1))
                        .getResult()
                  : arith::SubIOp::create(
                        b, l, extend(b, l, stored, quant.isSigned, i32),
                        constantInt(b, l, i32, quant.zeroPoint(0)))
                        .getResult();
          Value real = arith::MulFOp::create(
              b, l, arith::SIToFPOp::create(b, l, f32, centered),
              arith::ConstantOp::create(b, l,
                                        b.getF32FloatAttr(quant.scale(0))));
          return convertFloat(b, l, real, resultType.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ClampLowering : OpConversionPattern<ClampOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ClampOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> q =
        quantizationOf(op, op.getInput(), "input", {2, 4, 8, 16});
    if (failed(q))
      return failure();
    bool isSigned = q->isSigned;
    int64_t lo = op.getMinAttr().getInt(), hi = op.getMaxAttr().getInt();
    auto resultType = cast<RankedTensorType>(adaptor.getInput().getType());
    Value result =
        elementwise(rewriter, op.getLoc(), adaptor.getInput(), resultType,
                    [&](OpBuilder &b, Location l, Value v) -> Value {
                      Value low = constantInt(b, l, v.getType(), lo);
                      Value high = constantInt(b, l, v.getType(), hi);
                      // Unsigned storage compares unsigned: u8 200 is i8 -56.
                      if (isSigned)
                        return arith::MinSIOp::create(
                            b, l, arith::MaxSIOp::create(b, l, v, low), high);
                      return arith::MinUIOp::create(
                          b, l, arith::MaxUIOp::create(b, l, v, low), high);
                    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The requantization of a centered i32 `value` by the first (per-tensor)
/// entry of `rescale`, as `mode` computes it.
static Value requantizeBy(OpBuilder &b, Location loc, Value value,
                          const Rescale &rescale, RoundingMode mode,
                          const Quantization &result) {
  if (mode == RoundingMode::HalfEven)
    return requantizeScalar(
        b, loc, value, Value(), Value(),
        arith::ConstantOp::create(
            b, loc, b.getF32FloatAttr(rescale.floatMultipliers[0])),
        mode, result);
  Type i32 = b.getI32Type();
  return requantizeScalar(
      b, loc, value, constantInt(b, loc, i32, rescale.multipliers[0]),
      constantInt(b, loc, i32, rescale.shifts[0]), Value(), mode, result);
}

/// Requantization along `axis` of a static-shape storage tensor: channel c
/// is centered by the input's zero point of c, rescaled by entry c of
/// `rescale` (one entry for all when it has one), offset by the result's
/// zero point of c and saturated.
static Value perAxisRequantize(OpBuilder &b, Location loc, Value input,
                               RankedTensorType resultType, int64_t axis,
                               const Rescale &rescale, const Quantization &in,
                               const Quantization &out, RoundingMode mode) {
  int64_t channels = resultType.getDimSize(axis);
  auto perChannel = [&](auto value) {
    using T = decltype(value(0));
    SmallVector<T> values;
    for (int64_t c = 0; c < channels; ++c)
      values.push_back(value(c));
    return values;
  };
  auto pick = [](const auto &values, int64_t c) {
    return values[values.size() == 1 ? 0 : c];
  };
  Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type();
  SmallVector<Value> inputs = {
      input,
      constantTensor<int32_t>(b, loc, perChannel([&](int64_t c) -> int32_t {
                                return in.zeroPoint(c);
                              }),
                              i32),
      constantTensor<int32_t>(b, loc, perChannel([&](int64_t c) -> int32_t {
                                return out.zeroPoint(c);
                              }),
                              i32),
      constantTensor<int32_t>(b, loc, perChannel([&](int64_t c) -> int32_t {
                                return pick(rescale.multipliers, c);
                              }),
                              i32),
      constantTensor<int32_t>(b, loc, perChannel([&](int64_t c) -> int32_t {
                                return pick(rescale.shifts, c);
                              }),
                              i32),
      constantTensor<float>(b, loc, perChannel([&](int64_t c) -> float {
                              return pick(rescale.floatMultipliers, c);
                            }),
                            f32)};
  int64_t rank = resultType.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap channel = AffineMap::get(rank, 0, b.getAffineDimExpr(axis));
  SmallVector<AffineMap> maps = {identity, channel, channel, channel,
                                 channel,  channel, identity};
  // Half-even rescales in float: bounded first, so the conversion is
  // exact, by the widest reach of any channel's zero point.
  int64_t lowest = out.range.min, highest = out.range.max;
  for (int64_t zp : out.zeroPoints) {
    lowest = std::min(lowest, out.range.min - zp);
    highest = std::max(highest, out.range.max - zp);
  }
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, inputs,
             ValueRange{tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                                resultType.getElementType())},
             maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value centered = arith::SubIOp::create(
                   nb, l, extend(nb, l, args[0], in.isSigned, i32), args[1]);
               Value rescaled;
               if (mode == RoundingMode::HalfEven) {
                 Value scaled = arith::MulFOp::create(
                     nb, l, arith::SIToFPOp::create(nb, l, f32, centered),
                     args[5]);
                 rescaled =
                     roundHalfEvenBetween(nb, l, scaled, lowest, highest);
               } else {
                 rescaled =
                     rescaleFixedPoint(nb, l, centered, args[3], args[4], mode);
               }
               Value offset = arith::AddIOp::create(
                   nb, l, rescaled,
                   arith::ExtSIOp::create(nb, l, i64, args[2]));
               Value saturated = arith::MinSIOp::create(
                   nb, l,
                   arith::MaxSIOp::create(
                       nb, l, offset, constantInt(nb, l, i64, out.range.min)),
                   constantInt(nb, l, i64, out.range.max));
               linalg::YieldOp::create(
                   nb, l,
                   ValueRange{arith::TruncIOp::create(
                       nb, l, nb.getIntegerType(out.containerBits()),
                       saturated)});
             })
      .getResult(0);
}

struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> in =
        quantizationOf(op, op.getInput(), "input", {2, 4, 8, 16, 32});
    if (succeeded(in) && isa<BinaryType>(elementTypeOf(op.getOutput()))) {
      // The signs: the real value (q - zp) * scale is >= 0 where q >= zp.
      const Quantization &input = *in;
      auto resultType = cast<RankedTensorType>(
          getTypeConverter()->convertType(op.getOutput().getType()));
      rewriter.replaceOp(
          op, elementwise(rewriter, op.getLoc(), adaptor.getInput(), resultType,
                          [&](OpBuilder &b, Location l, Value v) -> Value {
                            Type i32 = b.getI32Type();
                            return arith::CmpIOp::create(
                                b, l, arith::CmpIPredicate::sge,
                                extend(b, l, v, input.isSigned, i32),
                                constantInt(b, l, i32, input.zeroPoint(0)));
                          }));
      return success();
    }
    FailureOr<Quantization> out =
        quantizationOf(op, op.getOutput(), "result", {2, 4, 8, 16});
    if (failed(in) || failed(out))
      return failure();
    // One rescale per channel of a per-axis input or result (else one).
    int64_t axis = in->axis >= 0 ? in->axis : out->axis;
    size_t channels = std::max(in->scales.size(), out->scales.size());
    SmallVector<double> ratios;
    SmallVector<float> floatRatios;
    for (size_t c = 0; c < channels; ++c) {
      ratios.push_back(in->scale(c) / out->scale(c));
      floatRatios.push_back(static_cast<float>(in->scale(c)) /
                            static_cast<float>(out->scale(c)));
    }
    FailureOr<Rescale> rescale = rescaleFor(op, ratios, floatRatios);
    if (failed(rescale))
      return failure();
    // Explicit values (from an imported model) are used as given; the
    // verifier keeps them within one Q31 unit of the derived ones.
    if (std::optional<ArrayRef<int32_t>> multiplier = op.getMultiplier()) {
      rescale->multipliers.assign(multiplier->begin(), multiplier->end());
      rescale->shifts.assign(op.getShift()->begin(), op.getShift()->end());
    }
    for (size_t c = 0; c < channels; ++c) {
      size_t at = rescale->shifts.size() == 1 ? 0 : c;
      IntInterval centered{in->range.min - in->zeroPoint(c),
                           in->range.max - in->zeroPoint(c)};
      if (failed(checkLeftShift(op, op.getRounding(), centered,
                                rescale->shifts[at], "its input")))
        return failure();
    }
    if (channels > 1) {
      auto resultType = cast<RankedTensorType>(
          getTypeConverter()->convertType(op.getOutput().getType()));
      if (!resultType.hasStaticShape())
        return op.emitError("qa-lower-to-integer lowers per-axis "
                            "qa.requantize of static shapes only");
      rewriter.replaceOp(op, perAxisRequantize(rewriter, op.getLoc(),
                                               adaptor.getInput(), resultType,
                                               axis, *rescale, *in, *out,
                                               op.getRounding()));
      return success();
    }
    const Quantization &input = *in, &result = *out;
    RoundingMode mode = op.getRounding();
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    Value lowered = elementwise(
        rewriter, op.getLoc(), adaptor.getInput(), resultType,
        [&](OpBuilder &b, Location l, Value v) -> Value {
          Type i32 = b.getI32Type();
          Value centered =
              arith::SubIOp::create(b, l, extend(b, l, v, input.isSigned, i32),
                                    constantInt(b, l, i32, input.zeroPoint(0)));
          return requantizeBy(b, l, centered, *rescale, mode, result);
        });
    rewriter.replaceOp(op, lowered);
    return success();
  }
};

/// The product of two activations [B..., M, K] x [B..., K, N]: a sum of
/// centered products (the zero points are run-time subtractions: neither
/// operand is a constant to fold) in i32 where its bound proves that
/// enough, else in i64 within TFLite's 48-bit range (requantized as its
/// int64 MultiplyByQuantizedMultiplier, like a dense contraction), by
/// s_lhs s_rhs / s_out.
struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> lhs =
        quantizationOf(op, op.getLhs(), "lhs", {2, 4, 8, 16});
    FailureOr<Quantization> rhs =
        quantizationOf(op, op.getRhs(), "rhs", {2, 4, 8, 16});
    FailureOr<Quantization> out =
        quantizationOf(op, op.getOutput(), "result", {2, 4, 8, 16});
    if (failed(lhs) || failed(rhs) || failed(out))
      return failure();
    auto lhsType = cast<RankedTensorType>(adaptor.getLhs().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (!lhsType.hasStaticShape() || !resultType.hasStaticShape())
      return op.emitError("qa-lower-to-integer lowers qa.matmul of static "
                          "shapes only");
    int64_t rank = lhsType.getRank(), depth = lhsType.getDimSize(rank - 1);
    // Computed in double: depth * 2^16 * 2^16 may leave int64 itself.
    double magnitude = static_cast<double>(depth) * lhs->centeredMagnitude() *
                       rhs->centeredMagnitude();
    int64_t bound =
        magnitude < 0x1p62 ? static_cast<int64_t>(magnitude) : INT64_MAX / 2;
    IntInterval accumulator{-bound, bound};
    bool wide = !accumulator.fitsSigned(32);
    double ratio = lhs->scale(0) * rhs->scale(0) / out->scale(0);
    float floatRatio = static_cast<float>(lhs->scale(0)) *
                       static_cast<float>(rhs->scale(0)) /
                       static_cast<float>(out->scale(0));
    FailureOr<Rescale> rescale = rescaleFor(op, ratio, floatRatio);
    if (failed(rescale) ||
        failed(checkAccumulator(op, op.getRounding(), accumulator, wide,
                                rescale->shifts[0], "this qa.matmul")))
      return failure();
    if (wide)
      reduceForWideAccumulators(*rescale);

    // Loops (batch..., m, n, k).
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> batch;
    for (int64_t i = 0; i < rank - 2; ++i)
      batch.push_back(getAffineDimExpr(i, ctx));
    AffineExpr m = getAffineDimExpr(rank - 2, ctx),
               n = getAffineDimExpr(rank - 1, ctx),
               k = getAffineDimExpr(rank, ctx);
    auto map = [&](AffineExpr a, AffineExpr b) {
      SmallVector<AffineExpr> exprs(batch);
      exprs.append({a, b});
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Type accType = wide ? rewriter.getI64Type() : rewriter.getI32Type();
    const Quantization &a = *lhs, &b = *rhs, &result = *out;
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc,
            TypeRange{RankedTensorType::get(resultType.getShape(), accType)},
            ValueRange{adaptor.getLhs(), adaptor.getRhs()},
            ValueRange{
                filledTensor(rewriter, loc, resultType.getShape(), accType, 0)},
            ArrayRef<AffineMap>{map(m, k), map(k, n), map(m, n)}, iterators,
            [&](OpBuilder &nb, Location l, ValueRange args) {
              auto center = [&](Value v, const Quantization &q) {
                return arith::SubIOp::create(
                    nb, l, extend(nb, l, v, q.isSigned, accType),
                    constantInt(nb, l, accType, q.zeroPoint(0)));
              };
              Value product = arith::MulIOp::create(nb, l, center(args[0], a),
                                                    center(args[1], b));
              linalg::YieldOp::create(
                  nb, l,
                  ValueRange{arith::AddIOp::create(nb, l, args[2], product)});
            })
            .getResult(0);
    RoundingMode mode = op.getRounding();
    Type i32 = rewriter.getI32Type();
    rewriter.replaceOp(
        op, elementwise(
                rewriter, loc, acc, resultType,
                [&](OpBuilder &nb, Location l, Value v) -> Value {
                  if (wide)
                    return requantizeWide(
                        nb, l, v,
                        constantInt(nb, l, i32, rescale->multipliers[0]),
                        constantInt(nb, l, i32, rescale->shifts[0]), result);
                  return requantizeBy(nb, l, v, *rescale, mode, result);
                }));
    return success();
  }
};

/// Concatenation: each operand, requantized to the result's type where its
/// own differs (an identity otherwise), inserted at its offset along `axis`.
struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> out =
        quantizationOf(op, op.getOutput(), "result", {2, 4, 8, 16});
    if (failed(out))
      return failure();
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (!resultType.hasStaticShape())
      return op.emitError("qa-lower-to-integer lowers qa.concat of static "
                          "shapes only");
    Location loc = op.getLoc();
    int64_t axis = op.getAxis(), offset = 0, rank = resultType.getRank();
    RoundingMode mode = op.getRounding();
    const Quantization &result = *out;
    Value concatenated = tensor::EmptyOp::create(
        rewriter, loc, resultType.getShape(), resultType.getElementType());
    for (auto [input, stored] :
         llvm::zip_equal(op.getInputs(), adaptor.getInputs())) {
      FailureOr<Quantization> in =
          quantizationOf(op, input, "input", {2, 4, 8, 16});
      if (failed(in))
        return failure();
      auto inputType = cast<RankedTensorType>(stored.getType());
      Value part = stored;
      if (elementTypeOf(input) != elementTypeOf(op.getOutput())) {
        FailureOr<Rescale> rescale =
            rescaleFor(op, in->scale(0) / out->scale(0),
                       static_cast<float>(in->scale(0)) /
                           static_cast<float>(out->scale(0)));
        IntInterval centered{in->range.min - in->zeroPoint(0),
                             in->range.max - in->zeroPoint(0)};
        if (failed(rescale) ||
            failed(checkLeftShift(op, mode, centered, rescale->shifts[0],
                                  "an input")))
          return failure();
        const Quantization &source = *in;
        part = elementwise(rewriter, loc, stored,
                           RankedTensorType::get(inputType.getShape(),
                                                 resultType.getElementType()),
                           [&](OpBuilder &b, Location l, Value v) -> Value {
                             Type i32 = b.getI32Type();
                             Value value = arith::SubIOp::create(
                                 b, l, extend(b, l, v, source.isSigned, i32),
                                 constantInt(b, l, i32, source.zeroPoint(0)));
                             return requantizeBy(b, l, value, *rescale, mode,
                                                 result);
                           });
      }
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      concatenated = tensor::InsertSliceOp::create(
          rewriter, loc, part, concatenated,
          getAsIndexOpFoldResult(rewriter.getContext(), offsets),
          getAsIndexOpFoldResult(rewriter.getContext(), inputType.getShape()),
          getAsIndexOpFoldResult(rewriter.getContext(), strides));
      offset += inputType.getDimSize(axis);
    }
    rewriter.replaceOp(op, concatenated);
    return success();
  }
};

/// Max pooling on stored values: the storage order is the real order (one
/// quantization for input and result), signed or unsigned by storage.
/// Padding holds the storage minimum, which never beats a window element.
struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> q =
        quantizationOf(op, op.getInput(), "input", {2, 4, 8, 16});
    if (failed(q))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (!resultType.hasStaticShape() ||
        !cast<RankedTensorType>(adaptor.getInput().getType()).hasStaticShape())
      return op.emitError("qa-lower-to-integer lowers qa.max_pool2d of static "
                          "shapes only");
    Type storage = resultType.getElementType();
    Value input = padSpatially(rewriter, loc, adaptor.getInput(),
                               op.getPadding(), q->range.min);
    Value window =
        tensor::EmptyOp::create(rewriter, loc, op.getKernel(), storage);
    Value init = filledTensor(rewriter, loc, resultType.getShape(), storage,
                              q->range.min);
    auto pair = [&](ArrayRef<int64_t> values) {
      return DenseIntElementsAttr::get(
          RankedTensorType::get({2}, rewriter.getI64Type()), values);
    };
    Attribute strides = pair(op.getStrides()), dilations = pair({1, 1});
    Value pooled =
        q->isSigned
            ? linalg::PoolingNhwcMaxOp::create(rewriter, loc, resultType,
                                               ValueRange{input, window}, init,
                                               strides, dilations)
                  .getResult(0)
            : linalg::PoolingNhwcMaxUnsignedOp::create(
                  rewriter, loc, resultType, ValueRange{input, window}, init,
                  strides, dilations)
                  .getResult(0);
    rewriter.replaceOp(op, pooled);
    return success();
  }
};

/// Average pooling with one quantization for input and result, on stored
/// values as TFLite's integer AveragePool: the i32 sum of the window's stored
/// values divided by its count, rounded half away from zero in the TFLite
/// modes and half to even in half_even, exactly. The count of each output
/// position is a compile-time constant: the elements inside the input, or
/// the whole window with count_include_pad (padding then holds the zero
/// point, real zero; otherwise 0, which adds nothing).
struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> q =
        quantizationOf(op, op.getInput(), "input", {2, 4, 8, 16});
    if (failed(q))
      return failure();
    if (elementTypeOf(op.getInput()) != elementTypeOf(op.getOutput()))
      return op.emitError("qa-lower-to-integer lowers qa.avg_pool2d with the "
                          "same input and result types only; requantize "
                          "before or after it");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
      return op.emitError("qa-lower-to-integer lowers qa.avg_pool2d of static "
                          "shapes only");
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding();
    bool includePad = op.getCountIncludePad();
    Value input = padSpatially(rewriter, loc, adaptor.getInput(), padding,
                               includePad ? q->zeroPoint(0) : 0);

    int64_t outH = resultType.getDimSize(1), outW = resultType.getDimSize(2);
    SmallVector<int32_t> counts;
    for (int64_t oh = 0; oh < outH; ++oh)
      for (int64_t ow = 0; ow < outW; ++ow) {
        auto inside = [&](int64_t start, int64_t size, int64_t extent) {
          int64_t lo = std::max<int64_t>(start, 0);
          int64_t hi = std::min<int64_t>(start + size, extent);
          return std::max<int64_t>(hi - lo, 0);
        };
        counts.push_back(includePad
                             ? kernel[0] * kernel[1]
                             : inside(oh * strides[0] - padding[0], kernel[0],
                                      inputType.getDimSize(1)) *
                                   inside(ow * strides[1] - padding[2],
                                          kernel[1], inputType.getDimSize(2)));
      }
    if (llvm::is_contained(counts, 0))
      return op.emitError("a window of this qa.avg_pool2d lies entirely in "
                          "the padding: its average is undefined");
    // The window sum, and TFLite's sum +- count / 2, must stay in i32.
    int64_t largest = *llvm::max_element(counts);
    int64_t magnitude =
        std::max(std::abs(q->range.min), std::abs(q->range.max)) * largest +
        largest / 2;
    if (!IntInterval{-magnitude, magnitude}.fitsSigned(32))
      return op.emitError() << "the window sums of this qa.avg_pool2d ("
                            << largest << " elements) can leave i32";

    // sum[n, oh, ow, c] in i32, over the window (kh, kw).
    Type i32 = rewriter.getI32Type();
    SmallVector<int64_t> shape(resultType.getShape());
    AffineExpr n, oh, ow, c, kh, kw;
    bindDims(ctx, n, oh, ow, c, kh, kw);
    auto par = utils::IteratorType::parallel;
    auto red = utils::IteratorType::reduction;
    bool isSigned = q->isSigned;
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel,
                                           inputType.getElementType());
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{RankedTensorType::get(shape, i32)},
            ValueRange{input, window},
            ValueRange{filledTensor(rewriter, loc, shape, i32, 0)},
            ArrayRef<AffineMap>{AffineMap::get(6, 0,
                                               {n, oh * strides[0] + kh,
                                                ow * strides[1] + kw, c},
                                               ctx),
                                AffineMap::get(6, 0, {kh, kw}, ctx),
                                AffineMap::get(6, 0, {n, oh, ow, c}, ctx)},
            ArrayRef<utils::IteratorType>{par, par, par, par, red, red},
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l,
                  ValueRange{arith::AddIOp::create(
                      b, l, args[2], extend(b, l, args[0], isSigned, i32))});
            })
            .getResult(0);

    Value countTable = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({outH, outW}, i32),
        constantTensor<int32_t>(rewriter, loc, counts, i32),
        SmallVector<ReassociationIndices>{{0, 1}});
    bool halfEven = op.getRounding() == RoundingMode::HalfEven;
    const Quantization &range = *q;
    Value averaged =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{sum, countTable},
            ValueRange{tensor::EmptyOp::create(rewriter, loc, shape,
                                               resultType.getElementType())},
            ArrayRef<AffineMap>{AffineMap::get(4, 0, {n, oh, ow, c}, ctx),
                                AffineMap::get(4, 0, {oh, ow}, ctx),
                                AffineMap::get(4, 0, {n, oh, ow, c}, ctx)},
            ArrayRef<utils::IteratorType>{par, par, par, par},
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value total = args[0], count = args[1];
              auto c32 = [&](int64_t v) { return constantInt(b, l, i32, v); };
              Value rounded;
              if (halfEven) {
                // floor, then up when the remainder is over half, or half
                // with an odd floor.
                Value floor = arith::FloorDivSIOp::create(b, l, total, count);
                Value twice = arith::MulIOp::create(
                    b, l, c32(2),
                    arith::SubIOp::create(
                        b, l, total,
                        arith::MulIOp::create(b, l, floor, count)));
                Value over = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::sgt, twice, count);
                Value tie = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::eq, twice, count);
                Value odd = arith::TruncIOp::create(b, l, b.getI1Type(), floor);
                Value up = arith::OrIOp::create(
                    b, l, over, arith::AndIOp::create(b, l, tie, odd));
                rounded = arith::AddIOp::create(
                    b, l, floor, arith::ExtUIOp::create(b, l, i32, up));
              } else {
                // TFLite: (sum +- count / 2) / count, truncating.
                Value half = arith::DivSIOp::create(b, l, count, c32(2));
                Value positive = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::sgt, total, c32(0));
                Value biased = arith::SelectOp::create(
                    b, l, positive, arith::AddIOp::create(b, l, total, half),
                    arith::SubIOp::create(b, l, total, half));
                rounded = arith::DivSIOp::create(b, l, biased, count);
              }
              Value clamped = arith::MinSIOp::create(
                  b, l,
                  arith::MaxSIOp::create(b, l, rounded, c32(range.range.min)),
                  c32(range.range.max));
              linalg::YieldOp::create(
                  b, l,
                  ValueRange{arith::TruncIOp::create(
                      b, l, b.getIntegerType(range.containerBits()), clamped)});
            })
            .getResult(0);
    rewriter.replaceOp(op, averaged);
    return success();
  }
};

/// How an operand of `result` shape reads it under NumPy broadcasting:
/// trailing dimensions aligned, size-1 dimensions fixed at 0.
static AffineMap broadcastMap(RankedTensorType operand,
                              RankedTensorType result) {
  MLIRContext *ctx = operand.getContext();
  int64_t offset = result.getRank() - operand.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operand.getRank(); ++i)
    exprs.push_back(operand.getDimSize(i) == 1 &&
                            result.getDimSize(i + offset) != 1
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(i + offset, ctx));
  return AffineMap::get(result.getRank(), 0, exprs, ctx);
}

/// Quantized elementwise add and mul with broadcasting, as TFLite's integer
/// kernels compute them in the TFLite modes:
/// * add: both inputs centered, shifted left by 20 (15 for a 16-bit result),
///   rescaled by s_i / (2 max(s_1, s_2)), summed, rescaled by
///   2 max(s_1, s_2) / (2^shift s_out); every rescale with the mode's
///   fixed-point rounding;
/// * mul: the product of the centered inputs rescaled by s_1 s_2 / s_out.
/// In half_even, in float32 (this project's definition; ONNX has no
/// standard quantized add): add computes
/// (s_1 / s_out)(a - zp_1) + (s_2 / s_out)(b - zp_2), mul
/// (s_1 s_2 / s_out)(a - zp_1)(b - zp_2), rounded half to even. The result
/// zero point is added and the result saturated to its storage range.
template <typename BinaryOp>
struct BinaryElementwiseLowering : OpConversionPattern<BinaryOp> {
  using OpConversionPattern<BinaryOp>::OpConversionPattern;
  static constexpr bool isAdd = std::is_same_v<BinaryOp, AddOp>;

  LogicalResult
  matchAndRewrite(BinaryOp op, typename BinaryOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> lhs =
        quantizationOf(op, op.getLhs(), "lhs", {2, 4, 8, 16});
    FailureOr<Quantization> rhs =
        quantizationOf(op, op.getRhs(), "rhs", {2, 4, 8, 16});
    FailureOr<Quantization> out =
        quantizationOf(op, op.getOutput(), "result", {2, 4, 8, 16});
    if (failed(lhs) || failed(rhs) || failed(out))
      return failure();
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getOutput().getType()));
    if (!resultType.hasStaticShape())
      return op.emitError() << "qa-lower-to-integer lowers " << op->getName()
                            << " of static shapes only";
    RoundingMode mode = op.getRounding();
    int64_t product = lhs->centeredMagnitude() * rhs->centeredMagnitude();
    double s1 = lhs->scale(0), s2 = rhs->scale(0), sOut = out->scale(0);

    // Compile-time constants of the TFLite modes, checked against i32.
    int leftShift = out->bits == 16 ? 15 : 20;
    SmallVector<FixedPointMultiplier> multipliers;
    SmallVector<double> reals;
    if (isAdd) {
      double twiceMax = 2 * std::max(s1, s2);
      reals = {s1 / twiceMax, s2 / twiceMax,
               twiceMax / (std::ldexp(1.0, leftShift) * sOut)};
      // Only the TFLite modes shift (half_even rescales in float).
      for (const Quantization *q : {&*lhs, &*rhs})
        if (int64_t shifted = q->centeredMagnitude() << leftShift;
            mode != RoundingMode::HalfEven &&
            !IntInterval{-shifted, shifted}.fitsSigned(32))
          return op.emitError()
                 << "qa-lower-to-integer cannot shift the centered inputs of "
                    "this qa.add left by "
                 << leftShift << " bits within i32";
    } else {
      if (!IntInterval{-product, product}.fitsSigned(32))
        return op.emitError("the product of the centered inputs of this qa.mul "
                            "can leave i32");
      reals = {s1 * s2 / sOut};
    }
    for (double real : reals) {
      llvm::Expected<FixedPointMultiplier> fixed = quantizeMultiplier(real);
      if (!fixed)
        return op.emitError() << llvm::toString(fixed.takeError());
      multipliers.push_back(*fixed);
    }
    // The last rescale's input bound, for tflite_double's left shift.
    IntInterval last = {-product, product};
    if (isAdd) {
      int64_t sum = 0;
      for (auto [q, fixed] : llvm::zip(std::array{&*lhs, &*rhs}, multipliers))
        sum += static_cast<int64_t>(std::ceil(
                   std::ldexp(static_cast<double>(q->centeredMagnitude()),
                              leftShift) *
                   toDouble(fixed))) +
               1;
      last = {-sum, sum};
    }
    if (failed(checkLeftShift(op, mode, last, multipliers.back().shift,
                              "the result")))
      return failure();

    auto f32Ratio = [](double a, double b) {
      return static_cast<float>(a) / static_cast<float>(b);
    };
    float floatProduct = static_cast<float>(s1) * static_cast<float>(s2) /
                         static_cast<float>(sOut);
    float floatLhs = f32Ratio(s1, sOut), floatRhs = f32Ratio(s2, sOut);
    const Quantization &a = *lhs, &bq = *rhs, &result = *out;

    AffineMap identity = rewriter.getMultiDimIdentityMap(resultType.getRank());
    Value lowered =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{adaptor.getLhs(), adaptor.getRhs()},
            ValueRange{tensor::EmptyOp::create(rewriter, loc,
                                               resultType.getShape(),
                                               resultType.getElementType())},
            ArrayRef<AffineMap>{
                broadcastMap(cast<RankedTensorType>(adaptor.getLhs().getType()),
                             resultType),
                broadcastMap(cast<RankedTensorType>(adaptor.getRhs().getType()),
                             resultType),
                identity},
            SmallVector<utils::IteratorType>(resultType.getRank(),
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Type i32 = b.getI32Type(), f32 = b.getF32Type();
              auto c32 = [&](int64_t v) { return constantInt(b, l, i32, v); };
              auto center = [&](Value stored, const Quantization &q) {
                return arith::SubIOp::create(
                    b, l, extend(b, l, stored, q.isSigned, i32),
                    c32(q.zeroPoint(0)));
              };
              Value x = center(args[0], a), y = center(args[1], bq);
              Value level;
              if (mode == RoundingMode::HalfEven) {
                auto real = [&](Value v) {
                  return arith::SIToFPOp::create(b, l, f32, v);
                };
                auto constant = [&](float v) {
                  return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
                };
                Value scaled =
                    isAdd ? arith::AddFOp::create(
                                b, l,
                                arith::MulFOp::create(b, l, constant(floatLhs),
                                                      real(x)),
                                arith::MulFOp::create(b, l, constant(floatRhs),
                                                      real(y)))
                                .getResult()
                          : arith::MulFOp::create(
                                b, l, constant(floatProduct),
                                real(arith::MulIOp::create(b, l, x, y)))
                                .getResult();
                level = roundHalfEvenToLevel(b, l, scaled, result);
              } else {
                auto rescale = [&](Value v, FixedPointMultiplier fixed) {
                  return rescaleFixedPoint(b, l, v, c32(fixed.multiplier),
                                           c32(fixed.shift), mode);
                };
                Value acc;
                if (isAdd) {
                  auto scaledInput = [&](Value v, FixedPointMultiplier fixed) {
                    Value shifted =
                        arith::ShLIOp::create(b, l, v, c32(leftShift));
                    return arith::TruncIOp::create(b, l, i32,
                                                   rescale(shifted, fixed));
                  };
                  acc = arith::AddIOp::create(b, l,
                                              scaledInput(x, multipliers[0]),
                                              scaledInput(y, multipliers[1]));
                } else {
                  acc = arith::MulIOp::create(b, l, x, y);
                }
                level = rescale(acc, multipliers.back());
              }
              linalg::YieldOp::create(
                  b, l, ValueRange{offsetAndSaturate(b, l, level, result)});
            })
            .getResult(0);
    rewriter.replaceOp(op, lowered);
    return success();
  }
};

/// A lookup: entry (stored - the full storage type's minimum, -128 for i8
/// and 0 for u8, also under a narrowed range) of the table constant.
struct TableLowering : OpConversionPattern<TableOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TableOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Quantization> in =
        quantizationOf(op, op.getInput(), "input", {2, 4, 8});
    if (failed(in))
      return failure();
    Location loc = op.getLoc();
    Value table = arith::ConstantOp::create(
        rewriter, loc,
        inContainer(cast<DenseIntElementsAttr>(op.getTable()),
                    elementTypeOf(op.getOutput())));
    int64_t first = in->isSigned ? -(int64_t{1} << (in->bits - 1)) : 0;
    bool isSigned = in->isSigned;
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getOutput().getType()));
    rewriter.replaceOp(
        op, elementwise(rewriter, loc, adaptor.getInput(), resultType,
                        [&](OpBuilder &b, Location l, Value stored) -> Value {
                          Type i32 = b.getI32Type();
                          Value index = arith::SubIOp::create(
                              b, l, extend(b, l, stored, isSigned, i32),
                              constantInt(b, l, i32, first));
                          return tensor::ExtractOp::create(
                              b, l, table,
                              ValueRange{arith::IndexCastOp::create(
                                  b, l, b.getIndexType(), index)});
                        }));
    return success();
  }
};

/// A transpose of quantized tensors transposes the storage.
struct TransposeLowering : OpConversionPattern<linalg::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(linalg::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "a transpose of tensors");
    rewriter.replaceOp(op, linalg::TransposeOp::create(
                               rewriter, op.getLoc(), adaptor.getInput(),
                               adaptor.getInit(), op.getPermutation())
                               .getResult());
    return success();
  }
};

/// Shape-only tensor ops (reshapes) on quantized tensors: the same op on the
/// storage tensors.
template <typename ShapeOp>
struct ShapeOnlyLowering : OpConversionPattern<ShapeOp> {
  using OpConversionPattern<ShapeOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ShapeOp op, typename ShapeOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> types;
    if (failed(this->getTypeConverter()->convertTypes(op->getResultTypes(),
                                                      types)))
      return failure();
    OperationState state(op->getLoc(), op->getName(), adaptor.getOperands(),
                         types, op->getAttrs());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

} // namespace

void mlir::qa::populateQAToIntegerConversionPatterns(
    const StorageTypeConverter &converter, RewritePatternSet &patterns) {
  patterns
      .add<BinaryElementwiseLowering<AddOp>, BinaryElementwiseLowering<MulOp>,
           AvgPool2DLowering, ClampLowering, ConcatLowering, ConstantLowering,
           Conv2DLowering, DepthwiseConv2DLowering, DequantizeLowering,
           FullyConnectedLowering, MatMulLowering, MaxPool2DLowering,
           QuantizeLowering, RequantizeLowering, TableLowering,
           ShapeOnlyLowering<tensor::CollapseShapeOp>,
           ShapeOnlyLowering<tensor::EmptyOp>,
           ShapeOnlyLowering<tensor::ExpandShapeOp>, TransposeLowering>(
          converter, patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct QALowerToInteger final
    : qa::impl::QALowerToIntegerBase<QALowerToInteger> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    StorageTypeConverter converter;
    RewritePatternSet patterns(context);
    populateQAToIntegerConversionPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.addIllegalDialect<QADialect>();
    // Float-only qa ops are not part of the integer graph.
    target.addLegalOp<ObserveOp, FakeQuantOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp function) {
      return converter.isSignatureLegal(function.getFunctionType()) &&
             converter.isLegal(&function.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp,
                                 tensor::CollapseShapeOp, tensor::EmptyOp,
                                 tensor::ExpandShapeOp, linalg::TransposeOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    // Sub-byte weights were repacked from their qa.constant at compile time:
    // the unpacked storage constants (and views of them) are dead now.
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) { ops.push_back(op); });
    for (Operation *op : llvm::reverse(ops))
      if (isa<arith::ConstantOp, tensor::CollapseShapeOp>(op) &&
          isOpTriviallyDead(op))
        op->erase();
  }
};
} // namespace
