//===- QAOps.cpp - QuantAware operations ----------------------------------===//
//
// Verifiers of the `qa` ops. They enforce everything the integer semantics
// depend on, so that a lowering never meets an op it could get wrong:
// element kinds and bit widths per operand role, equal expressed types,
// shapes and window arithmetic, bias scales, and explicit multipliers that
// agree with the types.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Dialect/QA/IR/QAOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qa;

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

LogicalResult mlir::qa::verifyQuantizedOperandsAndResults(Operation *op) {
  auto check = [&](Type type, StringRef role, unsigned index) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !isQuantizedElementType(tensor.getElementType()))
      return success();
    return verifyQuantizedTensorType(
        [&] { return op->emitOpError() << role << " #" << index << ": "; },
        tensor.getElementType(), tensor.getShape());
  };
  for (auto [index, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", index)))
      return failure();
  for (auto [index, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", index)))
      return failure();
  return success();
}

static RankedTensorType tensorTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

static Type elementTypeOf(Value value) {
  return tensorTypeOf(value).getElementType();
}

static bool sameDim(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// An activation: a per-tensor `!quant.uniform` with one of `widths` bits.
static LogicalResult verifyPerTensor(Operation *op, Value value, StringRef role,
                                     ArrayRef<unsigned> widths) {
  auto type = dyn_cast<quant::UniformQuantizedType>(elementTypeOf(value));
  if (!type)
    return op->emitOpError()
           << role << " must have a per-tensor "
           << "!quant.uniform element type, got " << elementTypeOf(value);
  if (!llvm::is_contained(widths, type.getStorageTypeIntegralWidth())) {
    InFlightDiagnostic diag = op->emitOpError() << role << " storage must be ";
    llvm::interleave(widths, diag, ", ");
    return diag << " bits wide, got " << type.getStorageTypeIntegralWidth();
  }
  return success();
}

static constexpr unsigned kActivationWidths[] = {2, 4, 8, 16};
static constexpr unsigned kResultWidths[] = {2, 4, 8, 16, 32};

/// All quantized values of one op represent reals of the same float type.
static LogicalResult verifySameExpressedType(Operation *op) {
  FloatType expressed;
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    Type element = getElementTypeOrSelf(type);
    if (!isQuantizedElementType(element))
      continue;
    FloatType current = getExpressedType(element);
    if (!expressed)
      expressed = current;
    else if (current != expressed)
      return op->emitOpError() << "quantized values must share one expressed "
                                  "type, got "
                               << expressed << " and " << current;
  }
  return success();
}

/// Scale of a per-tensor input (`!quant.uniform` or `!qa.binary`).
static double perTensorScale(Type type) {
  if (auto binary = dyn_cast<BinaryType>(type))
    return binary.getAlphas().front();
  return cast<quant::UniformQuantizedType>(type).getScale();
}

/// Per-output-channel scales of weights, empty for sub-channel weights.
static SmallVector<double> channelScales(Type weights) {
  if (auto binary = dyn_cast<BinaryType>(weights))
    return SmallVector<double>(binary.getAlphas());
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(weights))
    return SmallVector<double>(perAxis.getScales());
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(weights))
    return {perTensor.getScale()};
  return {};
}

/// Relative tolerance of the bias-scale relation: exporters compute
/// scale_in * scale_w in float32, we check in double.
static constexpr double kBiasScaleTolerance = 1e-6;

static bool nearlyEqual(double a, double b) {
  return std::abs(a - b) <=
         kBiasScaleTolerance * std::max(std::abs(a), std::abs(b));
}

/// The input, weights and bias rules shared by fully_connected and the
/// convolutions. `channelAxis` is the weights' output-channel axis.
static LogicalResult verifyContraction(Operation *op, Value input,
                                       Value weights, Value bias, Value output,
                                       int64_t channelAxis) {
  Type weightsType = elementTypeOf(weights);
  bool binaryWeights = isa<BinaryType>(weightsType);
  auto binaryInput = dyn_cast<BinaryType>(elementTypeOf(input));
  if (binaryInput) {
    if (binaryInput.isPerChannel())
      return op->emitOpError("binary input must have one alpha per tensor");
    if (!binaryWeights)
      return op->emitOpError("binary input requires binary weights");
  } else if (failed(verifyPerTensor(op, input, "input", kActivationWidths))) {
    return failure();
  }

  if (auto binary = dyn_cast<BinaryType>(weightsType)) {
    if (binary.isPerChannel() && binary.getAxis() != channelAxis)
      return op->emitOpError() << "per-channel weights must be quantized "
                                  "along axis "
                               << channelAxis << ", got " << binary.getAxis();
  } else {
    auto quantized = cast<quant::QuantizedType>(weightsType);
    unsigned width = quantized.getStorageTypeIntegralWidth();
    if (!llvm::is_contained(kActivationWidths, width))
      return op->emitOpError() << "weights storage must be 2, 4, 8 or 16 bits "
                                  "wide (or !qa.binary), got "
                               << width;
    if (auto perAxis =
            dyn_cast<quant::UniformQuantizedPerAxisType>(weightsType);
        perAxis && perAxis.getQuantizedDimension() != channelAxis)
      return op->emitOpError()
             << "per-channel weights must be quantized "
                "along axis "
             << channelAxis << ", got " << perAxis.getQuantizedDimension();
    if (auto subChannel =
            dyn_cast<quant::UniformQuantizedSubChannelType>(weightsType)) {
      // An axis without a block size is one block spanning the dimension.
      int64_t channelBlock = tensorTypeOf(weights).getDimSize(channelAxis);
      for (auto [dim, blockSize] : subChannel.getBlockSizeInfo())
        if (dim == channelAxis)
          channelBlock = blockSize;
      if (channelBlock != 1)
        return op->emitOpError()
               << "weight groups must not span output "
                  "channels (block size along axis "
               << channelAxis << " must be 1, got " << channelBlock << ")";
    }
  }

  if (failed(verifyPerTensor(op, output, "result", kResultWidths)))
    return failure();
  if (failed(verifySameExpressedType(op)))
    return failure();
  if (!bias)
    return success();

  // Bias: [channels], i32, zero point 0, scale = scale_in * scale_w[c].
  RankedTensorType biasTensor = tensorTypeOf(bias);
  int64_t channels = tensorTypeOf(weights).getDimSize(channelAxis);
  if (biasTensor.getRank() != 1 || !sameDim(biasTensor.getDimSize(0), channels))
    return op->emitOpError()
           << "bias must have shape [" << channels << "], got " << biasTensor;
  auto biasType = cast<quant::QuantizedType>(biasTensor.getElementType());
  if (biasType.getStorageTypeIntegralWidth() != 32 || !biasType.isSigned())
    return op->emitOpError()
           << "bias storage must be i32, got " << biasType.getStorageType();
  SmallVector<double> biasScales;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(biasType)) {
    if (perTensor.getZeroPoint() != 0)
      return op->emitOpError("bias zero point must be 0");
    biasScales.push_back(perTensor.getScale());
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(biasType)) {
    if (!llvm::all_of(perAxis.getZeroPoints(),
                      [](int64_t zp) { return zp == 0; }))
      return op->emitOpError("bias zero points must be 0");
    biasScales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
  } else {
    return op->emitOpError("bias must be quantized per tensor or per channel");
  }

  SmallVector<double> weightScales = channelScales(weightsType);
  if (weightScales.empty())
    return success(); // Per-group weights: each group rescales on its own.
  if (biasScales.size() != weightScales.size())
    return op->emitOpError()
           << "bias must have " << weightScales.size()
           << " scale(s) like the weights, got " << biasScales.size();
  double inputScale = perTensorScale(elementTypeOf(input));
  for (auto [channel, scales] :
       llvm::enumerate(llvm::zip_equal(biasScales, weightScales))) {
    auto [biasScale, weightScale] = scales;
    if (!nearlyEqual(biasScale, inputScale * weightScale))
      return op->emitOpError()
             << "bias scale " << biasScale << " of channel " << channel
             << " must equal input scale x weight scale = "
             << inputScale * weightScale;
  }
  return success();
}

/// Output spatial size of a window of `kernel` (already dilated) over
/// `size` padded by `padBefore + padAfter`; dynamic stays dynamic.
static int64_t windowOutputSize(int64_t size, int64_t padBefore,
                                int64_t padAfter, int64_t kernel,
                                int64_t stride) {
  if (ShapedType::isDynamic(size) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  return (size + padBefore + padAfter - kernel) / stride + 1;
}

/// Checks strides, padding, dilations of a 2-D NHWC window op and the
/// output spatial sizes. `kernel` is [KH, KW].
static LogicalResult
verifyWindow(Operation *op, RankedTensorType input, RankedTensorType output,
             ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
             ArrayRef<int64_t> padding, ArrayRef<int64_t> dilations) {
  if (input.getRank() != 4 || output.getRank() != 4)
    return op->emitOpError("input and result must be 4-D (NHWC)");
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2 ||
      padding.size() != 4)
    return op->emitOpError("expects 2 kernel sizes, 2 strides, 2 dilations "
                           "and 4 paddings [top, bottom, left, right]");
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }) ||
      llvm::any_of(
          kernel, [](int64_t k) { return !ShapedType::isDynamic(k) && k < 1; }))
    return op->emitOpError(
        "kernel sizes, strides and dilations must be positive");
  if (llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return op->emitOpError("padding must be non-negative");
  if (!sameDim(input.getDimSize(0), output.getDimSize(0)))
    return op->emitOpError() << "batch of result " << output.getDimSize(0)
                             << " differs from input " << input.getDimSize(0);
  for (unsigned i = 0; i < 2; ++i) {
    int64_t dilated = ShapedType::isDynamic(kernel[i])
                          ? kernel[i]
                          : dilations[i] * (kernel[i] - 1) + 1;
    int64_t size = input.getDimSize(1 + i);
    if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(dilated) &&
        size + padding[2 * i] + padding[2 * i + 1] < dilated)
      return op->emitOpError()
             << "window of " << dilated
             << " does not fit padded input dimension " << 1 + i << " of size "
             << size + padding[2 * i] + padding[2 * i + 1];
    int64_t expected = windowOutputSize(
        size, padding[2 * i], padding[2 * i + 1], dilated, strides[i]);
    if (!sameDim(expected, output.getDimSize(1 + i)))
      return op->emitOpError()
             << "result dimension " << 1 + i << " is "
             << output.getDimSize(1 + i) << ", expected " << expected;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Calibration and simulation
//===----------------------------------------------------------------------===//

LogicalResult ObserveOp::verify() {
  if (getName().empty())
    return emitOpError("name must not be empty");
  return success();
}

LogicalResult FakeQuantOp::verify() {
  RankedTensorType input = getInput().getType();
  if (getExpressedType(getType()) != input.getElementType())
    return emitOpError() << "quantized type expresses "
                         << getExpressedType(getType())
                         << " but the input element type is "
                         << input.getElementType();
  return verifyQuantizedTensorType([&] { return emitOpError() << "type: "; },
                                   getType(), input.getShape());
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

static LogicalResult verifyExpresses(Operation *op, Type quantized, Type real) {
  if (getExpressedType(quantized) != real)
    return op->emitOpError() << "quantized type " << quantized << " expresses "
                             << getExpressedType(quantized) << ", not " << real;
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyExpresses(*this, elementTypeOf(getOutput()),
                         getInput().getType().getElementType());
}

LogicalResult DequantizeOp::verify() {
  return verifyExpresses(*this, elementTypeOf(getInput()),
                         getOutput().getType().getElementType());
}

/// Scales of a per-tensor or per-axis uniform type.
static SmallVector<double> uniformScales(Type type) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<double>(perAxis.getScales());
  return {cast<quant::UniformQuantizedType>(type).getScale()};
}

LogicalResult RequantizeOp::verify() {
  Type inputType = elementTypeOf(getInput());
  Type outputType = elementTypeOf(getOutput());
  if (auto binary = dyn_cast<BinaryType>(outputType)) {
    if (binary.isPerChannel() || !isa<quant::UniformQuantizedType>(inputType))
      return emitOpError("a binary result takes the signs of a per-tensor "
                         "!quant.uniform input, with one alpha");
    if (getMultiplier() || getShift())
      return emitOpError("a binary result has no multiplier or shift");
    return verifySameExpressedType(*this);
  }
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          inputType) ||
      !isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          outputType))
    return emitOpError("input and result must be per-tensor or per-axis "
                       "!quant.uniform");
  if (failed(verifySameExpressedType(*this)))
    return failure();
  auto inAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(inputType);
  auto outAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(outputType);
  if (outAxis && (!inAxis || inAxis.getQuantizedDimension() !=
                                 outAxis.getQuantizedDimension()))
    return emitOpError("a per-axis result needs a per-axis input on the same "
                       "axis");

  // One real ratio per channel (a per-tensor side broadcasts).
  SmallVector<double> inScales = uniformScales(inputType);
  SmallVector<double> outScales = uniformScales(outputType);
  size_t count = std::max(inScales.size(), outScales.size());
  SmallVector<double> ratios;
  for (size_t i = 0; i < count; ++i)
    ratios.push_back(inScales[inScales.size() == 1 ? 0 : i] /
                     outScales[outScales.size() == 1 ? 0 : i]);

  std::optional<ArrayRef<int32_t>> multipliers = getMultiplier();
  std::optional<ArrayRef<int32_t>> shifts = getShift();
  if (multipliers.has_value() != shifts.has_value())
    return emitOpError("multiplier and shift must be given together");
  if (!multipliers)
    return success();
  if (multipliers->size() != shifts->size() ||
      (multipliers->size() != 1 && multipliers->size() != count))
    return emitOpError() << "expects 1 or " << count
                         << " multiplier/shift pairs, got "
                         << multipliers->size() << " multipliers and "
                         << shifts->size() << " shifts";
  for (size_t i = 0; i < count; ++i) {
    size_t pair = multipliers->size() == 1 ? 0 : i;
    FixedPointMultiplier given{(*multipliers)[pair], (*shifts)[pair]};
    if (given.multiplier != 0 && given.multiplier < (int32_t{1} << 30))
      return emitOpError() << "multiplier " << given.multiplier
                           << " is not a normalized Q31 value in [2^30, 2^31)";
    if (given.shift < -31 || given.shift > 30)
      return emitOpError() << "shift " << given.shift
                           << " is outside [-31, 30]";
    llvm::Expected<FixedPointMultiplier> derived =
        quantizeMultiplier(ratios[i]);
    if (!derived)
      return emitOpError() << llvm::toString(derived.takeError());
    // Q31 carries 31 significant bits: one unit in the last place of the
    // derived multiplier is the agreement we can ask for.
    double tolerance = std::ldexp(1.0, derived->shift - 31);
    if (std::abs(toDouble(given) - toDouble(*derived)) > tolerance)
      return emitOpError() << "multiplier " << given.multiplier << " * 2^("
                           << given.shift << " - 31) does not match the scale "
                           << "ratio " << ratios[i] << " of channel " << i;
  }
  return success();
}

LogicalResult ConstantOp::verify() {
  RankedTensorType resultType = getOutput().getType();
  Type element = resultType.getElementType();
  auto valueType = dyn_cast<ShapedType>(getValue().getType());
  unsigned width = getStorageBitWidth(element);
  if (!valueType || valueType.getShape() != resultType.getShape() ||
      !valueType.getElementType().isSignlessInteger(width))
    return emitOpError() << "value must have the result shape and the "
                            "signless storage type i"
                         << width << ", got " << getValue().getType();
  auto values = getValue().tryGetValues<APInt>();
  if (!values)
    return emitOpError("value must be a dense integer elements attribute");
  StorageRange range = getStorageRange(element);
  bool isSigned = range.min < 0;
  for (const APInt &value : *values) {
    int64_t stored = isSigned ? value.getSExtValue() : value.getZExtValue();
    if (stored < range.min || stored > range.max)
      return emitOpError() << "stored value " << stored
                           << " is outside the storage range [" << range.min
                           << ", " << range.max << "]";
  }
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult FullyConnectedOp::verify() {
  RankedTensorType input = tensorTypeOf(getInput());
  RankedTensorType weights = tensorTypeOf(getWeights());
  RankedTensorType output = tensorTypeOf(getOutput());
  if (input.getRank() < 1 || weights.getRank() != 2 ||
      output.getRank() != input.getRank())
    return emitOpError("expects input [..., K], weights [N, K] and a result "
                       "[..., N] of the input's rank");
  if (!sameDim(input.getShape().back(), weights.getDimSize(1)))
    return emitOpError() << "input depth " << input.getShape().back()
                         << " differs from weights depth "
                         << weights.getDimSize(1);
  for (int64_t i = 0, e = input.getRank() - 1; i < e; ++i)
    if (!sameDim(input.getDimSize(i), output.getDimSize(i)))
      return emitOpError() << "result dimension " << i << " is "
                           << output.getDimSize(i) << ", expected "
                           << input.getDimSize(i);
  if (!sameDim(output.getShape().back(), weights.getDimSize(0)))
    return emitOpError() << "result depth " << output.getShape().back()
                         << " differs from the " << weights.getDimSize(0)
                         << " weight rows";
  return verifyContraction(*this, getInput(), getWeights(), getBias(),
                           getOutput(), /*channelAxis=*/0);
}

LogicalResult MatMulOp::verify() {
  RankedTensorType lhs = tensorTypeOf(getLhs());
  RankedTensorType rhs = tensorTypeOf(getRhs());
  RankedTensorType output = tensorTypeOf(getOutput());
  int64_t rank = lhs.getRank();
  if (rank < 2 || rhs.getRank() != rank || output.getRank() != rank)
    return emitOpError("expects operands [B..., M, K], [B..., K, N] and a "
                       "result [B..., M, N] of equal rank >= 2");
  for (int64_t i = 0; i < rank - 2; ++i)
    if (!sameDim(lhs.getDimSize(i), rhs.getDimSize(i)) ||
        !sameDim(lhs.getDimSize(i), output.getDimSize(i)))
      return emitOpError() << "batch dimension " << i << " differs";
  if (!sameDim(lhs.getDimSize(rank - 1), rhs.getDimSize(rank - 2)))
    return emitOpError() << "contraction sizes differ: lhs K = "
                         << lhs.getDimSize(rank - 1)
                         << ", rhs K = " << rhs.getDimSize(rank - 2);
  if (!sameDim(output.getDimSize(rank - 2), lhs.getDimSize(rank - 2)) ||
      !sameDim(output.getDimSize(rank - 1), rhs.getDimSize(rank - 1)))
    return emitOpError("result must be [B..., M, N]");
  if (failed(verifyPerTensor(*this, getLhs(), "lhs", kActivationWidths)) ||
      failed(verifyPerTensor(*this, getRhs(), "rhs", kActivationWidths)) ||
      failed(verifyPerTensor(*this, getOutput(), "result", kResultWidths)))
    return failure();
  return verifySameExpressedType(*this);
}

LogicalResult Conv2DOp::verify() {
  RankedTensorType input = tensorTypeOf(getInput());
  RankedTensorType filter = tensorTypeOf(getFilter());
  RankedTensorType output = tensorTypeOf(getOutput());
  if (filter.getRank() != 4)
    return emitOpError("filter must be 4-D [O, KH, KW, C]");
  if (failed(verifyWindow(*this, input, output,
                          {filter.getDimSize(1), filter.getDimSize(2)},
                          getStrides(), getPadding(), getDilations())))
    return failure();
  if (!sameDim(filter.getDimSize(3), input.getDimSize(3)))
    return emitOpError() << "filter has " << filter.getDimSize(3)
                         << " input channels, input has "
                         << input.getDimSize(3);
  if (!sameDim(filter.getDimSize(0), output.getDimSize(3)))
    return emitOpError() << "result has " << output.getDimSize(3)
                         << " channels, filter has " << filter.getDimSize(0);
  return verifyContraction(*this, getInput(), getFilter(), getBias(),
                           getOutput(), /*channelAxis=*/0);
}

LogicalResult DepthwiseConv2DOp::verify() {
  RankedTensorType input = tensorTypeOf(getInput());
  RankedTensorType filter = tensorTypeOf(getFilter());
  RankedTensorType output = tensorTypeOf(getOutput());
  if (filter.getRank() != 4 || filter.getDimSize(0) != 1)
    return emitOpError("filter must be 4-D [1, KH, KW, C * M]");
  if (failed(verifyWindow(*this, input, output,
                          {filter.getDimSize(1), filter.getDimSize(2)},
                          getStrides(), getPadding(), getDilations())))
    return failure();
  int64_t inChannels = input.getDimSize(3);
  int64_t outChannels = filter.getDimSize(3);
  if (inChannels == 0)
    return emitOpError("input must have at least one channel");
  if (!ShapedType::isDynamic(inChannels) &&
      !ShapedType::isDynamic(outChannels) && outChannels % inChannels != 0)
    return emitOpError() << "filter channels " << outChannels
                         << " are not a multiple of the " << inChannels
                         << " input channels";
  if (!sameDim(outChannels, output.getDimSize(3)))
    return emitOpError() << "result has " << output.getDimSize(3)
                         << " channels, filter has " << outChannels;
  if (isa<BinaryType>(elementTypeOf(getInput())))
    return emitOpError("input must not be binary");
  return verifyContraction(*this, getInput(), getFilter(), getBias(),
                           getOutput(), /*channelAxis=*/3);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

static LogicalResult verifyBroadcastElementwise(Operation *op, Value lhs,
                                                Value rhs, Value output) {
  if (failed(verifyPerTensor(op, lhs, "lhs", kActivationWidths)) ||
      failed(verifyPerTensor(op, rhs, "rhs", kActivationWidths)) ||
      failed(verifyPerTensor(op, output, "result", kActivationWidths)))
    return failure();
  SmallVector<int64_t> shape;
  if (!::mlir::OpTrait::util::getBroadcastedShape(
          tensorTypeOf(lhs).getShape(), tensorTypeOf(rhs).getShape(), shape))
    return op->emitOpError()
           << "operand shapes " << tensorTypeOf(lhs) << " and "
           << tensorTypeOf(rhs) << " are not broadcast-compatible";
  ArrayRef<int64_t> result = tensorTypeOf(output).getShape();
  if (result.size() != shape.size() ||
      !llvm::all_of(llvm::zip_equal(result, shape), [](auto dims) {
        return sameDim(std::get<0>(dims), std::get<1>(dims));
      }))
    return op->emitOpError() << "result shape must be the broadcast shape of "
                                "the operands";
  return verifySameExpressedType(op);
}

LogicalResult AddOp::verify() {
  return verifyBroadcastElementwise(*this, getLhs(), getRhs(), getOutput());
}

LogicalResult MulOp::verify() {
  return verifyBroadcastElementwise(*this, getLhs(), getRhs(), getOutput());
}

LogicalResult ClampOp::verify() {
  if (failed(verifyPerTensor(*this, getInput(), "input", kActivationWidths)))
    return failure();
  StorageRange range = getStorageRange(elementTypeOf(getInput()));
  int64_t min = getMinAttr().getInt(), max = getMaxAttr().getInt();
  if (min > max)
    return emitOpError() << "min " << min << " exceeds max " << max;
  if (min < range.min || max > range.max)
    return emitOpError() << "bounds [" << min << ", " << max
                         << "] must lie in the storage range [" << range.min
                         << ", " << range.max << "]";
  return success();
}

LogicalResult TableOp::verify() {
  if (failed(verifyPerTensor(*this, getInput(), "input", {2, 4, 8})) ||
      failed(verifyPerTensor(*this, getOutput(), "result", {2, 4, 8, 16})))
    return failure();
  auto input = cast<quant::UniformQuantizedType>(elementTypeOf(getInput()));
  auto output = cast<quant::UniformQuantizedType>(elementTypeOf(getOutput()));
  int64_t entries = int64_t{1} << input.getStorageTypeIntegralWidth();
  auto tableType = cast<ShapedType>(getTable().getType());
  if (tableType.getRank() != 1 || tableType.getDimSize(0) != entries)
    return emitOpError() << "table must have " << entries
                         << " entries (one per stored input value), got "
                         << tableType;
  if (!tableType.getElementType().isSignlessInteger(
          output.getStorageTypeIntegralWidth()))
    return emitOpError() << "table elements must have the result storage "
                            "type i"
                         << output.getStorageTypeIntegralWidth();
  StorageRange range = getStorageRange(output);
  for (auto [index, value] : llvm::enumerate(getTable().getValues<APInt>())) {
    int64_t entry =
        output.isSigned() ? value.getSExtValue() : value.getZExtValue();
    if (entry < range.min || entry > range.max)
      return emitOpError() << "table entry " << index << " = " << entry
                           << " is outside the result storage range ["
                           << range.min << ", " << range.max << "]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling and data movement
//===----------------------------------------------------------------------===//

/// Pooling windows must keep at least one real element, so padding stays
/// below the kernel size on each side.
static LogicalResult verifyPool(Operation *op, Value input, Value output,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> padding) {
  RankedTensorType inType = tensorTypeOf(input), outType = tensorTypeOf(output);
  SmallVector<int64_t> dilations = {1, 1};
  if (failed(verifyWindow(op, inType, outType, kernel, strides, padding,
                          dilations)))
    return failure();
  for (unsigned i = 0; i < 4; ++i)
    if (padding[i] >= kernel[i / 2])
      return op->emitOpError()
             << "padding " << padding[i]
             << " must be smaller than the kernel size " << kernel[i / 2];
  if (!sameDim(inType.getDimSize(3), outType.getDimSize(3)))
    return op->emitOpError() << "result has " << outType.getDimSize(3)
                             << " channels, input has " << inType.getDimSize(3);
  if (failed(verifyPerTensor(op, input, "input", kActivationWidths)) ||
      failed(verifyPerTensor(op, output, "result", kActivationWidths)))
    return failure();
  return verifySameExpressedType(op);
}

LogicalResult MaxPool2DOp::verify() {
  if (failed(verifyPool(*this, getInput(), getOutput(), getKernel(),
                        getStrides(), getPadding())))
    return failure();
  if (elementTypeOf(getInput()) != elementTypeOf(getOutput()))
    return emitOpError() << "input and result must have the same element "
                            "type, got "
                         << elementTypeOf(getInput()) << " and "
                         << elementTypeOf(getOutput());
  return success();
}

LogicalResult AvgPool2DOp::verify() {
  return verifyPool(*this, getInput(), getOutput(), getKernel(), getStrides(),
                    getPadding());
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("expects at least one input");
  RankedTensorType output = tensorTypeOf(getOutput());
  int64_t rank = output.getRank();
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  if (failed(verifyPerTensor(*this, getOutput(), "result", kActivationWidths)))
    return failure();
  int64_t total = 0;
  for (auto [index, input] : llvm::enumerate(getInputs())) {
    RankedTensorType type = tensorTypeOf(input);
    if (type.getRank() != rank)
      return emitOpError() << "input #" << index << " has rank "
                           << type.getRank() << ", expected " << rank;
    if (failed(verifyPerTensor(*this, input, "input", kActivationWidths)))
      return failure();
    for (int64_t dim = 0; dim < rank; ++dim)
      if (dim != axis && !sameDim(type.getDimSize(dim), output.getDimSize(dim)))
        return emitOpError() << "input #" << index << " dimension " << dim
                             << " is " << type.getDimSize(dim) << ", expected "
                             << output.getDimSize(dim);
    total = ShapedType::isDynamic(total) || type.isDynamicDim(axis)
                ? ShapedType::kDynamic
                : total + type.getDimSize(axis);
  }
  if (!sameDim(total, output.getDimSize(axis)))
    return emitOpError() << "result dimension " << axis << " is "
                         << output.getDimSize(axis) << ", expected " << total;
  return verifySameExpressedType(*this);
}

#define GET_OP_CLASSES
#include "quantaware/Dialect/QA/IR/QAOps.cpp.inc"
